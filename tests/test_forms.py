"""填报表 out and back: `export --form` and `import` (contract §9), with real openpyxl and LibreOffice files."""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cytrack.forms.layout import COLUMNS, FIRST_ROW, HEADER_ROW, INPUTS, MARKER, META_SHEET
from cytrack.forms.plan import _date, _percent, _Row
from cytrack.forms.read import WINDOWS_EPOCH, Cell
from cytrack.i18n import STATUS_NAMES
from cytrack.render.xlsx_style import BODY_PT, print_scale

TODAY = date.today()
AS_OF = "2026-11-30"

LEDGER = """\
[[commitments]]
id = "1-1"
section = 1
title = "成本分担和利益共享机制"
quote = "建立成本分担和利益共享机制"
lead = "市发展改革委"
co_owners = ["市科技局"]
status = "not_started"
percent = 0
due = 2026-12-20
review = "quarterly"

[[commitments]]
id = "1-2"
section = 1
title = "=经济区与行政区适度分离改革"
quote = "推动经济区与行政区适度分离改革"
lead = "市科技局"
status = "in_progress"
percent = 30
due = 2025-12-31

  [[commitments.progress]]
  date = 2026-10-01
  status = "in_progress"
  percent = 30
  note = "形成初稿"

[[commitments]]
id = "2-1"
section = 2
title = "已经办结的事项"
lead = "市科技局"
status = "done"
percent = 100

  [[commitments.progress]]
  date = 2026-09-01
  status = "done"
  percent = 100
  note = "完成"
  evidence = "渝科发〔2026〕1号"

[[commitments]]
id = "2-2"
section = 2
title = "别的单位的事项"
lead = "市教委"
status = "not_started"
percent = 0

[[commitments]]
id = "2-3"
section = 2
title = "科技成果转化方案"
quote = "联合出台《成渝双核协同推进科技成果转化工作方案》"
lead = "市经济信息委"
co_owners = ["市教委", "市科技局"]
status = "blocked"
percent = 10
"""

NOTE = COLUMNS.index("note") + 1


@pytest.fixture
def ledger(write_ledger):
    return write_ledger(LEDGER)


def _export(cli, ledger: Path, out: Path, *extra: str):
    return cli("--ledger", ledger, "export", "--form", "--owner", "科技局", "--output", out, "--as-of", AS_OF, *extra)


@pytest.fixture
def form(cli, ledger, tmp_path) -> Path:
    out = tmp_path / "市科技局填报.xlsx"
    result = _export(cli, ledger, out)
    assert result.exit_code == 0, result.output
    return out


def _col(key: str) -> int:
    return COLUMNS.index(key) + 1


