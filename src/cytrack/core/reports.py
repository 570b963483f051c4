"""Overdue, stale, summary and the weekly report as plain data (contract §3).

Every function takes the as-of date D as an argument and reads no clock; renderers
under ``render/`` turn these values into tables, plain text, Markdown or JSON.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from cytrack.core.dates import shift, week_of
from cytrack.core.query import Filters, as_office, entry_fields, id_key, qualified, row, select, states
from cytrack.core.state import DUE_SOON_DAYS, LIGHTS, State, status_after
from cytrack.ledger.model import STATUS_VALUES, Commitment, Ledger, Office, ProgressEntry, Source, Status


class Tally(NamedTuple):
    """Counts over a group of commitments as of D."""

    total: int
    by_status: dict[str, int]  # every status, zeros included, in the order of STATUS_VALUES
    overdue: int
    stale: int
    average_percent: float  # over the commitments not dropped; 0.0 when there are none
    lights: dict[str, int]  # each of LIGHTS (red, yellow, blue), zeros included
    unjudged: int  # open, no progress and no tracking start: cannot be judged stale or not


class Group(NamedTuple):
    """One row of the summary: a section (key = its number) or a lead owner (key = the name)."""

    key: int | str
    heading: str
    tally: Tally


class Summary(NamedTuple):
    """The director's screen: totals, then the same counts per section and per lead owner.

    With several replies in the ledger, ``replies`` has a row per reply (key = its key,
    heading = its name) and ``sections`` is empty: section numbers belong to one reply.
    """

    as_of: date
    proposal: str
    totals: Tally
    sections: tuple[Group, ...]
    owners: tuple[Group, ...]
    replies: tuple[Group, ...] = ()
    sources: tuple[Source, ...] = ()  # the replies' [source], in the order of ``replies``
    kind: str = "proposal"  # one reply: its kind (the title says 提案 or 建议)


class StaleList(NamedTuple):
    """Stale commitments, longest quiet first, with what the staleness counts from."""

    as_of: date
    days: int | None  # the ``--days`` override, when given
    replied: date | None  # the tracking start (``[source] replied``, else ``tracking_since``)
    items: tuple[State, ...]
    start_key: str | None = None  # "replied" or "tracking_since": which key ``replied`` came from
    unjudged: int = 0  # open commitments with no entry and no tracking start
    replied_of: dict[str, tuple[date | None, str | None]] | None = None  # per reply key, with several
    unjudged_files: tuple[str, ...] = ()  # with several replies: the files whose [source] needs a date

    def since(self, st: State) -> date | None:
        """The tracking start a commitment with no entry counts from."""
        return self.replied_of.get(st.reply, (None, None))[0] if self.replied_of is not None else self.replied

    def since_key(self, st: State) -> str | None:
        """Which key of ``[source]`` that start came from: "replied" or "tracking_since"."""
        return self.replied_of.get(st.reply, (None, None))[1] if self.replied_of is not None else self.start_key


class ProgressItem(NamedTuple):
    """One progress entry of the period with the status and percent just before and after it."""

    commitment: Commitment
    entry: ProgressEntry
    before: tuple[Status, int]
    after: tuple[Status, int]


class SectionProgress(NamedTuple):
    """The progress items of one section of part 二 (empty when it had none in the period)."""

    number: int
    heading: str
    items: tuple[ProgressItem, ...]


class ReplyProgress(NamedTuple):
    """The progress items of one reply in the period, by section when it has ``[sections]``."""

    source: Source
    items: tuple[ProgressItem, ...]
    sections: tuple[SectionProgress, ...]  # only sections with items; empty without [sections]


class Weekly(NamedTuple):
    """The 周报 as of ``end``: period, totals, progress, overdue, due soon, stale."""

    proposal: str
    start: date
    end: date
    totals: Tally
    closed_in_period: int
    progress: tuple[ProgressItem, ...]  # in section, id and date order
    sections: tuple[SectionProgress, ...]  # the same items grouped; empty when the ledger has no [sections]
    overdue: tuple[State, ...]
    due_soon: tuple[State, ...]
    stale: StaleList
    replies: tuple[ReplyProgress, ...] | None = None  # several replies: progress by reply, then section
    key: str = ""  # the reply's key when the ledger holds one reply
    kind: str = "proposal"  # the kind of that one reply: its title says 提案 or 建议

    @property
    def due_window(self) -> tuple[date, date]:
        """The days "due soon" covers: the seven days after D."""
        return shift(self.end, 1), shift(self.end, DUE_SOON_DAYS)


def average_percent(items: Iterable[State]) -> float:
    """Mean percent of the commitments not dropped, rounded half up to one decimal."""
    values = [st.percent for st in items if st.status is not Status.DROPPED]
    if not values:
        return 0.0
    mean = Decimal(sum(values)) / Decimal(len(values))
    return float(mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def tally(items: Sequence[State]) -> Tally:
    """Counts by status (all five), overdue and stale counts, and the average percent."""
    by_status = dict.fromkeys(STATUS_VALUES, 0)
    lights = dict.fromkeys(LIGHTS, 0)
    for st in items:
        by_status[st.status.value] += 1
        light = st.light
        if light is not None:
            lights[light] += 1
    return Tally(
        total=len(items),
        by_status=by_status,
        overdue=sum(1 for st in items if st.overdue),
        stale=sum(1 for st in items if st.stale),
        average_percent=average_percent(items),
        lights=lights,
        unjudged=sum(1 for st in items if st.unjudged),
    )


def section_numbers(ledger: Ledger | Office) -> list[int]:
    """Every section with a heading in ``[sections]`` or a commitment, in order."""
    return sorted(set(ledger.sections) | {c.section for c in ledger.commitments})


def by_id(items: Iterable[State]) -> list[State]:
    return sorted(items, key=lambda st: id_key(st.commitment.id))


def overdue_report(ledger: Ledger | Office, as_of: date, owners: Sequence[str] = ()) -> list[State]:
    """Overdue as of D, most overdue first (ties by id); ``owners`` match lead or co-owner by substring."""
    items = select(ledger, as_of, Filters(owners=owners, overdue=True))
    return sorted(by_id(items), key=lambda st: -(st.days_overdue or 0))


def due_soon_report(ledger: Ledger | Office, as_of: date) -> list[State]:
    """Open commitments due in the seven days after D, soonest first."""
    items = [st for st in states(ledger, as_of) if st.due_soon]
    return sorted(by_id(items), key=lambda st: st.due or date.max)


def stale_report(ledger: Ledger | Office, as_of: date, days: int | None = None) -> StaleList:
    """Stale as of D (each rhythm, or ``days`` for all), the longest quiet first (ties by id)."""
    office = as_office(ledger)
    every = states(office, as_of, days)
    items = [st for st in every if st.stale]
    ordered = sorted(by_id(items), key=lambda st: st.stale_since or date.min)
    unjudged = sum(1 for st in every if st.unjudged)
    if office.single is not None:
        source = office.single.source
        return StaleList(as_of, days, source.start, tuple(ordered), _start_key(source), unjudged)
    replied_of = {r.source.key: (r.source.start, _start_key(r.source)) for r in office.replies}
    keys = {st.reply for st in every if st.unjudged}
    files = tuple(r.path for r in office.replies if r.source.key in keys)
    return StaleList(as_of, days, None, tuple(ordered), None, unjudged, replied_of, files)


def _start_key(source: Source) -> str | None:
    return "replied" if source.replied else "tracking_since" if source.tracking_since else None


def quiet_since(st: State, replied: date | None) -> date | None:
    """What staleness counts from: the latest entry on or before D, else the tracking start."""
    return st.last_update or replied


def summary_report(ledger: Ledger | Office, as_of: date) -> Summary:
    """Totals, per section and per lead owner (most commitments first, ties in file order);
    with several replies, per reply and per lead owner."""
    office = as_office(ledger)
    if office.single is None:
        return _office_summary(office, as_of)
    ledger = office.single
    all_states = states(office, as_of)
    sections = tuple(
        Group(n, ledger.sections.get(n, ""), tally([st for st in all_states if st.commitment.section == n]))
        for n in section_numbers(ledger)
    )
    leads: dict[str, list[State]] = {}
    for st in all_states:
        leads.setdefault(st.commitment.lead, []).append(st)
    owners = sorted(leads.items(), key=lambda kv: -len(kv[1]))
    return Summary(
        as_of=as_of,
        proposal=ledger.source.proposal,
        totals=tally(all_states),
        sections=sections,
        owners=tuple(Group(lead, lead, tally(items)) for lead, items in owners),
        kind=ledger.source.kind,
    )


def _office_summary(office: Office, as_of: date) -> Summary:
    all_states = states(office, as_of)
    by_reply: dict[str, list[State]] = {r.source.key: [] for r in office.replies}
    leads: dict[str, list[State]] = {}
    for st in all_states:
        by_reply[st.reply].append(st)
        leads.setdefault(st.commitment.lead, []).append(st)
    owners = sorted(leads.items(), key=lambda kv: -len(kv[1]))
    return Summary(
        as_of=as_of,
        proposal="",
        totals=tally(all_states),
        sections=(),
        owners=tuple(Group(lead, lead, tally(items)) for lead, items in owners),
        replies=tuple(Group(r.source.key, r.source.title, tally(by_reply[r.source.key])) for r in office.replies),
        sources=tuple(r.source for r in office.replies),
    )


def period_progress(ledger: Ledger, start: date, end: date, key: str | None = None) -> list[ProgressItem]:
    """Every entry dated ``start``..``end`` with the change it made, by section, id and date;
    with ``key``, the commitments carry their qualified ids."""
    found: list[ProgressItem] = []
    for c in ledger.commitments:
        if key is not None and any(start <= e.date <= end for e in c.progress):
            c = qualified(c, key)
        for i, e in enumerate(c.progress):
            if start <= e.date <= end:
                found.append(ProgressItem(c, e, status_after(c, i), status_after(c, i + 1)))
    return sorted(found, key=lambda p: (p.commitment.section, id_key(p.commitment.id), p.entry.date))


def weekly_report(ledger: Ledger | Office, as_of: date) -> Weekly:
    """The weekly report as of D: the period runs from the Monday of D's ISO week through D."""
    office = as_office(ledger)
    if office.single is None:
        return _office_weekly(office, as_of)
    ledger = office.single
    start, _sunday = week_of(as_of)
    progress = period_progress(ledger, start, as_of)
    closed = {id(p.commitment) for p in progress if p.after[0].closed and not p.before[0].closed}
    sections: tuple[SectionProgress, ...] = ()
    if ledger.sections:
        sections = tuple(
            SectionProgress(n, ledger.sections.get(n, ""), tuple(p for p in progress if p.commitment.section == n))
            for n in section_numbers(ledger)
        )
    return Weekly(
        proposal=ledger.source.proposal,
        start=start,
        end=as_of,
        totals=tally(states(ledger, as_of)),
        closed_in_period=len(closed),
        progress=tuple(progress),
        sections=sections,
        overdue=tuple(overdue_report(office, as_of)),
        due_soon=tuple(due_soon_report(office, as_of)),
        stale=stale_report(office, as_of),
        key=ledger.source.key,
        kind=ledger.source.kind,
    )


