"""An office generator and its own answers, written for the acceptance test of issue 16.

Independent of ``office_kit.py`` and ``bench/gen.py`` on purpose: it writes the TOML text
itself and computes every expected row from contract §1, §3, §6 and §7 alone.
"""

from __future__ import annotations

import calendar
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

AS_OF = date(2026, 11, 29)
UNITS = ("市经济信息委", "市科技局", "市发展改革委", "市教委", "市人力社保局", "市民政局", "市交通局", "市生态环境局")
TAGS = ("人才", "产业", "金融", "交通", "养老", "生态")
RHYTHMS = (None, "weekly", "monthly", "quarterly", "half-yearly", "yearly")
MONTHS = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}
CLOSED = ("done", "dropped")


@dataclass
class Entry:
    date: date
    note: str
    status: str | None = None
    percent: int | None = None
    by: str | None = None
    evidence: str | None = None


@dataclass
class Ext:
    date: date
    new_due: date
    reason: str


@dataclass
class Item:
    id: str
    section: int
    title: str
    quote: str
    lead: str
    co_owners: list[str]
    status: str
    percent: int
    due: date | None
    review: str | None
    tags: list[str]
    progress: list[Entry] = field(default_factory=list)
    extensions: list[Ext] = field(default_factory=list)


@dataclass
class Reply:
    file: str  # relative to the entry file's folder
    kind: str
    number: str
    title: str
    lead_unit: str
    key_field: str | None = None
    year_field: int | None = None
    replied: date | None = None
    tracking_since: date | None = None
    session: str | None = None
    sections: dict[int, str] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)

    @property
    def key(self) -> str:
        if self.key_field:
            return self.key_field
        return self.number if self.kind == "proposal" else "s" + self.number

    @property
    def year(self) -> int | None:
        if self.year_field is not None:
            return self.year_field
        for d in (self.replied, self.tracking_since):
            if d is not None:
                return d.year
        return None

    @property
    def name(self) -> str:
        word = "提案" if self.kind == "proposal" else "建议"
        return f"第{self.number}号{word}《{self.title}》"


# file, kind, number, explicit key, explicit year, replied, tracking_since, session
SPECS = [
    ("replies/2024-1181.toml", "proposal", "1181", None, None, date(2024, 7, 15), None, "市六届政协二次会议"),
    ("replies/2024-rd12.toml", "suggestion", "12", "rd12", 2024, date(2024, 8, 1), None, "市六届人大二次会议"),
    # year 2025 beats the year of replied (2024)
    ("replies/2024-zx45.toml", "proposal", "45", "zx45_2024", 2025, date(2024, 6, 28), None, None),
    ("replies/2024-s7.toml", "suggestion", "7", None, None, None, date(2024, 9, 2), None),
    ("replies/2025-s523.toml", "suggestion", "523", None, None, date(2025, 6, 10), None, "市六届人大三次会议"),
    ("replies/2025-305.toml", "proposal", "305", None, None, None, date(2025, 2, 3), None),
    ("replies/2025-1002.toml", "proposal", "1002", None, None, date(2025, 7, 1), None, "市六届政协三次会议"),
    ("replies/2025-s1181.toml", "suggestion", "1181", None, None, date(2025, 7, 20), None, None),
    ("replies/2026-p77.toml", "proposal", "77", "p77-2026", 2026, None, date(2026, 3, 2), None),
    ("replies/2026-s88.toml", "suggestion", "88", None, None, date(2026, 5, 20), None, None),
    ("replies/2026-s301.toml", "suggestion", "301", "s301", None, date(2026, 6, 15), None, None),
    ("replies/2026-610.toml", "proposal", "610", None, 2026, None, None, None),
]


def _day(rng: random.Random, lo: date, hi: date) -> date:
    d = lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))
    return d.replace(day=min(d.day, 28))


