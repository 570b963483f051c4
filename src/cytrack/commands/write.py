"""``update``, ``extend`` and ``add``: the commands that write the ledger.

Each checks its values through ``changes`` (exit 2, before any lock), hands the change
to ``store.write_change`` (lock, re-read, edit, verify, atomic replace) and prints one
line saying what is now recorded.  The write path (the lock, the editor) is imported
only when a write runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cytrack.i18n.messages import listing, message
from cytrack.ledger.errors import UsageError

if TYPE_CHECKING:
    from cytrack.commands.session import Session
    from cytrack.ledger.load import LedgerLocation
    from cytrack.store.write import Change


def update_cmd(
    s: Session,
    *,
    cid: str,
    note: str | None = None,
    status: str | None = None,
    percent: str | None = None,
    when: str | None = None,
    by: str | None = None,
    evidence: str | None = None,
    force: bool = False,
) -> int:
    from cytrack.store.changes import new_progress

    on = s.date(when)
    if when is not None and on > s.today and not force:
        raise UsageError(_refused(s, "future_entry", when, on))
    where, bare, shown = _target(s, cid)
    change = new_progress(bare, on, note, status=status, percent=percent, by=by, evidence=evidence, force=force)
    return _finish(s, change, where, shown)


def _refused(s: Session, key: str, typed: str, on: object) -> str:
    """Why a date typed by a person is refused (contract §7), saying what was typed and what it means."""
    from cytrack.i18n import state_word
    from cytrack.textsafe import one_line

    relation = state_word(s.lang, "relation_same" if on == s.today else "relation_before")
    return state_word(
        s.lang, key, typed=one_line(typed), date=str(on), today=s.today.isoformat(), relation=relation,
    )


def extend_cmd(
    s: Session,
    *,
    cid: str,
    to: str | None = None,
    reason: str | None = None,
    by: str | None = None,
    when: str | None = None,
    force: bool = False,
) -> int:
    from cytrack.store.changes import new_extension

    if to is None:
        raise UsageError(message("extend_needs_to"))
    change = new_extension(cid, s.date(when), s.date(to), reason, by)  # --reason is checked first
    if change.new_due <= s.today and not force:
        raise UsageError(_refused(s, "past_extension", to, change.new_due))
    where, bare, shown = _target(s, cid)
    return _finish(s, change._replace(cid=bare), where, shown)


def add_cmd(
    s: Session,
    *,
    section: int | None = None,
    title: str | None = None,
    quote: str | None = None,
    lead: str | None = None,
    co_owner: list[str] | None = None,
    due: str | None = None,
    due_basis: str | None = None,
    review: str | None = None,
    tag: list[str] | None = None,
    cid: str | None = None,
    reply: str | None = None,
) -> int:
    from cytrack.store.changes import new_commitment

    change = new_commitment(
        section=section, title=title, lead=lead, quote=quote, co_owners=co_owner,
        due=s.date(due) if due is not None else None, due_basis=due_basis, review=review, tags=tag, cid=cid,
    )
    where, prefix = _reply_for_add(s, reply)
    return _finish(s, change, where, prefix)


def _target(s: Session, cid: str) -> tuple[LedgerLocation, str, str]:
    """The file that holds commitment ``cid`` (``KEY/ID`` or a bare id), its bare id, and the
    prefix its id is shown with (``KEY/`` when the ledger holds several replies)."""
    location = s.location
    if not _may_include(location):
        return location, cid, ""
    quick = _by_file_name(location, cid)
    if quick is not None:
        return quick
    from cytrack.core.query import find_in_office

    office = s.office()
    if office.single is not None and office.single.path == str(location.path):
        return location, cid, ""
    reply, c = find_in_office(office, cid)
    prefix = f"{reply.source.key}/" if office.multi else ""
    return location._replace(path=Path(reply.path)), c.id, prefix


def _by_file_name(location: LedgerLocation, cid: str) -> tuple[LedgerLocation, str, str] | None:
    """``KEY/ID`` in the reply file named ``KEY.toml`` (as ``reply add`` names them): found by
    reading that one file, so a write to an office of 600 files reads one, not 600.  None
    when there is no such file, it has another key, or it lacks the id: then the whole
    office is read (which also reports keys used twice)."""
    key, slash, bare = cid.strip().partition("/")
    if not slash or not key:
        return None
    from cytrack.ledger.errors import LedgerUnusable
    from cytrack.ledger.load import load_ledger
    from cytrack.ledger.office import head_key, include_patterns, matches

    entry = str(location.path)
    try:
        patterns, _ = include_patterns(Path(entry).read_bytes(), entry)
    except OSError:
        return None
    wanted = key.casefold()
    every = matches(entry, patterns)
    names = [n for n in every if Path(n).stem.casefold() == wanted]
    if len(names) != 1:
        return None
    try:
        reply = load_ledger(names[0]).ledger
    except LedgerUnusable:
        return None
    if reply is None or reply.source.key.casefold() != wanted or reply.find(bare) is None:
        return None
    # A key used twice (this one or another) is a problem of the ledger (contract §6): read
    # the whole office, which refuses it with exit 3 naming both files, as every command does.
    # Each other file's key is read from its head: a few bytes a file.
    keys = [wanted] + [head_key(n) for n in (entry, *every) if n != names[0]]
    claimed = [k if k is None else k.casefold() for k in keys if k != ""]
    if None in claimed or len(set(claimed)) != len(claimed):
        return None
    found = reply.find(bare)
    assert found is not None
    multi = len(every) > 1
    if not multi:  # one included file: several replies only when the entry file holds one too
        from cytrack.ledger.office import holds_reply

        try:
            own = load_ledger(entry).ledger
        except LedgerUnusable:
            return None
        multi = own is not None and holds_reply(own, patterns)
    return location._replace(path=Path(names[0])), found.id, f"{reply.source.key}/" if multi else ""


def _may_include(location: LedgerLocation) -> bool:
    """Whether the entry file has an ``include`` line (its head only; the everyday ledger has none)."""
    from cytrack.ledger.office import file_has_include

    return file_has_include(location.path)


def _reply_for_add(s: Session, reply: str | None) -> tuple[LedgerLocation, str]:
    """The file ``add`` writes to: the one reply, or ``--reply KEY`` (required with several)."""
    location = s.location
    if reply is None and not _may_include(location):
        return location, ""
    office = s.office()
    if reply is None:
        if office.multi or not office.replies:
            keys = listing(office.keys()) or "-"
            raise UsageError(message("say_which_reply", count=len(office.replies), keys=keys))
        target = office.replies[0]
    else:
        target = office.reply(reply)
        if target is None:
            keys = listing(office.keys()) or "-"
            raise UsageError(message("no_such_reply", key=reply, path=office.path, known=keys))
    prefix = f"{target.source.key}/" if office.multi else ""
    return location._replace(path=Path(target.path)), prefix


def _finish(s: Session, change: Change, location: LedgerLocation | None = None, prefix: str = "") -> int:
    from cytrack.i18n import status_name, write_word
    from cytrack.render.terminal import say, write_plain
    from cytrack.store.write import write_change
    from cytrack.textsafe import one_line

    edit = write_change(location or s.location, change)
    for warning in edit.warnings:
        say(warning)
    o = edit.outcome
    words = {"id": one_line(prefix + o.cid), "status": status_name(s.lang, o.status), "percent": o.percent}
    if o.kind == "update":
        from cytrack.i18n import state_word

        line = write_word(s.lang, "updated", date=o.on.isoformat() if o.on else "", **words)
        write_plain(line + "".join(state_word(s.lang, f"also_{note}") for note in o.notes))
        if o.kept:
            fields = write_word(s.lang, "kept_both" if len(o.kept) == 2 else f"kept_{o.kept[0]}")
            say(write_word(s.lang, "kept", date=o.later.isoformat() if o.later else "", fields=fields, **words))
    elif o.kind == "extend":
        new_due = o.new_due.isoformat() if o.new_due else ""
        if o.old_due is None:
            write_plain(write_word(s.lang, "extended_first", id=words["id"], new_due=new_due))
        else:
            write_plain(write_word(s.lang, "extended", id=words["id"], new_due=new_due, old_due=o.old_due.isoformat()))
    else:
        write_plain(write_word(s.lang, "added", title=one_line(o.title), **words))
    return 0