def _office_weekly(office: Office, as_of: date) -> Weekly:
    """The weekly report of several replies: progress by reply (those with any), then by section."""
    start, _sunday = week_of(as_of)
    replies = []
    everything: list[ProgressItem] = []
    for r in office.replies:
        items = period_progress(r, start, as_of, r.source.key)
        if not items:
            continue
        everything += items
        sections: tuple[SectionProgress, ...] = ()
        if r.sections:
            sections = tuple(
                SectionProgress(n, r.sections.get(n, ""), tuple(p for p in items if p.commitment.section == n))
                for n in section_numbers(r)
            )
            sections = tuple(sp for sp in sections if sp.items)
        replies.append(ReplyProgress(r.source, tuple(items), sections))
    closed = {p.commitment.id for p in everything if p.after[0].closed and not p.before[0].closed}
    return Weekly(
        proposal="",
        start=start,
        end=as_of,
        totals=tally(states(office, as_of)),
        closed_in_period=len(closed),
        progress=tuple(everything),
        sections=(),
        overdue=tuple(overdue_report(office, as_of)),
        due_soon=tuple(due_soon_report(office, as_of)),
        stale=stale_report(office, as_of),
        replies=tuple(replies),
    )


class LeadCounts(NamedTuple):
    """One lead unit's commitments as of D: counts by status and by warning light (``None`` = no light)."""

    lead: str
    by_status: dict[str, int]  # every status, in the order of STATUS_VALUES
    by_light: dict[str | None, int]  # red, yellow, blue, None


