"""Writing output files (exports, new ledgers) so that a reader never sees half a file.

Both writers put the bytes in a temporary file in the target's folder, flush and fsync
it, then move it into place in one step: ``replace_file`` over whatever is there (the same
``atomic.replace_atomically`` the ledger's writer uses), ``create_file`` only when nothing
is (a hard link fails when the target exists, so two runs cannot both win).  The ledger
itself is written only by the store module.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from cytrack.store.files import IS_WINDOWS, ReplaceFailed, replace_atomically
from cytrack.ledger.errors import CytrackError, UsageError
from cytrack.store.faults import make_temp_file


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

    Every option that writes a file calls this (``replace_file`` does it itself) before a byte
    is written; ``protected`` comes from ``protected_paths``.
    """
    target = Path(target)
    for p in protected:
        if _same(target, Path(p)):
            what = "the lock file" if Path(p).name.endswith(".lock") else "the ledger file"
            raise UsageError(
                f"{target} is {what} {p}; an output never overwrites a ledger or its lock."
                " Nothing was written; give another file name."
            )


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def _temp_beside(target: Path, data: bytes) -> Iterator[Path]:
    """A synced temporary file holding ``data`` in ``target``'s folder, removed afterwards if still there."""
    fd, name = make_temp_file(target.parent, f".{target.name}.")
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give it the mode a plain open() would, or keep the old file's.
        os.chmod(temp, _mode_for(target))
        yield temp
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _prepare_folder(target: Path) -> None:
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give a file name.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise UsageError(f"cannot create the folder {target.parent}: a file is in the way.") from None
    except OSError as exc:
        raise UsageError(f"cannot create the folder {target.parent}: {exc.strerror or exc}.") from None


def _failed(target: Path, exc: OSError) -> CytrackError:
    reason = exc.strerror or str(exc)
    if isinstance(exc, ReplaceFailed) and exc.replaced:
        return CytrackError(f"{target} was written, but its folder could not be synced to disk ({reason}).")
    # On Windows a file that Excel or WPS has open cannot be replaced.
    busy = IS_WINDOWS and exc.errno in (errno.EACCES, errno.EPERM)
    hint = " Is it open in Excel or WPS? Close it and try again." if busy else ""
    return CytrackError(f"{target} cannot be written ({reason}); nothing was changed.{hint}")


def replace_file(target: Path, data: bytes, *, protect: Iterable[Path | str]) -> None:
    """Write ``data`` to ``target`` atomically (``atomic.replace_atomically``), replacing an existing file.

    ``protect`` (from ``protected_paths``, usually ``Session.protected``) lists the ledger files
    and locks the target must not be: refused with exit 2 before anything is written.
    """
    refuse_protected(target, protect)
    _prepare_folder(target)
    try:
        replace_atomically(target, data)
    except ReplaceFailed as exc:
        raise _failed(target, exc) from None


def _exclusive_write(target: Path, data: bytes) -> None:
    """For file systems without hard links (FAT, some network shares): create-only, removed again on failure."""
    with open(target, "xb") as handle:
        try:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        except OSError:
            handle.close()
            target.unlink()
            raise


def create_file(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` only if nothing is there yet; raises ``FileExistsError`` otherwise."""
    _prepare_folder(target)
    if target.exists():
        raise FileExistsError(str(target))
    try:
        with _temp_beside(target, data) as temp:
            try:
                os.link(temp, target)
            except FileExistsError:
                raise
            except OSError:
                _exclusive_write(target, data)
    except FileExistsError:
        raise
    except OSError as exc:
        raise _failed(target, exc) from None
