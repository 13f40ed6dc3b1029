"""Shared fixtures for the engine tests: the default scenario, compiled once per session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from game.engine.game import Game, compile_game
from game.scenario.models import Scenario

SCENARIO_PATH = Path(__file__).resolve().parent.parent / "scenarios" / "digital-shift.yaml"


def load_default_scenario() -> Scenario:
    with SCENARIO_PATH.open(encoding="utf-8") as fh:
        return Scenario.model_validate(yaml.safe_load(fh))


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    """The validated digital-shift scenario."""
    return load_default_scenario()


@pytest.fixture(scope="session")
def game(scenario: Scenario) -> Game:
    """digital-shift compiled for the engine (immutable, shared by every test)."""
    return compile_game(scenario)


def _variant(sc: Scenario, section: str, **changes: Any) -> Scenario:
    """`sc` with fields of one nested section replaced (models are frozen)."""
    part = getattr(sc, section)
    return sc.model_copy(update={section: part.model_copy(update=changes)})


@pytest.fixture(scope="session")
def variant(scenario: Scenario) -> Callable[..., Game]:
    """Compile digital-shift with some fields of one section changed:
    `variant("relationship", misread=0.0)`."""
    cache: dict[tuple[str, tuple[tuple[str, Any], ...]], Game] = {}

    def make(section: str, **changes: Any) -> Game:
        key = (section, tuple(sorted(changes.items())))
        if key not in cache:
            cache[key] = compile_game(_variant(scenario, section, **changes))
        return cache[key]

    return make


@pytest.fixture()
def drv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A headless game window for UI tests, saving into a private data folder."""
    from game.ui.testing import Driver

    monkeypatch.setenv("SAMETEAM_DATA_DIR", str(tmp_path))
    d = Driver()
    yield d
    d.close()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--scenario", action="append", metavar="FILE",
                     help="run the conformance test on this scenario file (repeatable)")


def neutral_step(g: Any, option: int = 0) -> None:
    """Take a live game's current step the plainest way a player could: read a view, let
    an AI decide, pick `option` of an event, no talk moves, an empty plan, accept, the
    default answers. Tests that walk a game to a point call this for each step."""
    from game.engine.actions import Aftermath, Plan, Talk
    from game.session.steps import Kind

    s = g.step
    if s.is_view:
        g.acknowledge()
    elif g.awaits_ai:
        g.advance_ai()
    elif s.kind == Kind.EVENT:
        g.submit(dict.fromkeys(g.event_choices(s.role or 0), option))
    elif s.kind == Kind.TALK:
        g.submit(Talk.none(1))
    elif s.kind == Kind.PROPOSE:
        g.submit(Plan.empty(1, g.game.n_projects))
    elif s.kind == Kind.RESPOND:
        g.submit(True)
    else:
        g.submit(Aftermath.default(1, g.game.n_projects))
