"""``update``, ``extend`` and ``add``: the commands that write the ledger.

Each checks its values through ``changes`` (exit 2, before any lock), hands the change
to ``store.write_change`` (lock, re-read, edit, verify, atomic replace) and prints one
line saying what is now recorded.  The write path (the lock, the editor) is imported
only when a write runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cytrack.ledger.errors import UsageError

if TYPE_CHECKING:
    from cytrack.commands.session import Session
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

    change = new_progress(
        cid, s.date(when), note, status=status, percent=percent, by=by, evidence=evidence, force=force
    )
    return _finish(s, change)


def extend_cmd(
    s: Session,
    *,
    cid: str,
    to: str | None = None,
    reason: str | None = None,
    by: str | None = None,
    when: str | None = None,
) -> int:
    from cytrack.store.changes import new_extension

    if to is None:
        raise UsageError("--to is required: the new due date, e.g. --to 2026-06-30.")
    return _finish(s, new_extension(cid, s.date(when), s.date(to), reason, by))


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
) -> int:
    from cytrack.store.changes import new_commitment

    change = new_commitment(
        section=section, title=title, lead=lead, quote=quote, co_owners=co_owner,
        due=s.date(due) if due is not None else None, due_basis=due_basis, review=review, tags=tag, cid=cid,
    )
    return _finish(s, change)


def _finish(s: Session, change: Change) -> int:
    from cytrack.i18n import status_name, write_word
    from cytrack.store.write import write_change
    from cytrack.render.terminal import say, write_plain
    from cytrack.textsafe import one_line

    edit = write_change(s.location, change)
    for warning in edit.warnings:
        say(warning)
    o = edit.outcome
    words = {"id": one_line(o.cid), "status": status_name(s.lang, o.status), "percent": o.percent}
    if o.kind == "update":
        write_plain(write_word(s.lang, "updated", date=o.on.isoformat() if o.on else "", **words))
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
