"""The facilitator's guide stays true to the program: its generated reference is current."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_guide_reference_matches_the_models() -> None:
    """Section 4's variable table and section 5's field tables are generated from the code;
    a default or a variable that changes without `docs/gen_reference.py --update` fails here."""
    script = ROOT / "docs" / "gen_reference.py"
    spec = importlib.util.spec_from_file_location("gen_reference", script)
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    guide = (ROOT / "docs" / "scenario-guide.md").read_text(encoding="utf-8")
    found = re.search(re.escape(gen.START) + r"\n\n(.*?)\n" + re.escape(gen.END), guide, re.DOTALL)
    assert found, "reference markers missing from the guide"
    assert found.group(1) == gen.reference(), (
        "docs/scenario-guide.md is out of date: run "
        "python docs/gen_reference.py --update docs/scenario-guide.md")
