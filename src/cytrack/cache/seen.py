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
one, means no check, never an error.
"""

from __future__ import annotations

import json
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
_SUFFIX = ".json"


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
        data = json.loads(raw)
        if data.get("path") != os.path.realpath(ledger):
            return None
        ids, digest = data["ids"], data["digest"]
        if not (isinstance(ids, list) and all(isinstance(i, str) for i in ids) and isinstance(digest, str)):
            return None
        return Seen(tuple(ids), digest)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def remember(ledger: Path | str, ids: tuple[str, ...] | list[str], digest: str, *, known: Seen | None = None) -> None:
    """Record what cytrack wrote (or validated) at ``ledger``; best effort, silent on failure."""
    if known is not None and known.digest == digest and known.ids == tuple(ids):
        return
    where = _record_path(ledger)
    if where is None or not cache.usable_folder(where.parent):
        return
    body = json.dumps({"path": os.path.realpath(ledger), "digest": digest, "ids": list(ids)}, ensure_ascii=False)
    with suppress(OSError):
        cache.put_private(where, [body.encode("utf-8")])


def missing(seen: Seen | None, ids: tuple[str, ...]) -> list[str]:
    """The ids the record has that ``ids`` lacks, when ``ids`` is also shorter (else nothing)."""
    if seen is None or len(ids) >= len(seen.ids):
        return []
    have = {i.casefold() for i in ids}
    return [i for i in seen.ids if i.casefold() not in have]
