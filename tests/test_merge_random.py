"""Many random two-clone merges, with the entry sets checked exactly (reliability.md, "git clones").

Each scenario is a random ancestor ledger and two clones that each append progress entries
and extensions (sometimes the very same entry on both sides, often back-dated), add new
commitments and change fields.  The merge must be clean, valid, and hold every entry of
both sides exactly once and nothing else.  The same scenarios run through real git in
test_git.py; here the merge function runs directly.
"""

from __future__ import annotations

import copy
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest

from cytrack.ledger.load import decode_ledger, load_text
from cytrack.merge.plan import canon
from cytrack.merge.three_way import merge_texts

CLEAN_MERGES = 60
CONFLICT_MERGES = 20
FIELDS = {
    "title": lambda rng, side: f"{side}改名{rng.randrange(100)}",
    "percent": lambda rng, side: rng.randrange(0, 101, 5),
    "tags": lambda rng, side: [f"{side}标签{rng.randrange(9)}"],
    "review": lambda rng, side: rng.choice(["monthly", "quarterly", "half-yearly"]),
}
HEADER = 'schema = 1\n\n[source]\nproposal = "1181"\ntitle = "关于推动成渝地区双城经济圈产业协同的建议"\n'


def _day(rng: random.Random) -> date:
    return date(2026, 1, 1) + timedelta(days=rng.randrange(90))


def _toml(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, date):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False)


def render(commitments: list[dict[str, Any]]) -> str:
    """A ledger's text, with comments and layout that depend only on each commitment's id."""
    out = [HEADER]
    for c in commitments:
        style = sum(map(ord, c["id"])) % 3
        out.append(f"\n# —— {c['id']} ——\n" if style == 0 else "\n")
        out.append("[[commitments]]\n")
        for key, value in c.items():
            if key in ("progress", "extensions"):
                continue
            note = "   # 注释" if style == 1 and key == "status" else ""
            out.append(f"{key} = {_toml(value)}{note}\n")
        for kind in ("progress", "extensions"):
            for e in c.get(kind, []):
                out.append(f"\n  [[commitments.{kind}]]\n")
                out += [f"  {k} = {_toml(v)}\n" for k, v in e.items()]
    return "".join(out)


def _insert_by_date(entries: list[dict[str, Any]], new: dict[str, Any]) -> None:
    at = max((n + 1 for n, e in enumerate(entries) if e["date"] <= new["date"]), default=0)
    entries.insert(at, new)


@dataclass
class Scenario:
    """An ancestor and two sides, plus what the merge must hold."""

    ancestor: list[dict[str, Any]]
    sides: dict[str, list[dict[str, Any]]]
    changed: dict[tuple[str, str], Any] = field(default_factory=dict)  # (id, field) → merged value
    conflicts: set[tuple[str, str]] = field(default_factory=set)

    def texts(self) -> tuple[str, str, str]:
        return render(self.ancestor), render(self.sides["a"]), render(self.sides["b"])


def _entry(rng: random.Random, kind: str, tag: str) -> dict[str, Any]:
    if kind == "progress":
        e: dict[str, Any] = {"date": _day(rng), "note": f"{tag} 进展"}
        if rng.random() < 0.3:
            e["by"] = rng.choice(["市科技局", "市教委"])
        return e
    new_due = date(2027, 1, 1) + timedelta(days=rng.randrange(365))
    return {"date": _day(rng), "new_due": new_due, "reason": f"{tag} 延期"}