class WeekCount(NamedTuple):
    start: date  # the Monday
    closed: int  # commitments closed (done or dropped) by an entry dated in that week


class Charts(NamedTuple):
    """What the report page draws: lights and statuses by lead unit, closings per week."""

    leads: tuple[LeadCounts, ...]  # most commitments first, ties in file order
    weeks: tuple[WeekCount, ...]  # the last ``CHART_WEEKS`` ISO weeks, oldest first, D's week last


CHART_WEEKS = 12


def closing_dates(c: Commitment) -> list[date]:
    """The dates of the entries that closed ``c`` (its status went from open to done or dropped)."""
    found = []
    for i, e in enumerate(c.progress):
        if status_after(c, i + 1)[0].closed and not status_after(c, i)[0].closed:
            found.append(e.date)
    return found


def chart_data(ledger: Ledger | Office, as_of: date, weeks: int = CHART_WEEKS) -> Charts:
    """Counts for the report page's charts as of D (entries after D are ignored), over every reply."""
    all_states = states(ledger, as_of)
    leads: dict[str, list[State]] = {}
    for st in all_states:
        leads.setdefault(st.commitment.lead, []).append(st)
    rows = []
    for lead, items in sorted(leads.items(), key=lambda kv: -len(kv[1])):
        by_status = dict.fromkeys(STATUS_VALUES, 0)
        by_light: dict[str | None, int] = dict.fromkeys((*LIGHTS, None), 0)
        for st in items:
            by_status[st.status.value] += 1
            by_light[st.light] += 1
        rows.append(LeadCounts(lead, by_status, by_light))
    monday = week_of(as_of)[0]
    starts = [shift(monday, -7 * k) for k in range(weeks - 1, -1, -1)]
    everything = [c for r in as_office(ledger).replies for c in r.commitments]
    closed = [d for c in everything for d in closing_dates(c) if d <= as_of]
    counts = tuple(WeekCount(w, sum(1 for d in closed if w <= d <= shift(w, 6))) for w in starts)
    return Charts(tuple(rows), counts)


