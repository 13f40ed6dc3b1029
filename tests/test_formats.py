"""The format's additions of issue 13: a card's effects on failure, a finished card's
upkeep, a card only both may own (in the engine, the AI's plans and the budget screen).
Each is checked against the same scenario without it, on the same seeds, so the
difference is the feature's and nothing else's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from game.engine import execution, news, portfolio, talk
from game.engine.actions import Plan, Talk
from game.engine.constants import (
    CMO,
    CTO,
    FAILED,
    L_PROJECTS,
    OWNER_CMO,
    OWNER_CTO,
    OWNER_JOINT,
    SUCCESS,
    V_DEBT,
    V_PLATFORM,
    Phase,
)
from game.engine.driver import begin
from game.engine.game import Game, compile_game, scenario_hash
from game.engine.state import State
from game.scenario.models import Scenario

CARD = "security-hardening"  # technology, one quarter, in digital-shift


def with_card(sc: Scenario, card: str, **changes: Any) -> Game:
    """digital-shift with fields of one card changed (models are frozen)."""
    projects = [p.model_copy(update=changes) if p.id == card else p for p in sc.projects]
    return compile_game(sc.model_copy(update={"projects": projects}))


def _run_card(game: Game, b: int, seed: int, quarters: int) -> Iterator[State]:
    """Fund CARD for the CTO in quarter 1 and yield the state after its execution; then
    quiet quarters, yielding each at its talk phase (the grant and the money on the
    table known)."""
    from tests.test_engine_rules import next_talk

    j = game.project_ids.index(CARD)
    state = begin(game, b, seed)
    news.start_quarter(game, state)
    news.resolve_choices(game, state)
    talk.apply_talk(game, state, Talk.none(b), Talk.none(b))
    plan = Plan.empty(b, game.n_projects)
    plan.fund[:, j] = True
    plan.owner[:, j] = OWNER_CTO
    portfolio.commit(game, state, plan, np.ones(b, dtype=np.bool_))
    execution.execute(game, state)
    yield state
    for _ in range(quarters - 1):
        if state.phase == Phase.TALK:
            talk.apply_talk(game, state, Talk.none(b), Talk.none(b))
            portfolio.commit(game, state, Plan.empty(b, game.n_projects),
                             np.ones(b, dtype=np.bool_))
            execution.execute(game, state)
        next_talk(game, state)
        yield state


def test_a_scenario_without_the_additions_hashes_as_before(scenario: Scenario) -> None:
    """Saved games check the scenario's hash: empty additions leave the dump alone."""
    card = next(p for p in scenario.projects if p.id == CARD)
    assert not card.on_failure and not card.upkeep
    dumped = card.model_dump(mode="json")
    assert "on_failure" not in dumped and "upkeep" not in dumped and "effects" in dumped
    assert "upkeep" in card.model_copy(update={"upkeep": 0.1}).model_dump(mode="json")
    same = with_card(scenario, CARD, on_failure=[], upkeep=0.0)
    assert same.hash == scenario_hash(scenario)


def test_effects_on_failure_land_only_where_the_card_failed(scenario: Scenario) -> None:
    """A risky card with `on_failure: [tech.debt += 0.1]`: the games where it failed carry
    that much more debt than the same games without it; the others are identical."""
    base = with_card(scenario, CARD, risk=1.0)
    costly = with_card(scenario, CARD, risk=1.0, on_failure=["tech.debt += 0.1"])
    j = base.project_ids.index(CARD)
    b, seed = 256, 5
    plain = next(_run_card(base, b, seed, 1))
    hurt = next(_run_card(costly, b, seed, 1))
    np.testing.assert_array_equal(plain.status, hurt.status)
    failed = plain.status[:, j] == FAILED
    assert 20 < failed.sum() < b - 20  # both kinds of game are there
    debt = hurt.v[:, V_DEBT] - plain.v[:, V_DEBT]
    np.testing.assert_allclose(debt[failed], 0.1, atol=1e-9)
    np.testing.assert_array_equal(hurt.v[~failed], plain.v[~failed])
    # a challenged or successful card delivered as before: the platform did not move
    np.testing.assert_array_equal(hurt.v[:, V_PLATFORM], plain.v[:, V_PLATFORM])


