"""Found by using cytrack as office staff would (QA pass, 2026-12-02); each test failed before its fix."""

from __future__ import annotations

from pathlib import Path

import docx
from office_kit import AS_OF, grow_shipped, make_office

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_word_report_of_an_office_keeps_each_qualified_id_on_one_line(cli, tmp_path: Path):
    make_office(tmp_path)
    out = tmp_path / "周报.docx"
    result = cli("--ledger", tmp_path / "commitments.toml", "report", "weekly", "--as-of", AS_OF.isoformat(),
                 "--format", "docx", "--output", out)
    assert result.exit_code == 0, result.stderr
    tables = docx.Document(str(out)).tables
    assert tables, "the office has overdue items, so the report has a table"
    for table in tables:
        ids = [row.cells[1].text for row in table.rows[1:]]
        assert all("/" in i for i in ids), ids
        grid_pt = [int(c.get(f"{W}w")) / 20 for c in table._tbl.tblGrid.findall(f"{W}gridCol")]
        # LibreOffice sets a digit at 12 pt 7.5 pt wide; Word's cells keep 5.4 pt of margin on each side
        assert grid_pt[1] >= 7.5 * max(len(i) for i in ids) + 2 * 5.4, (grid_pt, ids)
        assert abs(sum(grid_pt) - 156 / 25.4 * 72) < 1


def test_reply_list_in_english_at_80_columns_shows_whole_light_counts(cli, tmp_path: Path, monkeypatch):
    """`reply list --lang en` cropped "red11" to "red1" (and the header to "Ligh") at 80 columns."""
    grow_shipped(cli, tmp_path, monkeypatch)
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("--lang", "en", "reply", "list", "--as-of", "2026-12-02")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[1].rstrip().endswith(" Lights")  # whole (tests/test_keep.py has the whole table)
    row = next(line for line in lines if line.startswith("1181 "))
    assert row.rstrip().endswith(" red11")
