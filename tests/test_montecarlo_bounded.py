"""Monte Carlo in bounded memory: the running totals give the exact figures while a run
fits one chunk, and beyond that each figure within the stated bound."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from game.report import montecarlo
from game.report.montecarlo import HIST_WIDTH, Aggregate, aggregate, run
from game.report.summary import summarize
from game.scenario.catalog import resolve
from game.scenario.loader import load_scenario

ROUNDING = 1e-4   # figures are printed to 4 places: one unit in the last place either way


def _leaves(d: Any, path: str = "") -> dict[str, Any]:
    if isinstance(d, dict):
        out: dict[str, Any] = {}
        for k, v in d.items():
            out.update(_leaves(v, f"{path}.{k}"))
        return out
    return {path: d}


@pytest.fixture(scope="module")
def scenario() -> Any:
    return load_scenario(resolve("first-quarter"))


def test_one_chunk_gives_the_same_summary(scenario: Any) -> None:
    args = (scenario, "reciprocal", "selfish", 48, 3)
    exact = summarize(run(*args, workers=1), scenario="s", cmo="a", cto="b", seed=3)
    folded = summarize(aggregate(*args, workers=1), scenario="s", cmo="a", cto="b", seed=3)
    assert folded == exact


@pytest.mark.parametrize("cmo,cto", [("reciprocal", "selfish"), ("random", "partner")])
def test_many_chunks_agree_with_the_exact_figures_within_the_bound(
        scenario: Any, cmo: str, cto: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(montecarlo, "CHUNK", 300)
    args = (scenario, cmo, cto, 1300, 5)
    exact = _leaves(summarize(run(*args, workers=1), scenario="s", cmo=cmo, cto=cto, seed=5))
    agg = aggregate(*args, workers=1)
    assert agg.exact is None and agg.n == 1300
    folded = _leaves(summarize(agg, scenario="s", cmo=cmo, cto=cto, seed=5))
    assert folded.keys() == exact.keys()
    for key, want in exact.items():
        got = folded[key]
        if isinstance(want, str) or key == ".games":
            assert got == want, key
            continue
        quantile = key.rsplit(".", 1)[-1] in ("p10", "p50", "p90")
        bound = HIST_WIDTH + ROUNDING if quantile else ROUNDING
        assert abs(got - want) <= bound + 1e-12, (key, got, want)


def test_histogram_quantiles_are_within_a_bin_of_numpy() -> None:
    rng = np.random.default_rng(0)
    cols = np.zeros((len(montecarlo.COLUMNS), 50_000))
    g = montecarlo.COLUMNS.index("growth")
    cols[g] = rng.normal(0.3, 0.4, cols.shape[1])
    agg = Aggregate()
    for part in np.array_split(cols, 7, axis=1):
        agg.add(part)
    qs = [1, 10, 50, 90, 99]
    got = agg.percentiles("growth", qs)
    want = np.percentile(cols[g], qs)
    assert np.all(np.abs(np.array(got) - want) <= HIST_WIDTH)
