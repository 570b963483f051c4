"""Compile src/cytrack/i18n/locale/*/LC_MESSAGES/cytrack.po into the .mo files shipped beside them.

    python scripts/build_catalogue.py

The .mo is committed; tests/test_language.py fails when it is not the compilation of the .po.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from cytrack.i18n.catalogue import LOCALE_DIR, compile_po  # noqa: E402

for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
    mo = po.with_suffix(".mo")
    mo.write_bytes(compile_po(po.read_text(encoding="utf-8")))
    print(f"{po.relative_to(LOCALE_DIR)} -> {mo.name}")
