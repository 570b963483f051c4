"""Three-way merge of ledger texts, for git's merge driver (contract §5, "Merging clones").

``merge_texts`` parses the common ancestor, ours and theirs with the loader's parser,
decides the merge on the data (``mergeplan``), writes it as text starting from ours'
(``mergetext``), and checks that the text reads back as exactly the decided data (for
each side's resolution when there are conflicts) before returning it.  Nothing here
touches the disk.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from cytrack.i18n.messages import message
from cytrack.ledger.load import LedgerText, parse_toml
from cytrack.merge.plan import MISSING, OURS, THEIRS, Conflict, MergeError, apply_plan, canon, plan_merge
from cytrack.merge.text import CONFLICT_TAG, marker_label, render_merge
from cytrack.store.edit import render_value
from cytrack.textsafe import one_line

SIDES = ("side_ancestor", "side_ours", "side_theirs")  # message keys: how each version is named


@dataclass
class MergeResult:
    """The merged text (no BOM, ours' newline style) and the conflicts marked in it, with their lines."""

    text: str
    conflicts: list[Conflict]
    marker_lines: dict[str, int]  # conflict label → line of its ``<<<<<<<`` marker

    def line_of(self, conflict: Conflict) -> int:
        lines = self.marker_lines
        return lines.get(marker_label(conflict.label)) or lines.get(marker_label(conflict.place)) or 1


def _data(lt: LedgerText, side: str) -> dict[str, Any]:
    if side == SIDES[0] and not lt.text.strip():
        return {}  # both sides added the file: git gives an empty ancestor
    data, problems = parse_toml(lt)
    if data is None:
        raise MergeError(message("side_unreadable", side=message(side), problem=problems[0]))
    return data


def same_newlines(text: str, newline: str) -> str:
    """``text`` with every line ending made ``newline``."""
    text = text.replace("\r\n", "\n")
    return text.replace("\n", newline) if newline != "\n" else text


def _check(text: str, expected: dict[str, Any], what: str) -> None:
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        parsed = None
    if parsed is None or canon(parsed) != canon(expected):
        raise MergeError(message("merge_readback", what=what))


_INCLUDE_START = re.compile(r"(?m)^[ \t]*include[ \t]*=[ \t]*\[")
_HEADER = re.compile(r"(?m)^[ \t]*\[")


def merge_include(
    o: dict[str, Any], a: dict[str, Any], b: dict[str, Any], theirs_text: str, ours_text: str = ""
) -> tuple[dict[str, Any], dict[str, Any], str]:
    """The entry file's ``include`` merged as a set (contract §6) when both sides changed it.

    Kept: every pattern of either side that neither side removed, ours' order first. The
    merge then takes it as theirs' value, written in place of theirs' array, on one line or
    one pattern a line as theirs was written; an array holding a comment stays a conflict,
    for a person to merge (the comment's place in the merged list is theirs to say).
    """
    va, vb, vo = a.get("include"), b.get("include"), o.get("include", [])
    if not (isinstance(va, list) and isinstance(vb, list) and isinstance(vo, list)):
        return o, b, theirs_text
    if va in (vb, vo) or vb == vo:
        return o, b, theirs_text  # one side's change (or none): the usual rule
    removed = {p for p in vo if p not in va or p not in vb}
    merged = [p for p in va if p not in removed] + [p for p in vb if p not in va and p not in removed]
    head_end = _HEADER.search(theirs_text, _start_after(theirs_text))
    head = theirs_text[: head_end.start()] if head_end else theirs_text
    found = _INCLUDE_START.search(head)
    span = _array_span(theirs_text, found.end() - 1) if found else None
    mine = _INCLUDE_START.search(ours_text)
    if span is None or (mine is not None and _array_span(ours_text, mine.end() - 1) is None):
        return o, b, theirs_text  # a comment in either array: the comment's place is a person's call
    start, end = span
    text = theirs_text[:start] + _array_text(theirs_text[start:end], merged) + theirs_text[end:]
    return {**o, "include": va}, {**b, "include": merged}, text


def _start_after(text: str) -> int:
    """Where the first table header may start: after the ``include`` array, whose ``[`` lines
    (one pattern a line) are not headers."""
    found = _INCLUDE_START.search(text)
    if found is None:
        return 0
    span = _array_span(text, found.end() - 1)
    return span[1] if span else found.end()


def _array_span(text: str, start: int) -> tuple[int, int] | None:
    """``text[start:end]`` is the array of strings opening at ``start``; None when it holds
    anything else, a comment included (where a comment goes in a merged list is a person's call)."""
    from cytrack.ledger.scan import string_array

    found = string_array(text, start)
    return None if found is None or found.has_comment else (found.start, found.end)


def _array_text(old: str, patterns: list[str]) -> str:
    """``patterns`` written as ``old`` was: on one line, or one a line with its indent, its
    trailing comma and its ``[``/``]`` on their own lines or not."""
    items = [json.dumps(p, ensure_ascii=False) for p in patterns]
    if "\n" not in old:
        return "[" + ", ".join(items) + "]"
    newline = "\r\n" if "\r\n" in old else "\n"
    lines = old.split(newline)
    first_inline = lines[0].strip() != "["
    closing_inline = lines[-1].strip() != "]"
    body = [line for line in lines[1:] if line.strip() and line.strip() != "]"]
    indent = re.match(r"[ \t]*", body[0]).group(0) if body else "  "
    text = "[" + ("" if first_inline else newline + indent) + ("," + newline + indent).join(items)
    if re.search(r",\s*\]$", old):
        text += ","
    return text + ("]" if closing_inline else newline + re.match(r"[ \t]*", lines[-1]).group(0) + "]")


def merge_texts(ancestor: LedgerText, ours: LedgerText, theirs: LedgerText) -> MergeResult:
    """Merge three decoded ledgers; the result keeps ours' text wherever ours is kept."""
    o, a, b = (_data(lt, side) for lt, side in zip((ancestor, ours, theirs), SIDES, strict=True))
    theirs_text = same_newlines(theirs.text, ours.newline)
    o, b, theirs_text = merge_include(o, a, b, theirs_text, ours.text)
    plan = plan_merge(o, a, b, SIDES)
    out = render_merge(plan, ours.text, theirs_text, a, b, ours.newline)
    if plan.conflicts:
        _check(out.text(OURS), apply_plan(plan, a, b, OURS), "with every conflict resolved to ours")
        _check(out.text(THEIRS), apply_plan(plan, a, b, THEIRS), "with every conflict resolved to theirs")
    else:
        _check(out.text(), apply_plan(plan, a, b), "merged")
    markers: dict[str, int] = {}
    for n, (line, tag) in enumerate(out.items, start=1):
        if tag == CONFLICT_TAG and line.startswith("<<<<<<< ours ("):
            markers.setdefault(line.rstrip("\r\n")[len("<<<<<<< ours (") : -1], n)
    return MergeResult(out.text(), plan.conflicts, markers)


def show_value(value: Any) -> str:
    """A value as it is written in TOML, on one line and short, for messages."""
    if value is MISSING:
        return "(not set)"
    if isinstance(value, dict):
        return "(a table)"
    text = one_line(render_value(value, every_type=True))
    return text if len(text) <= 60 else text[:57] + "..."


def describe(conflict: Conflict) -> str:
    """What the conflict is, in a sentence that names the commitment (or table) and field."""
    if conflict.key is None and isinstance(conflict.ours, dict) and isinstance(conflict.theirs, dict):
        return message("conflict_same_id", cid=one_line(conflict.place))
    if conflict.key in ("progress", "extensions") and conflict.place and not conflict.place.startswith("["):
        what = message("conflict_a_progress_entry" if conflict.key == "progress" else "conflict_an_extension")
        return message("conflict_entry", cid=one_line(conflict.place), what=what)
    if conflict.key is None:
        return message("conflict_deleted", cid=one_line(conflict.place))
    if conflict.place.startswith("["):
        where = f"{one_line(conflict.place)} {one_line(conflict.key)}"
    elif conflict.place:
        where = message("conflict_where_field", cid=one_line(conflict.place), key=one_line(conflict.key))
    else:
        where = message("conflict_where_top", key=one_line(conflict.key))
    return message("conflict_both", where=where, ours=show_value(conflict.ours), theirs=show_value(conflict.theirs))