def _fill(path: Path, rows: dict[int, dict[str, object]], save_as: Path | None = None) -> Path:
    """Fill input cells as a department does in Excel: ``rows`` maps a data row (0-based) to values."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for n, values in rows.items():
        for key, value in values.items():
            cell = ws.cell(row=FIRST_ROW + n, column=_col(key))
            if isinstance(value, tuple):  # (value, number format)
                cell.value, cell.number_format = value
            else:
                cell.value = value
    target = save_as or path
    wb.save(target)
    return target


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


needs_soffice = pytest.mark.skipif(_soffice() is None, reason="LibreOffice (soffice) is not installed")


def _resave(src: Path, outdir: Path, fmt: str = "xlsx") -> Path:
    """``src`` opened and saved again by LibreOffice, with a profile of its own."""
    outdir.mkdir(exist_ok=True)
    profile = outdir / "profile"
    subprocess.run(
        [_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", fmt,
         "--outdir", str(outdir), str(src)],
        check=True, capture_output=True, timeout=180,
    )
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    assert out.is_file()
    return out


# --- export --form ------------------------------------------------------------------------------------------


def test_form_rows_are_the_open_commitments_list_shows_for_the_owner(cli, ledger, form):
    listed = cli("--ledger", ledger, "list", "--owner", "科技局", "--format", "json", "--as-of", AS_OF)
    listed = json.loads(listed.stdout)
    open_ids = [r["id"] for r in listed if r["status"] not in ("done", "dropped")]
    ws = openpyxl.load_workbook(form).worksheets[0]
    assert ws.title == "市科技局"
    assert [ws.cell(row=HEADER_ROW, column=c).value for c in range(1, len(COLUMNS) + 1)] == [
        "答复", "编号", "事项", "答复原文", "分工", "完成时限", "当前状态", "最近进展", "预警",
        "本期进展", "进度", "状态", "佐证材料", "填报人", "填报日期",
    ]
    ids = [ws.cell(row=r, column=_col("id")).value for r in range(FIRST_ROW, ws.max_row + 1)]
    assert ids == open_ids == ["1-1", "1-2", "2-3"]
    row = {key: ws.cell(row=FIRST_ROW + 1, column=_col(key)).value for key in COLUMNS}
    assert row["title"] == "'=经济区与行政区适度分离改革"  # a formula stays inert
    assert row["due"] == datetime(2025, 12, 31)
    assert (row["reply"], row["role"], row["current"], row["light"]) == ("1181", "牵头", "推进中 30%", "红")
    assert row["last"] == "2026-10-01：形成初稿"
    first = {key: ws.cell(row=FIRST_ROW, column=_col(key)).value for key in ("role", "light")}
    assert first == {"role": "配合", "light": "蓝"}  # due in 20 days
    assert ws.cell(row=FIRST_ROW + 2, column=_col("light")).value == "黄"  # blocked


def test_form_is_protected_with_open_validated_input_columns(form):
    wb = openpyxl.load_workbook(form)
    ws = wb.worksheets[0]
    assert ws.protection.sheet and not ws.protection.password
    last = FIRST_ROW + 2
    for r in range(FIRST_ROW, last + 1):
        for key in COLUMNS:
            locked = ws.cell(row=r, column=_col(key)).protection.locked
            assert locked is (key not in INPUTS), (r, key)
    assert ws.cell(row=1, column=1).protection.locked and ws.cell(row=HEADER_ROW, column=NOTE).protection.locked
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    letter = {key: openpyxl.utils.get_column_letter(_col(key)) for key in INPUTS}
    by_key = {key: rules[f"{letter[key]}{FIRST_ROW}:{letter[key]}{last}"] for key in INPUTS}
    assert {k: dv.type for k, dv in by_key.items()} == {
        "note": "textLength", "percent": "whole", "status": "list", "evidence": "textLength", "by": "textLength",
        "date": "date",
    }
    assert (by_key["percent"].formula1, by_key["percent"].formula2) == ("0", "100")
    assert by_key["status"].formula1 == '"' + ",".join(STATUS_NAMES["zh"].values()) + '"'
    assert by_key["date"].formula2 == "TODAY()"
    assert all(dv.showInputMessage and dv.prompt for dv in by_key.values())
    meta = wb[META_SHEET]
    assert meta.sheet_state == "hidden"
    pairs = {meta.cell(row=r, column=1).value: meta.cell(row=r, column=2).value for r in range(1, meta.max_row + 1)}
    assert pairs[MARKER] == "1"
    assert (pairs["reply"], pairs["unit"], pairs["as_of"], pairs["ids"]) == ("1181", "市科技局", AS_OF, "3")
    assert pairs["ledger"] == "commitments.toml"
    assert pairs["2-3"] == "科技成果转化方案"
    assert ws.cell(row=FIRST_ROW, column=1).font.name == "宋体"
    assert print_scale(ws) * BODY_PT >= 8 and ws.page_setup.orientation == "landscape"
    assert ws.cell(row=FIRST_ROW, column=_col("quote")).alignment.wrap_text


def test_one_file_per_unit_into_a_folder(cli, ledger, tmp_path):
    out = tmp_path / "forms"
    result = cli("--ledger", ledger, "export", "--form", "--output-dir", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["市发展改革委填报.xlsx", "市科技局填报.xlsx", "市教委填报.xlsx", "市经济信息委填报.xlsx"])
    ws = openpyxl.load_workbook(out / "市教委填报.xlsx").worksheets[0]
    assert [ws.cell(row=r, column=_col("id")).value for r in range(FIRST_ROW, ws.max_row + 1)] == ["2-2", "2-3"]
    two = cli("--ledger", ledger, "export", "--form", "--owner", "市教委", "--owner", "发展", "--output-dir", out / "b")
    assert two.exit_code == 0
    assert sorted(p.name for p in (out / "b").iterdir()) == ["市发展改革委填报.xlsx", "市教委填报.xlsx"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--form", "--owner", "市财政局", "--output", "x.xlsx"), "没有“市财政局”的未办结事项"),
        (("--form", "--owner", "市教委", "--owner", "市科技局", "--output", "x.xlsx"), "--output-dir"),
        (("--form", "--output", "x.xlsx"), "--output-dir"),
        (("--form", "--owner", "市教委"), "--form 需要 --output"),
        (("--form", "--owner", "市教委", "--output", "x.csv"), ".xlsx"),
        (("--form", "--format", "csv", "--owner", "市教委", "--output", "x.xlsx"), ".xlsx"),
        (("--owner", "市教委", "--output", "x.xlsx"), "--owner 只用于 --form"),
    ],
)
def test_bad_form_options_exit_2(cli, ledger, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = cli("--ledger", ledger, "export", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_form_refuses_to_write_over_the_ledger(cli, write_ledger, tmp_path):
    ledger = write_ledger(LEDGER, name="市教委填报.xlsx")  # a ledger may have any name
    before = ledger.read_bytes()
    result = cli("--ledger", ledger, "export", "--form", "--owner", "市教委", "--output-dir", tmp_path)
    assert result.exit_code == 2
    assert "输出文件从不覆盖台账或其锁文件" in result.stderr
    result = cli("--lang", "en", "--ledger", ledger, "export", "--form", "--owner", "市教委", "--output-dir", tmp_path)
    assert "an output never overwrites a ledger or its lock" in result.stderr
    assert ledger.read_bytes() == before


# --- import ---------------------------------------------------------------------------------------------------

FILLED = {
    0: {"note": "完成调研报告", "percent": 55, "by": "张三", "date": datetime(2026, 11, 25)},  # a date cell
    1: {"note": "改革方案已印发\n第二行", "status": "done", "evidence": "渝科发〔2026〕8号", "date": "2026年11月26日"},
    2: {"note": "协调会已开", "percent": (0.4, "0%"), "status": "in progress", "date": 46353},  # 2026-11-27 serial
}


def _entries(ledger: Path) -> dict[str, list[dict[str, object]]]:
    data = tomllib.loads(ledger.read_text(encoding="utf-8"))
    return {c["id"]: c.get("progress", []) for c in data["commitments"]}


def test_preview_writes_nothing_apply_adds_exactly_what_was_filled_and_again_adds_nothing(cli, ledger, form):
    _fill(form, FILLED)
    before = ledger.read_bytes()
    preview = cli("--ledger", ledger, "import", form)
    assert preview.exit_code == 0, preview.output
    assert ledger.read_bytes() == before
    lines = preview.stdout.splitlines()
    assert lines[0].split() == ["编号", "日期", "状态", "进度", "本期进展", "填报人", "佐证材料"]
    assert lines[2].split() == ["1-1", "2026-11-25", "推进中", "55%", "完成调研报告", "张三", "—"]
    assert lines[3].split()[:4] == ["1-2", "2026-11-26", "已办结", "100%"]
    summary = "市科技局填报.xlsx（市科技局，截至2026年11月30日）：新增3条进展，已在台账中0条，本期进展为空跳过0行。"
    assert summary in preview.stdout
    assert "加 --apply 写入" in preview.stdout
    assert "市科技局!B4: 进度大于0，状态随之记为“推进中”。" in preview.stderr

    applied = cli("--ledger", ledger, "import", form, "--apply")
    assert applied.exit_code == 0, applied.output
    assert "新增3条进展记录（1-1、1-2、2-3）" in applied.stdout
    got = _entries(ledger)
    assert got["1-1"] == [{"date": date(2026, 11, 25), "status": "in_progress", "percent": 55, "note": "完成调研报告",
                           "by": "张三"}]
    assert got["1-2"][-1] == {"date": date(2026, 11, 26), "status": "done", "percent": 100,
                              "note": "改革方案已印发\n第二行", "evidence": "渝科发〔2026〕8号"}
    assert got["2-3"] == [{"date": date(2026, 11, 27), "status": "in_progress", "percent": 40, "note": "协调会已开"}]
    data = {c["id"]: c for c in tomllib.loads(ledger.read_text(encoding="utf-8"))["commitments"]}
    assert (data["1-2"]["status"], data["1-2"]["percent"]) == ("done", 100)
    assert (data["1-1"]["status"], data["1-1"]["percent"]) == ("in_progress", 55)
    assert cli("--ledger", ledger, "validate").exit_code == 0

    after = ledger.read_bytes()
    again = cli("--ledger", ledger, "import", form, "--apply")
    assert again.exit_code == 0
    assert "新增0条进展，已在台账中3条" in again.stdout and "台账未改动" in again.stdout
    assert ledger.read_bytes() == after


@needs_soffice
def test_a_copy_resaved_by_libreoffice_reads_the_same_and_adds_nothing_again(cli, ledger, form, tmp_path):
    _fill(form, FILLED)
    resaved = _resave(form, tmp_path / "lo")
    preview_a = cli("--ledger", ledger, "import", form)
    preview_b = cli("--ledger", ledger, "import", resaved)
    assert preview_b.exit_code == 0, preview_b.output
    assert preview_b.stdout.replace(resaved.name, form.name) == preview_a.stdout
    assert cli("--ledger", ledger, "import", form, "--apply").exit_code == 0
    after = ledger.read_bytes()
    again = cli("--ledger", ledger, "import", resaved, "--apply")
    assert again.exit_code == 0
    assert "新增0条进展，已在台账中3条" in again.stdout
    assert ledger.read_bytes() == after
    as_csv = _resave(resaved, tmp_path / "csv", "csv:Text - txt - csv (StarCalc):44,34,76")
    from_csv = cli("--ledger", ledger, "import", as_csv, "--apply")
    assert from_csv.exit_code == 0, from_csv.output
    assert "新增0条进展，已在台账中3条" in from_csv.stdout
    assert ledger.read_bytes() == after


@needs_soffice
def test_the_form_survives_libreoffice_with_protection_and_validation(form, tmp_path):
    ws = openpyxl.load_workbook(_resave(form, tmp_path / "lo")).worksheets[0]
    assert ws.protection.sheet
    assert ws.cell(row=FIRST_ROW, column=NOTE).protection.locked is False
    assert ws.cell(row=FIRST_ROW, column=_col("title")).protection.locked is True
    assert len(ws.data_validations.dataValidation) == len(INPUTS)


def test_reordered_sheets_blank_rows_text_values_and_english_statuses(cli, ledger, form, tmp_path):
    wb = openpyxl.load_workbook(form)
    wb.create_sheet("封面", 0)
    wb.move_sheet(META_SHEET, offset=-1)
    ws = wb["市科技局"]
    ws.title = "返回"
    ws.insert_rows(FIRST_ROW + 1, 3)  # blank rows in between
    values = {"note": "  已报送  ", "percent": "55%", "status": "Blocked", "date": "2026/11/20 00:00:00", "by": "李四"}
    for key, value in values.items():
        ws.cell(row=FIRST_ROW, column=_col(key), value=value)
    ws.cell(row=FIRST_ROW + 4, column=NOTE, value="第二项")
    ws.cell(row=FIRST_ROW + 4, column=_col("date"), value="2026-11-21")
    ws.cell(row=FIRST_ROW + 4, column=_col("percent"), value=35.0)
    target = tmp_path / "reordered.xlsx"
    wb.save(target)
    result = cli("--ledger", ledger, "import", target, "--apply")
    assert result.exit_code == 0, result.output
    got = _entries(ledger)
    assert got["1-1"] == [
        {"date": date(2026, 11, 20), "status": "blocked", "percent": 55, "note": "已报送", "by": "李四"}
    ]
    assert got["1-2"][-1] == {"date": date(2026, 11, 21), "percent": 35, "note": "第二项"}
    assert "跳过1行" in result.stdout  # the row of 2-3 has no progress


def test_rows_without_progress_are_skipped_and_counted(cli, ledger, form):
    _fill(form, {0: {"percent": 50}, 2: {"note": "有进展", "date": "2026-11-02"}})
    result = cli("--ledger", ledger, "import", form)
    assert result.exit_code == 0
    assert "新增1条进展，已在台账中0条，本期进展为空跳过2行" in result.stdout
    assert "市科技局!J4: 本期进展为空，本行已跳过（其中填写的进度未导入）。" in result.stderr


def test_an_empty_date_needs_the_date_option(cli, ledger, form):
    _fill(form, {0: {"note": "有进展"}})
    before = ledger.read_bytes()
    result = cli("--ledger", ledger, "import", form, "--apply")
    assert result.exit_code == 2
    assert "市科技局!O4: 填报日期为空；请填写日期，或导入时加 --date 日期 统一指定。" in result.stderr
    assert ledger.read_bytes() == before
    result = cli("--ledger", ledger, "import", form, "--date", "2026-11-28", "--apply")
    assert result.exit_code == 0
    assert _entries(ledger)["1-1"] == [{"date": date(2026, 11, 28), "note": "有进展"}]


def test_bad_cells_are_listed_with_their_references_and_nothing_is_written(cli, ledger, form):
    wb = openpyxl.load_workbook(form)
    ws = wb.worksheets[0]
    ws.cell(row=FIRST_ROW, column=_col("title"), value="改过的事项")
    for col, value in ((NOTE, "a"), (_col("percent"), 120), (_col("date"), "2026-13-45")):
        ws.cell(row=FIRST_ROW, column=col, value=value)
    for col, value in ((NOTE, "b"), (_col("status"), "已办结"), (_col("date"), TODAY + timedelta(days=3))):
        ws.cell(row=FIRST_ROW + 1, column=col, value=value)
    for col, value in ((_col("id"), "9-9"), (NOTE, "c"), (_col("status"), "差不多"), (_col("date"), "2026-11-01")):
        ws.cell(row=FIRST_ROW + 2, column=col, value=value)
    for col, value in ((_col("id"), "2-2"), (NOTE, "d"), (_col("date"), "2026-11-01")):
        ws.cell(row=FIRST_ROW + 3, column=col, value=value)
    for col, value in ((_col("id"), "1-2"), (_col("title"), "'=经济区与行政区适度分离改革"), (NOTE, "e"),
                       (_col("status"), "done"), (_col("date"), "2026-11-01")):
        ws.cell(row=FIRST_ROW + 4, column=col, value=value)
    wb.save(form)
    before = ledger.read_bytes()
    result = cli("--ledger", ledger, "import", form, "--apply")
    assert result.exit_code == 2
    assert ledger.read_bytes() == before
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("cytrack: ") and lines[-1].endswith("发现8处问题，台账未改动；请改正后重新导入。")
    assert lines[:-1] == [
        "市科技局!C4: “事项”列是只读的，被改动了（台账中为“成本分担和利益共享机制”）；请恢复原样或重新导出填报表。",
        "市科技局!K4: 进度“120”不是0至100的整数。",
        "市科技局!O4: “2026-13-45”不是有效日期；请写成 2026-11-25、2026/11/25 或 2026年11月25日。",
        f"市科技局!O5: 填报日期 {(TODAY + timedelta(days=3)).isoformat()} 晚于今天（{TODAY.isoformat()}），"
        "不能填写将来的日期。",
        "市科技局!B6: 编号“9-9”不在台账中。",
        "市科技局!L6: 状态“差不多”无法识别；请从下拉列表选择：未启动、推进中、受阻、已办结、已终止。",
        "市科技局!B7: 编号“2-2”不是这张填报表导出的事项（本表只含市科技局的事项）。",
        "市科技局!M8: 状态为“已办结”，须填写佐证材料（文号、链接或会议纪要）。",
    ]


def test_problems_in_english(cli, ledger, form):
    _fill(form, {0: {"note": "x", "percent": "abc", "date": "2026-11-01"}})
    result = cli("--ledger", ledger, "--lang", "en", "import", form)
    assert result.exit_code == 2
    assert "市科技局!K4: the percent 'abc' is not a whole number from 0 to 100." in result.stderr
    assert "1 problem(s) found; the ledger was not changed." in result.stderr


def test_a_form_of_another_reply_is_refused(cli, ledger, form, write_ledger):
    _fill(form, {0: {"note": "x", "date": "2026-11-01"}})
    other = write_ledger(LEDGER, name="other.toml")
    other.write_text(other.read_text(encoding="utf-8").replace('proposal = "1181"', 'proposal = "523"'), "utf-8")
    result = cli("--ledger", other, "import", form)
    assert result.exit_code == 2
    assert "cytrack!B3: 这张填报表来自答复“1181”，本台账中没有（本台账的答复：523）。" in result.stderr


def test_csv_with_the_same_columns_utf8_and_gbk(cli, ledger, tmp_path):
    header = "答复,编号,事项,本期进展,进度,状态,佐证材料,填报人,填报日期\r\n"
    row = "1181,2-3,科技成果转化方案,已协调,20%,推进中,,王五,2026-11-22\r\n"
    (tmp_path / "a.csv").write_bytes(("\ufeff" + header + row + ",,,,,,,,\r\n").encode("utf-8"))
    (tmp_path / "b.csv").write_bytes((header + row.replace("已协调", "再协调")).encode("gbk"))
    assert cli("--ledger", ledger, "import", tmp_path / "a.csv", "--apply").exit_code == 0
    assert cli("--ledger", ledger, "import", tmp_path / "b.csv", "--apply").exit_code == 0
    assert [e["note"] for e in _entries(ledger)["2-3"]] == ["已协调", "再协调"]
    assert _entries(ledger)["2-3"][0] == {"date": date(2026, 11, 22), "status": "in_progress", "percent": 20,
                                          "note": "已协调", "by": "王五"}


@pytest.mark.parametrize("name", ["返回.xls", "返回.et", "返回.ods", "返回.numbers"])
def test_other_formats_are_refused_with_a_hint(cli, ledger, tmp_path, name):
    (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0 not really")
    result = cli("--ledger", ledger, "import", tmp_path / name)
    assert result.exit_code == 2
    assert "另存为”Excel 工作簿（.xlsx）后再导入" in result.stderr


def test_an_xls_renamed_to_xlsx_and_a_missing_file(cli, ledger, tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"\xd0\xcf\x11\xe0 an old binary workbook")
    result = cli("--ledger", ledger, "import", tmp_path / "x.xlsx")
    assert result.exit_code == 2 and "不是有效的 .xlsx 文件" in result.stderr
    result = cli("--ledger", ledger, "import", tmp_path / "nothing.xlsx")
    assert result.exit_code == 2 and "文件不存在" in result.stderr
    (tmp_path / "plain.xlsx").write_bytes(openpyxl_bytes())
    result = cli("--ledger", ledger, "import", tmp_path / "plain.xlsx")
    assert result.exit_code == 2 and "找不到填报表的表头" in result.stderr


def openpyxl_bytes() -> bytes:
    import io

    wb = openpyxl.Workbook()
    wb.active["A1"] = "别的表"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_several_rows_for_one_commitment_go_in_date_order(cli, ledger, form, tmp_path):
    wb = openpyxl.load_workbook(form)
    ws = wb.worksheets[0]
    ws.protection.sheet = False
    ws.cell(row=FIRST_ROW + 3, column=_col("id"), value="1-1")
    ws.cell(row=FIRST_ROW + 3, column=_col("title"), value="成本分担和利益共享机制")
    for col, value in ((NOTE, "后来的"), (_col("percent"), 60), (_col("date"), "2026-11-20")):
        ws.cell(row=FIRST_ROW, column=col, value=value)
    for col, value in ((NOTE, "先前的"), (_col("percent"), 20), (_col("date"), "2026-11-10")):
        ws.cell(row=FIRST_ROW + 3, column=col, value=value)
    wb.save(form)
    result = cli("--ledger", ledger, "import", form, "--apply")
    assert result.exit_code == 0, result.output
    got = _entries(ledger)["1-1"]
    assert [(e["date"], e["note"], e.get("percent")) for e in got] == [
        (date(2026, 11, 10), "先前的", 20), (date(2026, 11, 20), "后来的", 60),
    ]
    data = {c["id"]: c for c in tomllib.loads(ledger.read_text(encoding="utf-8"))["commitments"]}
    assert data["1-1"]["percent"] == 60


def test_an_english_form_reads_back_with_either_language(cli, ledger, tmp_path):
    out = tmp_path / "en.xlsx"
    result = cli("--ledger", ledger, "--lang", "en", "export", "--form", "--owner", "市科技局", "-o", out)
    assert result.exit_code == 0 and "wrote the form of 市科技局" in result.stderr
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws.cell(row=HEADER_ROW, column=NOTE).value == "Progress this period"
    assert ws.cell(row=FIRST_ROW, column=_col("role")).value == "co-owner"
    _fill(out, {1: {"note": "done at last", "status": "已办结", "evidence": "No. 8", "date": "2026-11-29"}})
    result = cli("--ledger", ledger, "import", out, "--apply")
    assert result.exit_code == 0, result.output
    assert _entries(ledger)["1-2"][-1] == {"date": date(2026, 11, 29), "status": "done", "percent": 100,
                                           "note": "done at last", "evidence": "No. 8"}


# --- the cell readers, for every spelling an office suite may save -------------------------------------------

def _read(reader, key: str, value: object, percent: bool = False, **kwargs):
    problems: list[str] = []
    row = _Row({key: Cell(f"S!{key}1", value, percent)}, "zh", problems)
    return reader(row, **kwargs), problems


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2026, 11, 30)))
def test_every_spelling_of_a_date_reads_as_that_date(d):
    serial = (d - WINDOWS_EPOCH).days
    spellings = [
        d, datetime(d.year, d.month, d.day), serial, float(serial), str(serial), d.isoformat(),
        f"{d.year}/{d.month}/{d.day}", f"{d.year}年{d.month}月{d.day}日", f"{d.isoformat()} 00:00:00",
        f"{d.year}.{d.month:02d}.{d.day:02d}",
    ]
    for value in spellings:
        assert _read(_date, "date", value, epoch=WINDOWS_EPOCH, today=date(2026, 12, 1), default=None) == (d, []), value


@given(st.integers(min_value=0, max_value=100))
def test_every_spelling_of_a_percent_reads_as_that_number(n):
    for value, percent in ((n, False), (float(n), False), (str(n), False), (f"{n}%", False), (f"{n} ％", False),
                           (n / 100, True)):
        assert _read(_percent, "percent", value, percent) == (n, []), (value, percent)


@pytest.mark.parametrize("value", [101, -1, 55.5, "0.55", "abc", "55%%", True, float("nan")])
def test_bad_percents_are_problems(value):
    got, problems = _read(_percent, "percent", value)
    assert got is None and len(problems) == 1 and problems[0].startswith("S!percent1: 进度")


@pytest.mark.parametrize("value", ["03/04/2026", "2026-02-30", "明年", "123"])
def test_bad_dates_are_problems(value):
    got, problems = _read(_date, "date", value, epoch=WINDOWS_EPOCH, today=date(2026, 12, 1), default=None)
    assert got is None and len(problems) == 1 and "不是有效日期" in problems[0]


REPLY = """\
schema = 1