def test_upkeep_is_paid_before_the_split_from_the_quarter_after_success(
        scenario: Scenario) -> None:
    """`upkeep: 0.2`: nothing in the quarter the card finishes; from the next quarter on
    the money on the table is 0.2 less wherever it succeeded, booked as project spend,
    and the ledger still adds up to the grant."""
    base = with_card(scenario, CARD)
    kept = with_card(scenario, CARD, upkeep=0.2)
    j = base.project_ids.index(CARD)
    b, seed = 128, 9
    runs = zip(_run_card(base, b, seed, 3), _run_card(kept, b, seed, 3), strict=True)
    for quarter, (plain, paid) in enumerate(runs, start=1):
        if quarter == 1:
            np.testing.assert_array_equal(plain.ledger_total, paid.ledger_total)
            success = plain.status[:, j] == SUCCESS
            assert 10 < success.sum() < b
            continue
        assert paid.phase == Phase.TALK
        # no card was funded since: the project line this quarter is the upkeep alone
        np.testing.assert_allclose(paid.ledger[:, L_PROJECTS], 0.2 * success)
        np.testing.assert_array_equal(plain.ledger[:, L_PROJECTS], 0.0)
        np.testing.assert_allclose(paid.ledger.sum(axis=1) + paid.available, paid.grant)
        if quarter == 2:  # the same grant: the money on the table is the upkeep less
            np.testing.assert_allclose(paid.grant, plain.grant)
            np.testing.assert_allclose(plain.available - paid.available, 0.2 * success)


def test_a_card_only_both_may_own_refuses_a_single_owner(scenario: Scenario) -> None:
    """`joint_only: true`: a plan giving the card to one executive is invalid with a
    reason a player reads; sanitize makes it joint; a joint plan stands."""
    game = with_card(scenario, CARD, joint_only=True)
    j = game.project_ids.index(CARD)
    b = 3
    state = begin(game, b, 2)
    news.start_quarter(game, state)
    news.resolve_choices(game, state)
    plan = Plan.empty(b, game.n_projects)
    plan.fund[:, j] = True
    plan.owner[:, j] = [OWNER_CMO, OWNER_CTO, OWNER_JOINT]
    np.testing.assert_array_equal(portfolio.plan_valid(game, state, plan), [False, False, True])
    assert any("can only be owned jointly" in p for p in portfolio.plan_problems(game, state,
                                                                                  plan, 0))
    assert portfolio.plan_problems(game, state, plan, 2) == []
    fixed = portfolio.sanitize(game, state, plan)
    assert (fixed.owner[:, j] == OWNER_JOINT).all() and fixed.fund[:, j].all()
    assert portfolio.plan_valid(game, state, fixed).all()
    # the same card without the rule takes any owner
    free = with_card(scenario, CARD)
    state = begin(free, b, 2)
    news.start_quarter(free, state)
    news.resolve_choices(free, state)
    assert portfolio.plan_valid(free, state, plan).all()


def test_every_policy_funds_gray_zones_joint_only_card_jointly() -> None:
    """gray-zones' customer record is joint_only: whoever proposes (scripted or AI), it is
    funded in some games and always with both as owners, and no plan is refused for it."""
    from game.ai.registry import make_policy
    from game.engine.driver import play_quarter
    from game.scenario.catalog import resolve
    from game.scenario.loader import load_scenario

    game = compile_game(load_scenario(resolve("gray-zones")))
    j = game.project_ids.index("customer-record")
    assert game.joint_only[j] and game.joint_only.sum() == 1
    b = 64
    for cmo, cto in (("selfish", "selfish"), ("turf-warrior", "bypasser"),
                     ("cooperative", "random"), ("gatekeeper", "partner")):
        state = begin(game, b, 3)
        pols = (make_policy(cmo, game, CMO, 3), make_policy(cto, game, CTO, 3))
        funded = np.zeros(b, dtype=np.bool_)
        for _ in range(game.quarters):
            play_quarter(game, state, pols)
            started = state.started[:, j] > 0
            funded |= started
            assert (state.owner[started, j] == OWNER_JOINT).all(), (cmo, cto)
        assert funded.any(), (cmo, cto)


