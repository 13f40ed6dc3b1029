"""Driving games differently must not change one: the recorded figures still come out."""

from __future__ import annotations

import json

import pytest

from tests.golden_simulate import GOLDEN, figures, live_figures


@pytest.fixture(scope="module")
def golden() -> dict[str, dict[str, object]]:
    data: dict[str, dict[str, object]] = json.loads(GOLDEN.read_text())
    return data


def test_simulate_prints_the_recorded_bytes(golden: dict[str, dict[str, object]]) -> None:
    now = figures()
    assert now.keys() == golden["simulate"].keys()
    changed = [k for k in now if now[k] != golden["simulate"][k]]
    assert not changed, f"{len(changed)} of {len(now)} runs changed, e.g. {changed[:5]}"


def test_live_ai_games_make_the_recorded_decisions(golden: dict[str, dict[str, object]]) -> None:
    now = live_figures()
    changed = [k for k in now if now[k] != golden["live"][k]]
    assert not changed, f"live games changed: {changed}"
