"""The shipped ledger loads and lists."""

import json

from conftest import SHIPPED


def test_shipped_ledger_lists_as_json(cli):
    result = cli("--ledger", SHIPPED, "list", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) >= 25
    assert rows[0]["id"] == "1-1"
