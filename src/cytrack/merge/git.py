"""Git as the engine between offices: the merge driver's file handling, and ``git-setup``.

Each department keeps a clone of the ledger; a file lock cannot reach across clones, and
git's line merge conflicts whenever two clones append to the same commitment (while
``merge=union`` yields invalid TOML).  ``git-setup`` makes git hand the ledger to
``cytrack merge-driver``, which merges by structure (``merge``).
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from cytrack.i18n.messages import message, os_reason
from cytrack.ledger.errors import CytrackError, Problem
from cytrack.ledger.load import MAX_BYTES, LedgerText, decode_ledger, load_text
from cytrack.merge.plan import MergeError
from cytrack.merge.three_way import SIDES, MergeResult, describe, merge_texts
from cytrack.store.write import encode, replace_ledger

DRIVER = "cytrack"
DRIVER_NAME = "cytrack: merge the commitments ledger by structure"
ATTRIBUTE = f"merge={DRIVER}"


def _read_side(path: Path, name: str, side: str) -> LedgerText:
    shown = message("merge_side", name=name, side=message(side))
    try:
        if path.stat().st_size > MAX_BYTES:
            raise MergeError(message("merge_too_large", name=shown, limit=MAX_BYTES // 1048576))
        raw = path.read_bytes()
    except OSError as exc:
        raise MergeError(message("merge_unreadable", name=shown, reason=os_reason(exc))) from None
    return decode_ledger(shown, raw)


def run_merge_driver(ancestor: Path, ours: Path, theirs: Path, name: str) -> MergeResult:
    """Merge the three files git gives the driver; the result goes into ``ours`` (git's ``%A``).

    A clean result is validated first and is written only when valid; with conflicts, the
    file gets git's markers around each conflicting piece.  On any error ``ours`` is left
    as it was.
    """
    sides = [_read_side(p, name, s) for p, s in zip((ancestor, ours, theirs), SIDES, strict=True)]
    mine = sides[1]
    result = merge_texts(*sides)
    if not result.conflicts:
        merged = load_text(LedgerText(name, result.text, bom=mine.bom, newline=mine.newline))
        if merged.errors:
            raise MergeError(
                message("merge_invalid", name=name, count=len(merged.errors)),
                problems=merged.errors,
            )
    data = encode(mine, result.text)
    if data != mine.raw:
        replace_ledger(ours, data)
    return result


def driver_command() -> str:
    """The command git runs: this Python with ``-m cytrack``, so it works whatever git's PATH is."""
    return f"{shlex.quote(sys.executable)} -m cytrack merge-driver %O %A %B %P"


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", check=False)
    except FileNotFoundError:
        raise CytrackError(message("no_git")) from None


def repository_root(folder: Path) -> Path:
    """The top folder of the git work tree holding ``folder``; exit 3 when there is none."""
    done = _git(["rev-parse", "--show-toplevel"], folder)
    if done.returncode != 0 or not done.stdout.strip():
        raise CytrackError(message("not_a_repo", path=folder))
    return Path(done.stdout.strip())


def _escape_glob(path: str) -> str:
    return "".join("\\" + ch if ch in "\\*?[" else ch for ch in path)


def attribute_pattern(relative: str) -> str:
    """A .gitattributes pattern matching exactly this path (glob characters escaped, quoted if needed)."""
    escaped = _escape_glob(relative)
    if any(ch in escaped for ch in ' \t"') or escaped.startswith(("#", "!")):
        escaped = '"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return escaped


def ignore_patterns(relative: str) -> list[str]:
    """Patterns for the lock file beside the ledger and the temp files of interrupted writes."""
    folder, _, name = relative.rpartition("/")
    base = f"/{_escape_glob(folder)}/" if folder else "/"
    return [f"{base}{_escape_glob(name)}.lock", f"{base}.{_escape_glob(name)}.*.tmp"]


def _included_patterns(ledger: Path, relative: str) -> list[str]:
    """The office's ``include`` patterns (contract §6) as patterns relative to the repository
    root: every reply file is merged by the driver and its lock kept out of ``git status``
    too (a pattern that leaves the folder is refused by the ledger's own checks)."""
    from cytrack.ledger.office import include_patterns

    try:
        patterns, _ = include_patterns(ledger.read_bytes(), str(ledger))
    except OSError:
        return []
    folder = relative.rpartition("/")[0]
    base = _escape_glob(folder) + "/" if folder else ""
    return [base + (p[2:] if p.startswith("./") else p)
            for p in patterns if p and not p.startswith(("/", "..")) and "/../" not in p]


def _quoted(pattern: str) -> str:
    if any(ch in pattern for ch in ' \t"') or pattern.startswith(("#", "!")):
        return '"' + pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return pattern


def _ignore_included(pattern: str) -> list[str]:
    """The lock and temp files beside the files an include pattern matches."""
    folder, _, name = pattern.rpartition("/")
    base = f"/{folder}/" if folder else "/"
    return [f"{base}{name}.lock", f"{base}.{name}.*.tmp"]


@dataclass
class SetupReport:
    """What ``git-setup`` found and did: (what, value, changed now) in order."""

    root: Path
    relative: str
    steps: list[tuple[str, str, bool]] = field(default_factory=list)
    override: str | None = None  # the merge attribute git actually sees, when another rule wins

    @property
    def changed(self) -> bool:
        return any(changed for _, _, changed in self.steps)


def _has_attribute(lines: list[str], line: str) -> bool:
    pattern = line.split()[0]
    return any(parts[:1] == [pattern] and ATTRIBUTE in parts[1:] for parts in (x.split() for x in lines))


def _add_lines(path: Path, shown: str, wanted: list[str], report: SetupReport, *, attributes: bool) -> None:
    """Append the ``wanted`` lines ``path`` lacks, keeping its lines and newline style; record each step."""
    try:
        raw = path.read_bytes() if path.exists() else b""
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CytrackError(message("attributes_unreadable", path=path, reason=exc, line=wanted[0])) from None
    lines = text.lstrip("\ufeff").splitlines()
    missing = []
    for line in wanted:
        present = _has_attribute(lines, line) if attributes else line in lines
        report.steps.append((shown, line, not present))
        if not present:
            missing.append(line)
    if missing:
        newline = "\r\n" if "\r\n" in text else "\n"
        if text and not text.endswith("\n"):
            text += newline
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_ledger(path, (text + "".join(line + newline for line in missing)).encode("utf-8"))


def setup_git(ledger: Path) -> SetupReport:
    """Register the merge driver for ``ledger`` in its repository (idempotent).

    Writes ``<ledger> merge=cytrack`` to the top ``.gitattributes`` (to be committed, so
    every clone merges alike), the driver to the clone's own git config (which a clone
    does not copy), and keeps the ledger's lock and temp files out of ``git status``
    through ``.git/info/exclude``.
    """
    if not ledger.is_file():
        raise CytrackError(message("setup_no_ledger", path=ledger))
    root = repository_root(ledger.resolve().parent)
    try:
        relative = ledger.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise CytrackError(message("outside_repo", path=ledger, root=root)) from None
    report = SetupReport(root, relative)
    included = _included_patterns(ledger, relative)
    lines = [f"{attribute_pattern(relative)} {ATTRIBUTE}"] + [f"{_quoted(p)} {ATTRIBUTE}" for p in included]
    _add_lines(root / ".gitattributes", ".gitattributes", lines, report, attributes=True)
    for key, value in (("merge.cytrack.name", DRIVER_NAME), ("merge.cytrack.driver", driver_command())):
        current = _git(["config", "--local", "--get", key], root)
        present = current.returncode == 0 and current.stdout.rstrip("\n") == value
        report.steps.append((key, value, not present))
        if present:
            continue
        done = _git(["config", "--local", key, value], root)
        if done.returncode != 0:
            raise CytrackError(message("git_config_failed", key=key, reason=done.stderr.strip() or done.returncode))
    exclude = Path(_git(["rev-parse", "--git-path", "info/exclude"], root).stdout.strip())
    shown = exclude.as_posix() if not exclude.is_absolute() else "info/exclude"
    ignored = ignore_patterns(relative) + [p for pattern in included for p in _ignore_included(pattern)]
    _add_lines(root / exclude, shown, ignored, report, attributes=False)
    seen = _git(["check-attr", "merge", "--", relative], root).stdout.strip().rsplit(": ", 1)[-1]
    if seen != DRIVER:
        report.override = seen
    return report


def conflict_problems(name: str, result: MergeResult) -> list[Problem]:
    """One ``FILE:LINE: message`` per conflict, at the line of its opening marker."""
    return [Problem(name, result.line_of(c), describe(c)) for c in result.conflicts]
