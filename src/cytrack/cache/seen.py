"""What cytrack last saw of each ledger: a small record in the cache folder, keyed by the ledger's real path.

Git, editors and sync tools ignore cytrack's lock.  A program that saves in place (truncate,
then write) leaves, for a moment, a file that holds only its first part; such a file can
parse and validate (it simply has fewer commitments).  A write must never take it as its
base, so every successful write records the ids of the ledger it wrote and the digest of
its bytes; the next write refuses a base that lacks commitments the record has (exit 3),
unless the user says the smaller ledger is right by running ``cytrack validate`` on it,
which records it afresh.  The record also lets a write skip the settle wait when the file
is byte for byte what cytrack itself wrote last.

The record is a hint kept in the user's own (checked) cache folder: no record, or a damaged
one, means no check, never an error. It is plain text (importing ``json`` cost a write ~3.5
ms): a first line ``cytrack-seen 1``, the ledger's real path, the digest, then one id per line
(ids are one-line ASCII, contract §1 and §10).
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path
from typing import NamedTuple

from cytrack.cache import folder as cache

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover
    from hashlib import blake2b

_PREFIX = "seen-"
_SUFFIX = ".txt"
_MAGIC = "cytrack-seen 1"


class Seen(NamedTuple):
    ids: tuple[str, ...]
    digest: str  # ``cache.key`` of the bytes cytrack wrote or validated last


def _record_path(ledger: Path | str) -> Path | None:
    where = cache.folder()
    if where is None:
        return None
    real = os.path.realpath(ledger)
    name = blake2b(real.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
    return where / f"{_PREFIX}{name}{_SUFFIX}"


def last_seen(ledger: Path | str) -> Seen | None:
    """The record for this ledger, or None (no record, caching off, or a record that does not make sense)."""
    where = _record_path(ledger)
    if where is None:
        return None
    try:
        from cytrack.ledger.rawfile import read_regular

        raw, _st = read_regular(where, 16 << 20)
        magic, path, digest, *ids = raw.decode("utf-8", "surrogateescape").split("\n")
        if magic != _MAGIC or path != os.path.realpath(ledger) or not digest:
            return None
        return Seen(tuple(ids), digest)
    except (OSError, ValueError):  # unreadable, or not three lines of UTF-8 (a damaged record)
        return None


def remember(ledger: Path | str, ids: tuple[str, ...] | list[str], digest: str, *, known: Seen | None = None) -> None:
    """Record what cytrack wrote (or validated) at ``ledger``; best effort, silent on failure."""
    if known is not None and known.digest == digest and known.ids == tuple(ids):
        return
    where = _record_path(ledger)
    if where is None or not cache.usable_folder(where.parent):
        return
    fields = [_MAGIC, os.path.realpath(ledger), digest, *ids]
    if any("\n" in f or "\r" in f for f in fields):
        return  # a line break in a path or id: no record (so no check), never a record misread
    with suppress(OSError):
        cache.put_private(where, ["\n".join(fields).encode("utf-8", "surrogateescape")])


def missing(seen: Seen | None, ids: tuple[str, ...]) -> list[str]:
    """The ids the record has that ``ids`` lacks, when ``ids`` is also shorter (else nothing)."""
    if seen is None or len(ids) >= len(seen.ids):
        return []
    have = {i.casefold() for i in ids}
    return [i for i in seen.ids if i.casefold() not in have]