def make_replies(seed: int = 16) -> list[Reply]:
    rng = random.Random(seed)
    replies: list[Reply] = []
    forced = iter([3, 20, -5, 2, 25, -40, 6, -1, 15])  # due relative to AS_OF: soon, blue, overdue …
    for n, (file, kind, number, key, year, replied, since, session) in enumerate(SPECS):
        r = Reply(file, kind, number, f"关于第{n + 1}项工作的{'提案' if kind == 'proposal' else '建议'}",
                  rng.choice(UNITS), key, year, replied, since, session)
        start = replied or since or date(r.year or 2026, 1, 20)
        for s in range(1, rng.randint(2, 3) + 1):
            r.sections[s] = f"第{s}部分的工作（{r.key}）"
            for k in range(1, rng.randint(1, 3) + 1):
                r.items.append(_item(rng, f"{s}-{k}", s, start, forced))
        replies.append(r)
    # a reply with neither replied nor tracking_since: a commitment with no entry cannot be judged
    for r in replies:
        if r.replied is None and r.tracking_since is None:
            r.sections[4] = f"第4部分的工作（{r.key}）"
            r.items.append(Item("4-1", 4, "事项4-1·尚未报送", "承诺推进4-1相关工作", r.lead_unit, [], "not_started", 0,
                                None, "monthly", []))
    # make sure the shared bare id 2-3 exists in several replies
    for r in replies[:4]:
        if not any(i.id == "2-3" for i in r.items):
            r.items.append(_item(rng, "2-3", 2, r.replied or r.tracking_since or date(2026, 1, 20), forced))
    return replies


def _item(rng: random.Random, cid: str, section: int, start: date, forced) -> Item:
    lead = rng.choice(UNITS)
    co = rng.sample([u for u in UNITS if u != lead], rng.randint(0, 2))
    due: date | None
    if rng.random() < 0.3:
        shift = next(forced, None)
        due = AS_OF + timedelta(days=shift) if shift is not None else None
    else:
        due = None if rng.random() < 0.2 else _day(rng, start + timedelta(days=60), start + timedelta(days=900))
    it = Item(cid, section, f"事项{cid}·{rng.choice(TAGS)}建设", f"承诺推进{cid}相关工作", lead, co,
              "not_started", 0, due, rng.choice(RHYTHMS), rng.sample(TAGS, rng.randint(0, 2)))
    k = rng.choice((0, 1, 2, 3, 3))
    final = rng.choice(("in_progress", "in_progress", "blocked", "done", "dropped"))
    d = start
    pct = 0
    for j in range(k):
        d = _day(rng, d + timedelta(days=5), min(AS_OF, d + timedelta(days=200)))
        if d > AS_OF:
            d = AS_OF
        last = j == k - 1
        if last:
            status = final
            pct = 100 if final == "done" else min(95, pct + rng.randint(5, 40))
            it.progress.append(Entry(d, f"{cid}第{j + 1}次报送：{status}", status, pct,
                                     rng.choice((None, "张三")), "渝府办〔2026〕9号" if status == "done" else None))
        elif j == 0:
            pct = rng.randint(5, 30)
            it.progress.append(Entry(d, f"{cid}启动", "in_progress", pct, "李四"))
        else:
            pct = min(95, pct + rng.randint(1, 20))
            it.progress.append(Entry(d, f"{cid}推进", None, pct))  # status unchanged
    if it.progress:
        it.status = next(e.status for e in reversed(it.progress) if e.status)
        it.percent = next(e.percent for e in reversed(it.progress) if e.percent is not None)
    if it.due is not None and rng.random() < 0.25:
        when = _day(rng, start + timedelta(days=30), AS_OF - timedelta(days=1))
        it.extensions.append(Ext(when, it.due + timedelta(days=rng.choice((20, 90, 400))), "工作量调整"))
    return it


def late_touches(replies: list[Reply]) -> None:
    """Entries and an extension dated after AS_OF, which computations as of AS_OF ignore."""
    r = replies[0]
    it = r.items[0]
    it.progress.append(Entry(AS_OF + timedelta(days=1), "截至日之后的报送", "blocked", 77))
    it.status, it.percent = "blocked", 77
    it2 = replies[4].items[0]
    if it2.due is None:
        it2.due = AS_OF - timedelta(days=3)
    it2.extensions.append(Ext(AS_OF + timedelta(days=2), AS_OF + timedelta(days=300), "截至日之后的延期"))


# --- writing the TOML text ---------------------------------------------------------------------