def test_the_budget_screen_offers_a_joint_only_card_as_joint(drv: Any, tmp_path: Any) -> None:
    """On the propose screen, funding the card selects Joint and leaves CMO and CTO off;
    the card's panel says why; the plan can be proposed."""
    from pathlib import Path

    from game.scenario.loader import load_scenario
    from game.session.steps import Kind
    from game.ui.scenes.budget import ProposeScene
    from tests.test_ui_scenes import _start

    src = (Path(__file__).resolve().parent.parent / "scenarios" / "digital-shift.yaml"
           ).read_text(encoding="utf-8")
    old = "    risk: 0.5\n    effects:\n      - market.channel += 0.07\n"
    assert src.count(old) == 1
    text = src.replace(old, "    risk: 0.5\n    joint_only: true\n    effects:\n"
                       "      - market.channel += 0.07\n")
    path = Path(tmp_path) / "joint-card.yaml"
    path.write_text(text, encoding="utf-8")
    sc = load_scenario(path, text)
    flow = _start(drv, str(path), sc, Kind.PROPOSE)
    scene = drv.scene
    assert isinstance(scene, ProposeScene)
    j = [p.id for p in sc.projects].index("lead-analytics")
    drv.click(drv.button("Lead analytics"))
    assert bool(scene.plan.fund[0, j]) and int(scene.plan.owner[0, j]) == OWNER_JOINT
    owners = {b.ident: b for b in scene.buttons if b.ident in ((j, 1), (j, 2), (j, 3))}
    assert not owners[(j, 1)].enabled and not owners[(j, 2)].enabled
    # and they look it (pygame_gui redraws an unselected button as enabled otherwise)
    assert {owners[(j, o)].widget.drawable_shape.active_state.state_id for o in (1, 2)} == {
        "disabled"}
    assert owners[(j, 3)].enabled and bool(owners[(j, 3)].widget.is_selected)
    drv.frame(2)
    assert any("Only both of you together can own it." in s for s in drv.drawn)
    assert any("The plan is valid." in s for s in drv.drawn)
    drv.click(drv.button("Propose this plan"), frames=3)
    assert flow.game.proposal is not None
    assert int(flow.game.proposal.owner[0, j]) == OWNER_JOINT


def test_a_scheduled_budget_is_granted_whatever_revenue_does(scenario: Scenario) -> None:
    """`budget.schedule`: each quarter's grant is the scheduled amount in every game, for a
    pair that grows the company and one that does not; without it the grant follows
    revenue and differs between them."""
    from game.ai.registry import make_policy
    from game.engine.driver import play_quarter

    amounts = [2.0 + 0.1 * k for k in range(scenario.quarters)]
    scheduled = compile_game(scenario.model_copy(update={
        "budget": scenario.budget.model_copy(update={"schedule": amounts})}))
    plain = compile_game(scenario)
    b = 32
    grants: dict[tuple[str, bool], list[np.ndarray]] = {}
    for game, on in ((scheduled, True), (plain, False)):
        for pair in ("cooperative", "selfish"):
            state = begin(game, b, 4)
            pols = (make_policy(pair, game, CMO, 4), make_policy(pair, game, CTO, 4))
            seen = []
            for _ in range(game.quarters):
                play_quarter(game, state, pols)
                seen.append(state.grant.copy())
            grants[(pair, on)] = seen
    for pair in ("cooperative", "selfish"):
        for k, grant in enumerate(grants[(pair, True)]):
            np.testing.assert_allclose(grant, amounts[k])
    last = scenario.quarters - 1
    assert not np.allclose(grants[("cooperative", False)][last], grants[("selfish", False)][last])
    assert scenario_hash(scenario) == plain.hash != scheduled.hash


