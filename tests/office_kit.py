"""A generated office ledger (contract §6) and the answers the generator knows about it.

Replies share bare ids (every reply has ``1-1``), come in both kinds and several years.
Each commitment's state as of ``AS_OF`` is decided here, so the tests can compare the
JSON of ``cytrack`` with what the generator put in, not with another run of cytrack.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

AS_OF = date(2026, 11, 29)
STATUSES = ("not_started", "in_progress", "blocked", "done", "dropped")
UNITS = ("市科技局", "市经济信息委", "市发展改革委", "市教委")


@dataclass
class Row:
    reply: str
    id: str
    section: int
    title: str
    lead: str
    status: str
    percent: int
    due: date | None
    last_update: date | None

    @property
    def days_overdue(self) -> int | None:
        if self.status in ("done", "dropped") or self.due is None or self.due >= AS_OF:
            return None
        return (AS_OF - self.due).days


@dataclass
class Reply:
    key: str
    kind: str
    number: str
    title: str
    year: int
    file: str  # relative to the entry file's folder
    rows: list[Row] = field(default_factory=list)


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def reply_text(r: Reply, with_key: bool = False) -> str:
    lines = ["schema = 1", "", "[source]"]
    if r.kind == "suggestion":
        lines.append('kind = "suggestion"')
    lines += [f"proposal = {_toml_str(r.number)}", f"title = {_toml_str(r.title)}", 'lead_unit = "市科技局"']
    lines.append(f"replied = {date(r.year, 6, 30).isoformat()}")
    if with_key:
        lines.append(f"key = {_toml_str(r.key)}")
    lines += ["", "[sections]", '"1" = "体制机制"', '"2" = "产业协同"', ""]
    for row in r.rows:
        lines += [
            "[[commitments]]",
            f"id = {_toml_str(row.id)}",
            f"section = {row.section}",
            f"title = {_toml_str(row.title)}",
            f"lead = {_toml_str(row.lead)}",
            f'status = "{row.status}"',
            f"percent = {row.percent}",
        ]
        if row.due is not None:
            lines.append(f"due = {row.due.isoformat()}")
        if row.last_update is not None:
            lines += [
                "",
                "  [[commitments.progress]]",
                f"  date = {row.last_update.isoformat()}",
                f'  status = "{row.status}"',
                f"  percent = {row.percent}",
                '  note = "进展"',
            ]
        lines.append("")
    return "\n".join(lines)


def make_office(folder: Path, replies: int = 6, per_reply: int = 4, seed: int = 7) -> list[Reply]:
    """Write ``folder/commitments.toml`` (include only) and ``folder/replies/<key>.toml``."""
    rng = random.Random(seed)
    out = []
    for n in range(replies):
        kind = "suggestion" if n % 3 == 2 else "proposal"
        number = str(1000 + 37 * n)
        key = ("s" + number) if kind == "suggestion" else number
        year = 2023 + n % 3
        r = Reply(key, kind, number, f"关于第{n}件事的{'建议' if kind == 'suggestion' else '提案'}", year,
                  f"replies/{key}.toml")
        for i in range(per_reply):
            status = STATUSES[rng.randrange(5)]
            percent = 100 if status == "done" else rng.randrange(0, 100, 10)
            due = AS_OF + timedelta(days=rng.randrange(-300, 300)) if rng.random() < 0.8 else None
            has_log = status in ("done", "in_progress", "blocked") or rng.random() < 0.5
            last = AS_OF - timedelta(days=rng.randrange(8, 200)) if has_log else None
            section = 1 + i % 2
            r.rows.append(Row(key, f"{section}-{i // 2 + 1}", section, f"事项{key}-{i}", UNITS[rng.randrange(4)],
                              status, percent, due, last))
        out.append(r)
    (folder / "replies").mkdir(parents=True, exist_ok=True)
    (folder / "commitments.toml").write_text('schema = 1\ninclude = ["replies/*.toml"]\n', encoding="utf-8")
    for r in out:
        (folder / r.file).write_text(reply_text(r), encoding="utf-8")
    return out


def expected_rows(replies: list[Reply], multi: bool = True) -> list[dict[str, object]]:
    """The ``list --format json`` rows the generator expects, in file order (replies sorted by file)."""
    rows = []
    for r in sorted(replies, key=lambda r: r.file):
        for row in r.rows:
            rows.append({
                "id": f"{row.reply}/{row.id}" if multi else row.id,
                "reply": row.reply,
                "section": row.section,
                "status": row.status,
                "percent": row.percent,
                "due": row.due.isoformat() if row.due else None,
                "days_overdue": row.days_overdue,
                "last_update": row.last_update.isoformat() if row.last_update else None,
            })
    return rows


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (not lock files) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.toml"))}


def grow_shipped(cli, folder: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """In ``folder``: ``cytrack init`` (the shipped 1181), then ``reply add`` a suggestion 523 and a
    proposal 77, as office staff grow a ledger (the working directory becomes ``folder``)."""
    monkeypatch.chdir(folder)
    assert cli("init").exit_code == 0
    for kind, number in (("suggestion", "523"), ("proposal", "77")):
        added = cli("reply", "add", "--kind", kind, "--number", number, "--title", "关于养老服务的建议",
                    "--lead-unit", "市民政局", "--replied", "2026-06-01")
        assert added.exit_code == 0, added.stderr
