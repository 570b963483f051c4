"""A ledger for the paperwork tests (progress, a closed item, an extension, overdue, due soon,
blocked, stale), and helpers that run LibreOffice and Chromium when they are installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

AS_OF = "2026-11-29"  # a Sunday: the report covers 2026-11-23 .. 2026-11-29

PAPERS_LEDGER = r'''
[[commitments]]
id = "1-1"
section = 1
title = "经济社会管理权限优化配置"
quote = "通过创新体制机制，促进经济社会管理权限优化配置"
lead = "市发展改革委"
co_owners = ["市经济信息委"]
status = "in_progress"
percent = 50
due = 2026-12-20
review = "monthly"

  [[commitments.progress]]
  date = 2026-10-10
  status = "in_progress"
  percent = 30
  note = "启动调研。"
  by = "张三"

  [[commitments.progress]]
  date = 2026-11-24
  percent = 50
  note = "完成成本分担机制初稿，征求川渝两地意见，形成修改稿并报市政府审定。"
  by = "市发展改革委"

[[commitments]]
id = "1-2"
section = 1
title = "成本分担和利益共享机制"
quote = "探索建立成本分担和利益共享机制"
lead = "市发展改革委"
status = "not_started"
percent = 0
due = 2025-12-31
due_basis = "source"

[[commitments]]
id = "2-1"
section = 2
title = "电子信息先进制造集群培育提升三年行动"
quote = "实施成渝地区电子信息先进制造集群培育提升三年行动"
lead = "市经济信息委"
status = "done"
percent = 100
due = 2026-12-31

  [[commitments.progress]]
  date = 2026-11-26
  status = "done"
  percent = 100
  note = "三年行动方案印发实施。"
  evidence = "渝经信发〔2026〕12号"

[[commitments]]
id = "2-3"
section = 2
title = "电走廊、氢走廊、智行走廊建设 <script>alert(1)</script> & \"引号\""
quote = "推进电走廊、氢走廊、智行走廊建设"
lead = "市经济信息委"
status = "blocked"
percent = 40
due = 2026-12-03

  [[commitments.progress]]
  date = 2026-11-25
  status = "blocked"
  note = "加氢站用地指标待协调。"

[[commitments]]
id = "2-4"
section = 2
title = "毗邻合作园区联合投资运营公司"
quote = "组建毗邻合作园区联合投资运营公司"
lead = "市经济信息委"
status = "in_progress"
percent = 20
due = 2025-12-31

  [[commitments.progress]]
  date = 2026-11-02
  percent = 20
  note = "已完成股东协议谈判。"

  [[commitments.extensions]]
  date = 2025-12-20
  new_due = 2026-06-30
  reason = "需跨省协调"
  approved_by = "市政府办公厅"
'''


def program(name: str) -> str | None:
    return shutil.which(name)


needs_soffice = pytest.mark.skipif(
    program("soffice") is None or program("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler-utils (pdftotext) are not installed",
)
needs_chromium = pytest.mark.skipif(
    program("chromium") is None and program("chromium-browser") is None,
    reason="Chromium is not installed",
)


def to_pdf(source: Path, infilter: str | None = None) -> Path:
    """``soffice --headless --convert-to pdf`` with a private profile; returns the PDF beside ``source``."""
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    args = [
        str(program("soffice")), "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to", "pdf", "--outdir", str(source.parent), str(source),
    ]
    if infilter:
        args.insert(-5, f"--infilter={infilter}")
    subprocess.run(args, check=True, capture_output=True, timeout=180)
    shutil.rmtree(profile, ignore_errors=True)
    pdf = source.with_suffix(".pdf")
    assert pdf.exists(), f"LibreOffice made no PDF of {source.name}"
    return pdf


def pdf_text(pdf: Path, *extra: str) -> str:
    return subprocess.run(
        [str(program("pdftotext")), *extra, str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout


def screenshot(page: Path, width: int, out: Path) -> Path:
    """A headless Chromium screenshot of ``page`` at ``width`` px, with every network feature off."""
    browser = program("chromium") or program("chromium-browser")
    profile = tempfile.mkdtemp(prefix="chromium-")
    subprocess.run(
        [
            str(browser), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
            f"--screenshot={out}", f"--window-size={width},1600", page.as_uri(),
        ],
        check=True, capture_output=True, timeout=120, env={**os.environ, "HOME": profile},
    )
    shutil.rmtree(profile, ignore_errors=True)
    assert out.exists(), "Chromium made no screenshot"
    return out