[source]
{kind}proposal = "{number}"
title = "答复{number}"
lead_unit = "市科技局"

[[commitments]]
id = "1-1"
section = 1
title = "{number}的事项"
lead = "市科技局"
status = "not_started"
percent = 0
"""


def test_an_office_ledger_gets_qualified_ids_and_each_file_its_own_entries(cli, tmp_path):
    entry = tmp_path / "commitments.toml"
    entry.write_text('schema = 1\ninclude = ["replies/*.toml"]\n', encoding="utf-8")
    (tmp_path / "replies").mkdir()
    first, second = tmp_path / "replies" / "1181.toml", tmp_path / "replies" / "s523.toml"
    first.write_text(REPLY.format(kind="", number="1181"), encoding="utf-8")
    second.write_text(REPLY.format(kind='kind = "suggestion"\n', number="523"), encoding="utf-8")
    out = tmp_path / "form.xlsx"
    assert cli("--ledger", entry, "export", "--form", "--owner", "市科技局", "-o", out, "--as-of", AS_OF).exit_code == 0
    ws = openpyxl.load_workbook(out).worksheets[0]
    rows = [(ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value) for r in (FIRST_ROW, FIRST_ROW + 1)]
    assert rows == [("1181", "1181/1-1"), ("s523", "s523/1-1")]
    assert ws.cell(row=1, column=1).value.startswith("提案和建议答复承诺事项进展填报表（市科技局")
    _fill(out, {0: {"note": "甲", "date": "2026-11-20"}, 1: {"note": "乙", "percent": 10, "date": "2026-11-21"}})
    before = entry.read_bytes()
    result = cli("--ledger", entry, "import", out, "--apply")
    assert result.exit_code == 0, result.output
    assert "1181/1-1" in result.stdout and "新增2条进展记录（1181/1-1、s523/1-1）" in result.stdout
    assert entry.read_bytes() == before
    assert _entries(first)["1-1"] == [{"date": date(2026, 11, 20), "note": "甲"}]
    assert _entries(second)["1-1"] == [{"date": date(2026, 11, 21), "status": "in_progress", "percent": 10,
                                        "note": "乙"}]
    again = cli("--ledger", entry, "import", out, "--apply")
    assert again.exit_code == 0 and "已在台账中2条" in again.stdout
    wb = openpyxl.load_workbook(out)
    wb.worksheets[0].cell(row=FIRST_ROW, column=_col("id"), value="1-1")  # a bare id two replies hold
    wb.save(out)
    result = cli("--ledger", entry, "import", out)
    assert result.exit_code == 2
    assert "市科技局!B4: 编号“1-1”在多件答复中都有，请写成带答复的编号：1181/1-1、s523/1-1。" in result.stderr


def test_status_follows_percent_as_update_does(cli, ledger, form):
    _fill(form, {0: {"note": "全部完成", "percent": 100, "date": "2026-11-20"}})
    result = cli("--ledger", ledger, "import", form, "--apply")
    assert result.exit_code == 0, result.output
    note = "市科技局!B4: 进度为100%，但状态没有选“已办结”，事项仍未办结；办结请选“已办结”并填写佐证材料。"
    assert note in result.stderr
    assert _entries(ledger)["1-1"] == [
        {"date": date(2026, 11, 20), "status": "in_progress", "percent": 100, "note": "全部完成"}
    ]
