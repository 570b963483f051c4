"""Shared fixtures: small ledgers written from dedented strings, and a CLI runner."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cytrack.cli import app

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "commitments.toml"

HEADER = """\
schema = 1

[source]
proposal = "1181"
title = "关于推动成渝地区双城经济圈产业协同的建议"
lead_unit = "市经济信息委"

[sections]
"1" = "持续开展体制机制创新"
"2" = "持续加强产业协同发展"
"""


@pytest.fixture(autouse=True)
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets an empty parse cache, so no test reads what another (or the user) left."""
    monkeypatch.setenv("CYTRACK_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def _library_language() -> None:
    """A command line run in-process sets the language of messages; each test starts from the library's."""
    from cytrack.i18n import use

    use("en")


@pytest.fixture
def write_ledger(tmp_path: Path) -> Callable[..., Path]:
    """Write a ledger from a dedented string (``HEADER`` is prepended unless ``bare=True``)."""

    def write(body: str = "", *, bare: bool = False, name: str = "commitments.toml") -> Path:
        text = textwrap.dedent(body)
        if not bare:
            text = HEADER + "\n" + text
        path = tmp_path / name
        path.write_text(text, encoding="utf-8", newline="")
        return path

    return write


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """Run ``cytrack`` in-process with a clean environment; returns the click ``Result``."""
    monkeypatch.delenv("CYTRACK_LEDGER", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    runner = CliRunner()

    def run(*args: str, **kwargs: object):  # type: ignore[no-untyped-def]
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, **kwargs)

    return run


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Set the real today cytrack reads (``commands.session.clock``) for this test: ``today("2025-12-01")``."""
    from datetime import date

    from cytrack.commands import session

    def set_today(iso: str) -> None:
        monkeypatch.setattr(session, "clock", lambda: date.fromisoformat(iso))

    return set_today
