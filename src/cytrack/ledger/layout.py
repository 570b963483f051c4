"""Where each commitment's block lies in a ledger's bytes: what the write path splices at.

Computed once from a full load (the text and its line index) and kept in the parse cache
with the model, so a write on a cache hit finds the target block without scanning the file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from cytrack.ledger.scan import header_offsets

if TYPE_CHECKING:
    from cytrack.ledger.scan import LineIndex


class Layout(NamedTuple):
    """Where each commitment's block lies in the ledger's bytes, in file order.

    A block runs from its ``[[commitments]]`` header line up to (not including) the next
    header that is not one of its own ``[[commitments.progress]]``/``[[commitments.extensions]]``
    tables, or the end of the file.  The blank and comment lines just above the next header
    are inside this span but lead into that header: an edit goes above them
    (``scan.content_end``), as the merge keeps them with what follows.  Both are half-open:
    ``lines[i]`` is ``(first, stop)`` in 1-based line numbers, ``spans[i]`` is ``(start, end)``
    in byte offsets into the raw file (BOM included), so ``raw[start:end]`` is the block.
    """

    lines: tuple[tuple[int, int], ...]
    spans: tuple[tuple[int, int], ...]



def layout_of(text: str, index: LineIndex, bom: bool = False) -> Layout | None:
    """Every commitment's block, from the decoded text and its line index; None if unsure.

    Header lines are found by their leading ``[``; the index's line numbers decide which
    of them are real headers (a ``[`` inside a multi-line string is not).  Offsets are
    counted in the UTF-8 bytes of the file, after the BOM when it has one.
    """
    headers = index.headers
    starts = [b.line for b in index.commitments]
    after_last = text.count("\n") + (1 if text.endswith("\n") else 2)  # one past the last line
    stops: list[int] = []
    k = 0
    for i, start in enumerate(starts):
        while k < len(headers) and headers[k].line <= start:
            k += 1
        stop = starts[i + 1] if i + 1 < len(starts) else after_last
        while k < len(headers) and headers[k].line < stop and headers[k].name.startswith("commitments."):
            k += 1
        if k < len(headers) and headers[k].line < stop:
            stop = headers[k].line
        stops.append(stop)
    wanted = set(starts) | set(stops)
    chars = header_offsets(text, wanted)
    chars[after_last] = len(text)
    if not wanted <= chars.keys():
        return None
    size = {}
    done, total = 0, 3 if bom else 0
    for line, pos in sorted(chars.items(), key=lambda item: item[1]):
        total += len(text[done:pos].encode("utf-8"))
        done = pos
        size[line] = total
    return Layout(
        lines=tuple(zip(starts, stops, strict=True)),
        spans=tuple((size[a], size[b]) for a, b in zip(starts, stops, strict=True)),
    )
