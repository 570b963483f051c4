"""The words Click and Typer print themselves (usage lines, section titles, usage errors), in Chinese.

Click and Typer look their words up with ``gettext.gettext``/``ngettext`` at the moment
they print them.  Those functions read the catalogue of the current text domain, for the
languages named by ``$LANGUAGE`` (then ``LC_ALL``, ``LC_MESSAGES``, ``LANG``).  So while
the command line runs, ``speaking`` points the domain at ``cytrack`` (shipped in
``locale/zh/LC_MESSAGES/cytrack.mo``) and sets ``LANGUAGE`` to ``zh`` or ``en`` — whatever
the user's locale says — and puts both back afterwards.  English needs no catalogue: a
word that is not found is printed as Click wrote it.

``locale/zh/LC_MESSAGES/cytrack.po`` is the source; ``scripts/build_catalogue.py`` compiles
it with ``compile_po`` below, and a test checks that the shipped ``.mo`` is its compilation.
"""

from __future__ import annotations

import ast
import gettext
import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DOMAIN = "cytrack"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGE_OF = {"zh": "zh", "en": "en"}


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Let Click and Typer speak ``lang`` inside the block."""
    before_env = os.environ.get("LANGUAGE")
    before_domain = gettext.textdomain()
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = LANGUAGE_OF[lang]
    try:
        yield
    finally:
        gettext.textdomain(before_domain)
        if before_env is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = before_env


# --- .po to .mo ---------------------------------------------------------------------------


def read_po(text: str) -> dict[str, str]:
    """The entries of a .po file: msgid (with ``\\0`` before a plural msgid) to msgstr (plurals joined by ``\\0``)."""
    entries: dict[str, str] = {}
    fields: dict[str, str] = {}
    current: str | None = None

    def flush() -> None:
        if "msgid" in fields:
            key = fields["msgid"]
            if "msgid_plural" in fields:
                key += "\0" + fields["msgid_plural"]
                forms = sorted(k for k in fields if k.startswith("msgstr["))
                value = "\0".join(fields[k] for k in forms)
            else:
                value = fields.get("msgstr", "")
            entries[key] = value
        fields.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line and fields:
                flush()
                current = None
            continue
        if line.startswith('"'):
            assert current is not None, raw
            fields[current] += ast.literal_eval(line)
            continue
        name, _, rest = line.partition(" ")
        if name == "msgid" and "msgid" in fields and any(k.startswith("msgstr") for k in fields):
            flush()
        current = name
        fields[name] = ast.literal_eval(rest)
    flush()
    return entries


def compile_po(text: str) -> bytes:
    """The GNU .mo form of a .po file (little-endian, no hash table), entries sorted by msgid."""
    entries = sorted(read_po(text).items())
    ids = [k.encode("utf-8") for k, _ in entries]
    strs = [v.encode("utf-8") for _, v in entries]
    n = len(entries)
    header = 7 * 4
    ids_table = header
    strs_table = ids_table + n * 8
    data_start = strs_table + n * 8
    offsets: list[tuple[int, int]] = []
    data = b""
    for item in ids + strs:
        offsets.append((len(item), data_start + len(data)))
        data += item + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, n, ids_table, strs_table, 0, data_start)
    for length, offset in offsets:
        out += struct.pack("<2I", length, offset)
    return out + data


def po_path(lang: str = "zh") -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of ``lang`` as gettext reads it (for tests and tools)."""
    return gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[LANGUAGE_OF[lang]], fallback=True)