def scenario(seed: int, *, conflicts: int = 0) -> Scenario:
    rng = random.Random(seed)
    base = []
    for i in range(rng.randint(2, 6)):
        c: dict[str, Any] = {
            "id": f"{i % 3 + 1}-{i + 1}", "section": i % 3 + 1, "title": f"事项{i}", "lead": "市经济信息委",
            "status": "in_progress", "percent": 10, "review": "quarterly", "tags": ["原"],
        }
        for kind in ("progress", "extensions"):
            entries: list[dict[str, Any]] = []
            for j in range(rng.randint(0, 3 if kind == "progress" else 1)):
                _insert_by_date(entries, _entry(rng, kind, f"O{i}.{j}"))
            if entries:
                c[kind] = entries
        base.append(c)
    s = Scenario(base, {"a": copy.deepcopy(base), "b": copy.deepcopy(base)})
    counter = 0
    for side, lo in (("a", 10), ("b", 50)):
        for _ in range(rng.randint(1, 6)):
            counter += 1
            mine = s.sides[side]
            op = rng.random()
            if op < 0.55:  # append (maybe back-dated); sometimes both sides carry the same entry
                kind = "progress" if rng.random() < 0.75 else "extensions"
                new = _entry(rng, kind, f"{side}{counter}")
                targets = [side, "a" if side == "b" else "b"] if rng.random() < 0.2 else [side]
                cid = rng.choice(base)["id"]
                for t in targets:
                    c = next(c for c in s.sides[t] if c["id"] == cid)
                    _insert_by_date(c.setdefault(kind, []), copy.deepcopy(new))
            elif op < 0.75:  # a new commitment, with its own first entry
                sec = rng.randint(1, 3)
                c = {"id": f"{sec}-{lo + counter}", "section": sec, "title": f"{side}新增", "lead": "市教委",
                     "status": "in_progress", "percent": 0, "progress": [_entry(rng, "progress", f"{side}{counter}新")]}
                mine.insert(rng.randint(0, len(mine)), c)
            else:  # a field changed on this side only
                cid, key = rng.choice(base)["id"], rng.choice(list(FIELDS))
                if any(k == (cid, key) for k in s.changed):
                    continue
                value = FIELDS[key](rng, side)
                next(c for c in mine if c["id"] == cid)[key] = value
                s.changed[(cid, key)] = value
    for _ in range(conflicts):  # the same field changed to different values on both sides
        cid, key = rng.choice(base)["id"], rng.choice(list(FIELDS))
        if (cid, key) in s.changed or (cid, key) in s.conflicts:
            continue
        before = next(c for c in base if c["id"] == cid)[key]
        ours = theirs = before
        while ours == before:
            ours = FIELDS[key](rng, "a")
        while theirs in (before, ours):
            theirs = FIELDS[key](rng, "b")
        for side, value in (("a", ours), ("b", theirs)):
            next(c for c in s.sides[side] if c["id"] == cid)[key] = value
        s.conflicts.add((cid, key))
    return s


def entries_of(data: dict[str, Any], kind: str) -> Counter:
    return Counter((c["id"], canon(e)) for c in data.get("commitments", []) for e in c.get(kind, []))


def check_merged(s: Scenario, data: dict[str, Any]) -> int:
    """The merged data holds every entry of both sides exactly once, nothing else, and the changed fields."""
    a, b = ({"commitments": s.sides[x]} for x in ("a", "b"))
    total = 0
    for kind in ("progress", "extensions"):
        expected = entries_of(a, kind) | entries_of(b, kind)  # an entry both sides carry counts once
        assert entries_of(data, kind) == expected
        total += sum(expected.values())
    ids = [c["id"] for c in data["commitments"]]
    assert sorted(ids) == sorted({c["id"] for c in s.sides["a"] + s.sides["b"]})
    for (cid, key), value in s.changed.items():
        assert next(c for c in data["commitments"] if c["id"] == cid)[key] == value
    return total


def lt(text: str):  # type: ignore[no-untyped-def]
    return decode_ledger("l.toml", text.encode("utf-8"))


def test_random_two_clone_merges_keep_every_entry_exactly_once():
    entries = 0
    for seed in range(CLEAN_MERGES):
        s = scenario(seed)
        o, a, b = s.texts()
        result = merge_texts(lt(o), lt(a), lt(b))
        assert result.conflicts == [], seed
        loaded = load_text(lt(result.text))
        assert loaded.errors == [], (seed, loaded.errors)  # valid, so every log is in date order
        entries += check_merged(s, loaded.data)
        # The other clone's merge holds the same entries; merging again changes nothing.
        check_merged(s, load_text(lt(merge_texts(lt(o), lt(b), lt(a)).text)).data)
        assert merge_texts(lt(o), lt(result.text), lt(b)).text == result.text
    assert entries > 10 * CLEAN_MERGES  # the scenarios are not trivially small


@pytest.mark.parametrize("seed", range(CONFLICT_MERGES))
def test_random_same_field_changes_are_conflicts_never_a_silent_pick(seed):
    s = scenario(1000 + seed, conflicts=2)
    o, a, b = s.texts()
    result = merge_texts(lt(o), lt(a), lt(b))
    assert {(c.place, c.key) for c in result.conflicts} == s.conflicts
    for pick in ("ours", "theirs"):  # whichever side a person keeps, no entry is lost
        data = load_text(lt(resolve(result.text, pick))).data
        check_merged(s, data)
        for cid, key in s.conflicts:
            side = s.sides["a" if pick == "ours" else "b"]
            assert next(c for c in data["commitments"] if c["id"] == cid)[key] == next(
                c for c in side if c["id"] == cid
            )[key]


def resolve(text: str, side: str) -> str:
    from test_merge import resolve as resolve_markers

    return resolve_markers(text, side)