# JSON shapes.  Keys and order are part of the contract; see README "Reports".


def tally_data(t: Tally) -> dict[str, Any]:
    """Counts as JSON; ``lights`` and ``unjudged`` (contract §7) come after the keys of §3."""
    return {
        "total": t.total,
        "by_status": dict(t.by_status),
        "overdue": t.overdue,
        "stale": t.stale,
        "average_percent": t.average_percent,
        "lights": dict(t.lights),
        "unjudged": t.unjudged,
    }


def summary_data(s: Summary) -> dict[str, Any]:
    """``summary --format json``: the totals, then one object per section and per lead owner."""
    return {
        "as_of": s.as_of.isoformat(),
        **tally_data(s.totals),
        "sections": [{"section": g.key, "heading": g.heading, **tally_data(g.tally)} for g in s.sections],
        "owners": [{"lead": g.key, **tally_data(g.tally)} for g in s.owners],
    }


def progress_data(p: ProgressItem, key: str) -> dict[str, Any]:
    """A progress item of the weekly JSON; status and percent as the entry recorded them."""
    return {"id": p.commitment.id, "reply": key, "title": p.commitment.title, **entry_fields(p.entry)}


def _reply_of(p: ProgressItem, default: str) -> str:
    head, slash, _ = p.commitment.id.partition("/")
    return head if slash and not default else default


def summary_office_data(s: Summary) -> dict[str, Any]:
    """``summary --format json`` of several replies: totals, one object per reply and per lead owner."""
    return {
        "as_of": s.as_of.isoformat(),
        **tally_data(s.totals),
        "replies": [
            {"reply": g.key, "kind": src.kind, "number": src.proposal, "title": src.title, "year": src.year,
             **tally_data(g.tally)}
            for g, src in zip(s.replies, s.sources, strict=True)
        ],
        "owners": [{"lead": g.key, **tally_data(g.tally)} for g in s.owners],
    }


def weekly_data(w: Weekly) -> dict[str, Any]:
    """``report weekly --format json`` exactly as contract §3 shapes it."""
    t = w.totals
    return {
        "period": {"start": w.start.isoformat(), "end": w.end.isoformat()},
        "summary": {
            "total": t.total,
            "by_status": dict(t.by_status),
            "overdue": t.overdue,
            "closed_in_period": w.closed_in_period,
            "average_percent": t.average_percent,
            "lights": dict(t.lights),
            "unjudged": t.unjudged,
        },
        "progress": [progress_data(p, _reply_of(p, w.key)) for p in w.progress],
        "overdue": [row(st) for st in w.overdue],
        "due_next_week": [row(st) for st in w.due_soon],
        "stale": [row(st) for st in w.stale.items],
    }
