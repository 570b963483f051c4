"""Writing output files (exports, reports, new ledgers) so that a reader never sees half a file.

``replace_output`` puts the bytes over whatever is there, ``create_file`` only where nothing
is; both go through the one atomic writer (``store.files``) and add what an output needs:
the folders on the way, and one sentence when the file cannot be written.  The ledger
itself is written only by ``store.write``.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from cytrack.i18n.messages import message, os_reason
from cytrack.ledger.errors import CytrackError, UsageError
from cytrack.store.files import IS_WINDOWS, ReplaceFailed, create_atomically, replace_atomically


def lock_of(path: Path) -> Path:
    """``commitments.toml`` → ``commitments.toml.lock`` beside it (``store.write.lock_path_for``)."""
    return path.with_name(path.name + ".lock")


def protected_paths(ledger_files: Iterable[Path | str]) -> tuple[Path, ...]:
    """The files no output may overwrite: each ledger file (the entry and every included one),
    the file a symlinked one points to, and the lock files beside both."""
    found: list[Path] = []
    for name in ledger_files:
        given = Path(name)
        real = Path(os.path.realpath(given))
        for p in (given, real, lock_of(given), lock_of(real)):
            if p not in found:
                found.append(p)
    return tuple(found)


def _same(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name the same file: the same inode when both exist, else the same real path."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        pass
    ra, rb = os.path.normcase(os.path.realpath(a)), os.path.normcase(os.path.realpath(b))
    return ra == rb


def refuse_protected(target: Path | str, protected: Iterable[Path | str]) -> None:
    """``UsageError`` (exit 2) when ``target`` is, by any spelling, one of the ``protected`` files.

    Every option that writes a file calls this (``replace_output`` does it itself) before a byte
    is written; ``protected`` comes from ``protected_paths``.
    """
    target = Path(target)
    for p in protected:
        if _same(target, Path(p)):
            what = message("the_lock_file" if Path(p).name.endswith(".lock") else "the_ledger_file")
            raise UsageError(message("output_protected", path=target, what=what, protected=p))


def _prepare_folder(target: Path) -> None:
    if target.is_dir():
        raise UsageError(message("output_is_folder", path=target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise UsageError(message("folder_blocked", path=target.parent)) from None
    except OSError as exc:
        raise UsageError(message("folder_failed", path=target.parent, reason=os_reason(exc))) from None


def _failed(target: Path, exc: OSError) -> CytrackError:
    reason = os_reason(exc)
    if isinstance(exc, ReplaceFailed) and exc.replaced:
        return CytrackError(message("output_unsynced", path=target, reason=reason))
    # On Windows a file that Excel or WPS has open cannot be replaced.
    busy = IS_WINDOWS and exc.errno in (errno.EACCES, errno.EPERM)
    hint = message("open_in_excel") if busy else ""
    return CytrackError(message("output_failed", path=target, reason=reason, hint=hint))


def replace_output(target: Path, data: bytes, *, protect: Iterable[Path | str]) -> None:
    """Write ``data`` to ``target`` atomically (``files.replace_atomically``), replacing an existing file.

    ``protect`` (from ``protected_paths``, usually ``Session.protected``) lists the ledger files
    and locks the target must not be: refused with exit 2 before anything is written.
    """
    refuse_protected(target, protect)
    _prepare_folder(target)
    try:
        replace_atomically(target, data)
    except ReplaceFailed as exc:
        raise _failed(target, exc) from None


def create_file(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` only if nothing is there yet; raises ``FileExistsError`` otherwise."""
    _prepare_folder(target)
    if target.exists():
        raise FileExistsError(str(target))
    try:
        create_atomically(target, data)
    except FileExistsError:
        raise
    except OSError as exc:
        raise _failed(target, exc) from None