def _with_outcomes(sc: Scenario, event: str, option: str, outcomes: list[dict[str, Any]]
                   ) -> Game:
    """`sc` with chance outcomes on one option of one event."""
    from game.scenario.models import Outcome

    def option_of(ch: Any) -> Any:
        return ch.model_copy(update={"outcomes": [Outcome(**o) for o in outcomes]}) \
            if ch.id == option else ch

    events = [e.model_copy(update={"choices": [option_of(c) for c in e.choices]})
              if e.id == event else e for e in sc.events]
    return compile_game(sc.model_copy(update={"events": events}))


def test_a_chance_outcome_lands_in_its_share_of_games_on_its_own_luck() -> None:
    """The tutorial's widget offer, 'ask-it' with two outcomes (0.3: brand +0.1, 0.2: debt
    +0.05): taken in every game of a batch, each outcome lands in about its share of
    games, exactly where `outcomes_drawn` says; the games are otherwise the ones the
    scenario without outcomes plays (common random numbers), and an option not taken
    draws nothing."""
    from game.engine.constants import V_BRAND
    from game.scenario.catalog import resolve
    from game.scenario.loader import load_scenario

    sc = load_scenario(resolve("first-quarter"))
    plain = compile_game(sc)
    lucky = _with_outcomes(sc, "widget-offer", "ask-it", [
        {"chance": 0.3, "effects": ["company.brand += 0.1"], "text": "A lucky break."},
        {"chance": 0.2, "effects": ["tech.debt += 0.05"]}])
    k = plain.event_ids.index("widget-offer")
    b = 2000
    states = []
    for game in (plain, lucky):
        state = begin(game, b, 8)
        news.start_quarter(game, state)
        assert state.pending_choice[:, k].all()
        news.resolve_choices(game, state, np.zeros((b, game.n_events), dtype=np.int64))
        states.append(state)
    before, after = states
    drawn = news.outcomes_drawn(lucky, after)[:, k]
    assert abs((drawn == 0).mean() - 0.3) < 0.04 and abs((drawn == 1).mean() - 0.2) < 0.04
    assert set(np.unique(drawn)) == {-1, 0, 1}
    np.testing.assert_allclose((after.v - before.v)[:, V_BRAND], 0.1 * (drawn == 0), atol=1e-12)
    np.testing.assert_allclose((after.v - before.v)[:, V_DEBT], 0.05 * (drawn == 1), atol=1e-12)
    rest = [c for c in range(after.v.shape[1]) if c not in (V_BRAND, V_DEBT)]
    np.testing.assert_array_equal(after.v[:, rest], before.v[:, rest])
    np.testing.assert_array_equal(after.intel, before.intel)   # news luck untouched
    assert (news.outcomes_drawn(plain, before) == -1).all()
    # another option taken: its own (empty) outcomes, nothing drawn
    other = begin(lucky, 50, 8)
    news.start_quarter(lucky, other)
    news.resolve_choices(lucky, other, np.full((50, lucky.n_events), 2, dtype=np.int64))
    assert (news.outcomes_drawn(lucky, other)[:, k] == -1).all()


def test_the_news_screen_reads_the_outcome_that_happened() -> None:
    """In a live game the option's own text is followed by the outcome's, and only by the
    outcome that was drawn."""
    from game.scenario.loader import load_scenario
    from game.session import reading
    from game.session.live import WORKSHOP, GameConfig, LiveGame
    from game.session.steps import Kind
    from tests.test_workbench import _mutate

    text = _mutate("        text: The CTO finds a safer version in a week.",
                   "        outcomes:\n          - chance: 1.0\n            effects:\n"
                   "              - company.brand += 0.01\n"
                   "            text: The agency sends a thank-you note.\n"
                   "        text: The CTO finds a safer version in a week.")
    sc = load_scenario("outcome.yaml", text)
    g = LiveGame(GameConfig("first-quarter", 3, WORKSHOP), sc)
    while g.step.kind != Kind.EVENT:
        g.acknowledge()
    g.submit(dict.fromkeys(g.event_choices(g.step.role or 0), 0))
    said = [n.outcome for n in reading.news(g) if n.title.startswith("An agency offers")]
    assert said == ["Ask the CTO to review it first. The CTO finds a safer version in a week. "
                    "Fewer sign-ups, and nobody's data leaves the company. The agency sends a "
                    "thank-you note."], said