def _v(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, date)):
        return str(value) if not isinstance(value, date) else value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_v(x) for x in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def reply_text(r: Reply) -> str:
    out = ["schema = 1", "", "[source]"]
    src = {"proposal": r.number, "kind": r.kind, "title": r.title, "lead_unit": r.lead_unit}
    if r.key_field:
        src["key"] = r.key_field
    if r.year_field is not None:
        src["year"] = r.year_field
    if r.session:
        src["session"] = r.session
    if r.replied:
        src["replied"] = r.replied
    if r.tracking_since:
        src["tracking_since"] = r.tracking_since
    out += [f"{k} = {_v(v)}" for k, v in src.items()]
    out += ["", "[sections]"] + [f'"{s}" = {_v(t)}' for s, t in r.sections.items()]
    for it in r.items:
        out += ["", "# " + it.title, "[[commitments]]"]
        row = {"id": it.id, "section": it.section, "title": it.title, "quote": it.quote, "lead": it.lead,
               "co_owners": it.co_owners, "status": it.status, "percent": it.percent}
        if it.due:
            row["due"] = it.due
            row["due_basis"] = "source"
        if it.review:
            row["review"] = it.review
        row["tags"] = it.tags
        out += [f"{k} = {_v(v)}" for k, v in row.items()]
        for e in it.progress:
            out += ["", "  [[commitments.progress]]", f"  date = {_v(e.date)}"]
            for k in ("status", "percent", "note", "by", "evidence"):
                if getattr(e, k) is not None:
                    out.append(f"  {k} = {_v(getattr(e, k))}")
        for x in it.extensions:
            out += ["", "  [[commitments.extensions]]", f"  date = {_v(x.date)}",
                    f"  new_due = {_v(x.new_due)}", f"  reason = {_v(x.reason)}"]
    return "\n".join(out) + "\n"


def write_office(folder: Path, replies: list[Reply]) -> Path:
    entry = folder / "data" / "commitments.toml"
    (folder / "data" / "replies").mkdir(parents=True)
    entry.write_text('schema = 1\ninclude = ["replies/*.toml"]\n', encoding="utf-8")
    for r in replies:
        (entry.parent / r.file).write_text(reply_text(r), encoding="utf-8")
    return entry


# --- the generator's own answers -----------------------------------------------------------------


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def state(r: Reply, it: Item, d: date = AS_OF) -> dict:
    seen = [e for e in it.progress if e.date <= d]
    later = [e for e in it.progress if e.date > d]
    status = next((e.status for e in reversed(seen) if e.status), None)
    if status is None:
        status = "not_started" if any(e.status for e in later) else it.status
    percent = next((e.percent for e in reversed(seen) if e.percent is not None), None)
    if percent is None:
        percent = 0 if any(e.percent is not None for e in later) else it.percent
    due = it.due
    for x in sorted(it.extensions, key=lambda x: x.date):
        if x.date <= d:
            due = x.new_due
    closed = status in CLOSED
    overdue = (d - due).days if (not closed and due is not None and d > due) else None
    last = max((e.date for e in seen), default=None)
    base = last or r.replied or r.tracking_since
    stale = False
    limit = None
    if not closed and base is not None:
        limit = base + timedelta(days=7) if it.review == "weekly" else (
            add_months(base, MONTHS[it.review]) if it.review in MONTHS else base + timedelta(days=30))
        stale = d > limit
    light = None
    if not closed:
        left = (due - d).days if due is not None else None
        if overdue is not None:
            light = "red"
        elif status == "blocked" or stale or (left is not None and 0 <= left <= 7):
            light = "yellow"
        elif left is not None and 8 <= left <= 30:
            light = "blue"
    return {"status": status, "percent": percent, "due": due, "days_overdue": overdue, "last_update": last,
            "stale": stale, "light": light, "unjudged": not closed and base is None,
            "stale_since": limit if stale else None}


def rows(replies: list[Reply], *, qualified: bool = True, d: date = AS_OF) -> list[dict]:
    out = []
    for r in replies:
        for it in r.items:
            s = state(r, it, d)
            out.append({
                "id": f"{r.key}/{it.id}" if qualified else it.id, "reply": r.key, "section": it.section,
                "title": it.title, "lead": it.lead, "co_owners": it.co_owners, "status": s["status"],
                "percent": s["percent"], "due": s["due"].isoformat() if s["due"] else None,
                "days_overdue": s["days_overdue"],
                "last_update": s["last_update"].isoformat() if s["last_update"] else None,
                "tags": it.tags, "light": s["light"],
            })
    return out


def stale_ids(replies: list[Reply], d: date = AS_OF) -> set[str]:
    return {f"{r.key}/{it.id}" for r in replies for it in r.items if state(r, it, d)["stale"]}
