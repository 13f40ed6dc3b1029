"""The facilitator's workbench: a broken-scenario suite (each variant's expected line and
message), a suite of plausible mistakes that validate with a warning, every command that
reads a scenario tried on each broken one (in-process, no traceback), and the balance
report's figures and page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from game.cli.main import main
from game.scenario.loader import check_scenario
from game.scenario.problems import ScenarioError
from tests.conftest import neutral_step

ROOT = Path(__file__).resolve().parent.parent
SOURCE = (ROOT / "scenarios" / "first-quarter.yaml").read_text(encoding="utf-8")

_ASK_TEXT = "        text: The CTO finds a safer version in a week."

# (name, text to replace in first-quarter.yaml, replacement, a keyword of the message,
# a string on the expected line of the changed text: the replacement's first line if None)
BROKEN: list[tuple[str, str, str, str, str | None]] = [
    ('quarters-word', 'quarters: 4',
     'quarters: banana',
     'whole number', None),
    ('quarters-too-many', 'quarters: 4',
     'quarters: 400',
     'at most 40', None),
    ('quarters-one', 'quarters: 4',
     'quarters: 1',
     'at least 2', None),
    ('difficulty-typo', 'difficulty: intro',
     'difficulty: easy',
     'not one of', None),
    ('unknown-top-key', 'author: Same Team',
     'autor: Same Team',
     "did you mean 'author'", None),
    ('id-capitals', 'id: first-quarter',
     'id: First Quarter',
     'expected form', None),
    ('title-empty', 'title: Your First Quarter Together',
     "title: ''",
     'must not be empty', None),
    ('unclosed-double-quote', 'title: Your First Quarter Together',
     'title: "Your First Quarter Together',
     'not closed on its line', None),
    ('unclosed-single-quote', 'title: Your First Quarter Together',
     "title: 'Your First Quarter Together",
     'not closed on its line', None),
    ('glued-colon-top', 'quarters: 4',
     'quarters:4',
     "needs a space after the ':'", None),
    ('glued-colon-card', '    cost: 0.4\n    duration: 1\n    risk: 0.3',
     '    cost:0.4\n    duration: 1\n    risk: 0.3',
     "needs a space after the ':'", None),
    ('glued-colon-list-id', '  - id: spring-campaign',
     '  - id:spring-campaign',
     "needs a space after the ':'", None),
    ('tab-indent', '  customers: 20',
     '\tcustomers: 20',
     'tab character', None),
    ('customers-negative', '  customers: 20',
     '  customers: -5',
     'greater than 0', None),
    ('brand-over-one', '  brand: 0.55',
     '  brand: 1.55',
     'at most 1', None),
    ('brand-percent', '  brand: 0.55',
     '  brand: 55%',
     'expected a number', None),
    ('company-typo-key', '  tech_debt: 0.2',
     '  techdebt: 0.2',
     "did you mean 'tech_debt'", None),
    ('ownership-text', '  ownership: 0.15',
     '  ownership: high',
     'expected a number', None),
    ('budget-share-over', '  schedule: [2.4, 2.5, 2.7, 2.8]',
     '  share_of_revenue: 12',
     'at most 1', None),
    ('schedule-too-short', '  schedule: [2.4, 2.5, 2.7, 2.8]',
     '  schedule: [2.4, 2.5, 2.7]',
     'give one amount ($M) per quarter', None),
    ('schedule-negative', '  schedule: [2.4, 2.5, 2.7, 2.8]',
     '  schedule: [2.4, -2.5, 2.7, 2.8]',
     'at least 0', None),
    ('rounds-zero', '  negotiation_rounds: 3',
     '  negotiation_rounds: 0',
     'at least 1', None),
    ('market-key-typo', '  friction: 0.16',
     '  frction: 0.16',
     "did you mean 'friction'", None),
    ('domain-typo', '    domain: marketing\n    cost: 0.4',
     '    domain: marketting\n    cost: 0.4',
     "did you mean 'marketing'", None),
    ('cost-zero', '    cost: 0.4\n    duration: 1\n    risk: 0.3',
     '    cost: 0\n    duration: 1\n    risk: 0.3',
     'greater than 0', None),
    ('cost-dollar', '    cost: 0.4\n    duration: 1\n    risk: 0.3',
     '    cost: $0.4M\n    duration: 1\n    risk: 0.3',
     'expected a number', None),
    ('duration-zero', '    cost: 0.4\n    duration: 1\n    risk: 0.3',
     '    cost: 0.4\n    duration: 0\n    risk: 0.3',
     'at least 1', 'duration: 0'),
    ('risk-over-one', '    cost: 0.4\n    duration: 1\n    risk: 0.3',
     '    cost: 0.4\n    duration: 1\n    risk: 3',
     'at most 1', 'risk: 3'),
    ('effect-unknown-name', '      - company.brand += 0.04',
     '      - company.brnd += 0.04',
     "did you mean 'company.brand'", None),
    ('effect-read-only', '      - company.brand += 0.04',
     '      - company.revenue += 0.04',
     'cannot be changed', None),
    ('effect-no-operator', '      - company.brand += 0.04',
     '      - company.brand 0.04',
     "expected '=', '+='", None),
    ('effect-double-equals', '      - company.brand += 0.04',
     '      - company.brand == 0.04',
     "'==' compares", None),
    ('effect-divide', '      - company.brand += 0.04',
     '      - company.brand /= 2',
     "'/=' is not available", None),
    ('effects-empty', '    effects:\n      - company.brand += 0.04\n      - market.channel += 0.03',
     '    effects: []',
     'at least 1 item', None),
    ('until-before-from', '      from_quarter: 2\n      until_quarter: 3',
     '      from_quarter: 3\n      until_quarter: 2',
     'before it starts', 'until_quarter: 2'),
    ('from-after-end', '      from_quarter: 2\n      until_quarter: 3',
     '      from_quarter: 9\n      until_quarter: 9',
     'after the last quarter', None),
    ('duplicate-project-id', '  - id: site-speed',
     '  - id: spring-campaign',
     'used twice', None),
    ('event-no-time', '    at: 1\n\n  - id: widget-offer',
     '\n\n  - id: widget-offer',
     "needs 'at'", '  - id: ceo-welcome'),
    ('event-at-and-chance', '    at: 1\n\n  - id: widget-offer',
     '    at: 1\n    chance: 0.5\n\n  - id: widget-offer',
     'not both', 'chance: 0.5'),
    ('event-at-after-end', '    at: 2\n    when: choice.widget-offer.install-quietly',
     '    at: 9\n    when: choice.widget-offer.install-quietly',
     'after the last quarter', None),
    ('condition-unknown-choice', '    when: choice.widget-offer.install-quietly',
     '    when: choice.widget-offer.install-quiet',
     "did you mean 'choice.widget-offer.install-quietly'", None),
    ('condition-number', '    when: choice.widget-offer.install-quietly',
     '    when: quarter + 1',
     'must be true or false', None),
    ('condition-and-and', '    when: choice.widget-offer.install-quietly',
     '    when: quarter >= 2 && quarter < 4',
     "use 'and'", None),
    ('condition-unclosed-bracket', '    when: choice.widget-offer.install-quietly',
     '    when: (quarter >= 2',
     "missing ')'", None),
    ('chooser-without-choices', '    at: 2\n\n  - id: slow-checkout',
     '    at: 2\n    chooser: cmo\n\n  - id: slow-checkout',
     "needs 'choices'", 'chooser: cmo\n\n  - id: slow'),
    ('chooser-typo', '    chooser: cmo',
     '    chooser: ceo',
     'not one of: cmo, cto', None),
    ('duplicate-choice-id', '      - id: install-quietly',
     '      - id: ask-it',
     'used twice', '      - id: ask-it\n        label: Install'),
    ('signal-typo', '    signals: [demand_trend, channel, competitor]',
     '    signals: [demand_trend, chanel, competitor]',
     "did you mean 'channel'", None),
    ('briefing-condition', '      - when: quarter == 1\n        text: >-\n          Your private',
     '      - when: quarter = 1\n        text: >-\n          Your private',
     "use '=='", None),
    ('attention-zero', '  attention: 2\n  hack_week:',
     '  attention: 0\n  hack_week:',
     'at least 1', None),
    ('move-typo', '  hack_week:\n    enabled: false',
     '  hackweek:\n    enabled: false',
     "did you mean 'hack_week'", None),
    ('board-threshold-over', '  threshold: 0.3',
     '  threshold: 3',
     'at most 1', None),
    ('offered-unknown', '  offered: [partner, mirror, skeptic]',
     '  offered: [partner, mirorr, skeptic]',
     "did you mean 'mirror'", None),
    ('debrief-unknown-objective', '  - objective: private-signals',
     '  - objective: private-signal',
     "did you mean 'private-signals'", None),
    ('anchor', '  customers: 20',
     '  customers: &c 20',
     'anchors and aliases', None),
    ('two-documents', 'author: Same Team',
     '---\nauthor: Same Team',
     'only one document', '---'),
    ('on-failure-typo', '    risk: 0.3\n    available:\n      until_quarter: 1\n',
     '    risk: 0.3\n    on_failure:\n      - company.brnd -= 0.02\n    available:\n'
     '      until_quarter: 1\n', "did you mean 'company.brand'", 'company.brnd'),
    ('on-failure-not-a-list', '    risk: 0.3\n    available:\n      until_quarter: 1\n',
     '    risk: 0.3\n    on_failure: tech.debt += 0.02\n    available:\n'
     '      until_quarter: 1\n', 'expected a list', 'on_failure'),
    ('outcomes-over-one', _ASK_TEXT,
     '        outcomes:\n          - chance: 0.7\n            text: A.\n'
     '          - chance: 0.5\n            text: B.\n' + _ASK_TEXT,
     'add up to 1.2, more than 1', 'outcomes:'),
    ('outcome-effect-typo', _ASK_TEXT,
     '        outcomes:\n          - chance: 0.5\n            effects:\n'
     '              - company.brnd += 0.01\n' + _ASK_TEXT,
     "did you mean 'company.brand'", 'company.brnd'),
    ('outcome-without-chance', _ASK_TEXT,
     '        outcomes:\n          - text: Something.\n' + _ASK_TEXT,
     "missing required key 'chance'", '- text: Something.'),
    ('joint-only-not-yes-or-no', '    risk: 0.3\n    available:\n      until_quarter: 1\n',
     '    risk: 0.3\n    joint_only: both\n    available:\n      until_quarter: 1\n',
     'expected true or false', 'joint_only'),
    ('upkeep-negative', '    risk: 0.3\n    available:\n      until_quarter: 1\n',
     '    risk: 0.3\n    upkeep: -0.1\n    available:\n      until_quarter: 1\n',
     'at least 0', 'upkeep'),
]


def _mutate(old: str, new: str) -> str:
    assert old in SOURCE, f"the tutorial no longer contains {old!r}"
    return SOURCE.replace(old, new, 1)


def _line_of(text: str, marker: str, old: str = "") -> int:
    """The line of `marker`: its first place at or after the change, else the nearest
    before it (an event's own '- id:' line)."""
    start = SOURCE.index(old) if old else 0
    pos = text.find(marker, start)
    if pos < 0:
        pos = text.rindex(marker, 0, start)
    return text[:pos].count("\n") + 1


@pytest.mark.parametrize(("name", "old", "new", "keyword", "marker"), BROKEN,
                         ids=[b[0] for b in BROKEN])
def test_a_broken_scenario_is_reported_at_its_line(name: str, old: str, new: str, keyword: str,
                                                   marker: str | None) -> None:
    text = _mutate(old, new)
    with pytest.raises(ScenarioError) as caught:
        check_scenario(f"{name}.yaml", text)
    line = _line_of(text, marker or new.split("\n")[0] or new, old)
    hits = [p for p in caught.value.problems if p.line == line]
    assert hits, f"no problem on line {line}: {caught.value}"
    assert any(keyword.lower() in p.message.lower() for p in hits), str(caught.value)


def test_the_broken_suite_is_large_enough() -> None:
    assert len(BROKEN) >= 40 and len({b[0] for b in BROKEN}) == len(BROKEN)


COMMANDS: list[list[str]] = [
    ["validate", "{f}"], ["simulate", "{f}", "--games", "1", "--workers", "1"],
    ["tournament", "{f}", "--games", "1", "--workers", "1"],
    ["balance", "{f}", "--games", "1", "--tournament-games", "0", "--workers", "1"],
    ["play", "--scenario", "{f}"], ["demo", "--scenario", "{f}", "--fast"],
]


@pytest.mark.parametrize(("name", "old", "new", "keyword", "marker"), BROKEN,
                         ids=[b[0] for b in BROKEN])
def test_every_command_reports_a_broken_scenario_as_validate_does(
        name: str, old: str, new: str, keyword: str, marker: str | None, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(_mutate(old, new), encoding="utf-8")
    seen: dict[str, str] = {}
    for argv in COMMANDS:
        code = main([a.format(f=path) for a in argv])
        out = capsys.readouterr()
        assert code != 0, argv
        assert "Traceback" not in out.err + out.out
        seen[argv[0]] = out.err
    first = seen["validate"].splitlines()
    assert first and all(line.startswith(f"{path}:") for line in first)
    for command, err in seen.items():
        assert err == seen["validate"], f"{command} reports differently:\n{err}"


def _span(first: str, last: str) -> str:
    """The tutorial's text from `first` to the end of `last`."""
    start = SOURCE.index(first)
    return SOURCE[start:SOURCE.index(last, start) + len(last)]


_CARDS_1_2 = _span("    title: Spring campaign", "    title: Faster website")
_CARDS_2_3 = _span("  - id: site-speed", "      - market.channel += 0.06")
_SCHEDULE = "  schedule: [2.4, 2.5, 2.7, 2.8]"
_BUDGET_TO_CARD_1 = _span(_SCHEDULE, "    cost: 0.4\n    duration: 1\n    risk: 0.3")
_CARDS_3_6 = _span("  - id: welcome-journey",
                   "      when: project.welcome-journey.done or project.welcome-journey.running")

# (name, text to replace, replacement, a keyword of the warning, a string on its line)
WARNINGS: list[tuple[str, str, str, str, str]] = [
    ("chance-zero", "    at: 2\n    when: choice.widget-offer.install-quietly",
     "    chance: 0\n    when: choice.widget-offer.install-quietly", "chance 0", "chance: 0"),
    ("when-after-the-end", "    at: 2\n\n  - id: slow-checkout",
     "    chance: 0.5\n    when: quarter >= 12\n\n  - id: slow-checkout", "never true",
     "quarter >= 12"),
    ("contradiction", "    at: 2\n\n  - id: slow-checkout",
     "    chance: 0.5\n    when: quarter < 3 and quarter > 5\n\n  - id: slow-checkout",
     "never true", "quarter < 3 and"),
    ("at-against-when", "    when: choice.widget-offer.install-quietly",
     "    when: quarter == 4", "make 'at' and 'when' agree", "quarter == 4"),
    ("equality-on-a-measure", "    at: 2\n\n  - id: slow-checkout",
     "    chance: 0.5\n    when: tech.debt == 0.123456\n\n  - id: slow-checkout",
     "states sampled", "tech.debt == 0.123456"),
    ("card-over-budget", _BUDGET_TO_CARD_1,
     _BUDGET_TO_CARD_1.replace(_SCHEDULE, "  share_of_revenue: 0.12\n  minimum: 1.5")
     .replace("    cost: 0.4\n", "    cost: 60\n"), "revenue grows", "cost: 60"),
    ("circular-availability", _CARDS_2_3,
     _CARDS_2_3.replace("      until_quarter: 2\n    effects:\n      - tech.platform",
                        "      until_quarter: 2\n      when: project.welcome-journey.done\n"
                        "    effects:\n      - tech.platform").replace(
         "      until_quarter: 2\n    effects:\n      - market.channel",
         "      until_quarter: 2\n      when: project.site-speed.done\n    effects:\n"
         "      - market.channel"),
     "circular availability", "when: project.welcome-journey.done"),
    ("too-late-to-finish", "    cost: 0.4\n    duration: 1\n    risk: 0.2",
     "    cost: 0.4\n    duration: 4\n    risk: 0.2", "cannot finish", "duration: 4"),
    ("too-late-by-its-condition",
     "    duration: 1\n    risk: 0.2\n    available:\n      from_quarter: 2\n"
     "      until_quarter: 3",
     "    duration: 2\n    risk: 0.2\n    available:\n      from_quarter: 2\n"
     "      when: quarter >= 4", "quarter 4 at the earliest", "duration: 2"),
    ("threshold-above-start", "  threshold: 0.3", "  threshold: 0.7", "replaced",
     "threshold: 0.7"),
    ("zero-budget", "  schedule: [2.4, 2.5, 2.7, 2.8]",
     "  share_of_revenue: 0\n  minimum: 0", "budget is zero", "budget:"),
    ("schedule-quarter-zero", "  schedule: [2.4, 2.5, 2.7, 2.8]",
     "  schedule: [2.4, 2.5, 0, 2.8]", "budget of quarter 3 is $0", "schedule:"),
    ("schedule-and-share", "  schedule: [2.4, 2.5, 2.7, 2.8]",
     "  share_of_revenue: 0.15\n  schedule: [2.4, 2.5, 2.7, 2.8]", "'share_of_revenue' is "
     "not used", "share_of_revenue: 0.15"),
    ("share-effect-on-a-schedule", "      - company.brand += 0.04",
     "      - budget.share += 0.01", "follows 'budget.schedule'", "budget.share += 0.01"),
    ("card-over-the-schedule", "    cost: 0.4\n    duration: 1\n    risk: 0.3",
     "    cost: 3\n    duration: 1\n    risk: 0.3", "largest budget", "cost: 3"),
    ("move-beyond-attention", "  go_around:\n    attention: 0",
     "  go_around:\n    attention: 3", "nobody can ever make it", "attention: 3"),
    ("no-signals", "    signals: [demand_trend, channel, competitor]", "    signals: []",
     "no private signals", "signals: []"),
    ("nobody-offered", "  offered: [partner, mirror, skeptic]", "  offered: []",
     "no AI counterpart", "offered: []"),
    ("objective-without-question", "  - id: own-it-together\n",
     "  - id: unasked\n    text: Something nobody asks about.\n  - id: own-it-together\n",
     "no debrief question", "id: unasked"),
    ("personality-not-offered", "  offered: [partner, mirror, skeptic]",
     "  offered: [partner, mirror, skeptic]\n  personalities:\n    coach:\n"
     "      title: The Coach\n      summary: Patient.", "not in 'ai.offered'", "coach:"),
    ("add-zero", "      - company.brand += 0.04", "      - company.brand += 0",
     "changes nothing", "company.brand += 0\n"),
    ("multiply-by-one", "      - company.brand += 0.04", "      - company.brand *= 1",
     "changes nothing", "company.brand *= 1"),
    ("subtract-zero-percent", "      - company.brand += 0.04", "      - company.brand -= 0%",
     "changes nothing", "company.brand -= 0%"),
    ("until-past-the-end", "      until_quarter: 1\n", "      until_quarter: 9\n",
     "after the last quarter", "until_quarter: 9"),
    ("titles-alike", _CARDS_1_2,
     _CARDS_1_2.replace("title: Spring campaign", "title: Spring campaign for the shops")
     .replace("title: Faster website", "title: Spring campaign for the website"),
     "cannot tell them apart", "Spring campaign for the website"),
    ("briefing-never-true", "      - when: quarter == 1\n        text: >-\n          Your private",
     "      - when: quarter == 7\n        text: >-\n          Your private", "never reads it",
     "quarter == 7"),
    ("card-never-on-the-table", "      until_quarter: 1\n",
     "      until_quarter: 1\n      when: quarter > 2\n", "never on the table",
     "when: quarter > 2"),
    ("line-never-spoken", "  offered: [partner, mirror, skeptic]",
     "  offered: [partner, mirror, skeptic]\n  lines:\n    accept:\n"
     "      - Fine, see you in {due}.", "never fills {due}", "Fine, see you"),
    ("cost-on-a-beer", "  go_around:\n    attention: 0",
     "  one_on_one:\n    cost: 0.2\n  go_around:\n    attention: 0", "never paid for",
     "cost: 0.2"),
    ("chance-too-small", "    at: 2\n    when: choice.widget-offer.install-quietly",
     "    chance: 0.01\n    when: choice.widget-offer.install-quietly", "only 3.9% of games",
     "chance: 0.01"),
    ("effect-overflow", "      - company.brand += 0.04", "      - company.arpu *= 1e308",
     "overflows", "company.arpu *= 1e308"),
    ("owner-of-a-joint-only-card", _CARDS_3_6,
     _CARDS_3_6.replace("    risk: 0.45\n", "    risk: 0.45\n    joint_only: true\n", 1)
     .replace("when: project.welcome-journey.done or project.welcome-journey.running",
              "when: project.welcome-journey.owner_cmo"), "nobody owns it alone",
     "when: project.welcome-journey.owner_cmo"),
    ("outcome-chance-zero", _ASK_TEXT,
     "        outcomes:\n          - chance: 0\n            text: Never.\n" + _ASK_TEXT,
     "has chance 0", "- chance: 0"),
    ("outcome-empty", _ASK_TEXT,
     "        outcomes:\n          - chance: 0.4\n" + _ASK_TEXT,
     "neither effects nor text", "- chance: 0.4"),
    ("upkeep-as-a-total", "    risk: 0.3\n    available:\n      until_quarter: 1\n",
     "    risk: 0.3\n    upkeep: 1.5\n    available:\n      until_quarter: 1\n",
     "not the total", "upkeep: 1.5"),
    ("on-failure-copied-from-effects", "    risk: 0.3\n    available:\n      until_quarter: 1\n",
     "    risk: 0.3\n    on_failure:\n      - company.brand += 0.04\n    available:\n"
     "      until_quarter: 1\n", "pay like a success", "      - company.brand += 0.04"),
    ("on-failure-zero", "    risk: 0.3\n    available:\n      until_quarter: 1\n",
     "    risk: 0.3\n    on_failure:\n      - tech.debt += 0\n    available:\n"
     "      until_quarter: 1\n", "changes nothing", "tech.debt += 0"),
]


def test_the_warning_suite_is_large_enough() -> None:
    assert len(WARNINGS) >= 20 and len({w[0] for w in WARNINGS}) == len(WARNINGS)


@pytest.mark.parametrize(("name", "old", "new", "keyword", "marker"), WARNINGS,
                         ids=[w[0] for w in WARNINGS])
def test_a_plausible_mistake_validates_with_a_warning_at_its_line(
        name: str, old: str, new: str, keyword: str, marker: str) -> None:
    text = _mutate(old, new)
    _, warnings = check_scenario(f"{name}.yaml", text)
    line = _line_of(text, marker, old)
    hits = [w for w in warnings if w.line == line and keyword in w.message]
    assert hits, f"expected '{keyword}' on line {line}, got:\n" + "\n".join(map(str, warnings))
    assert all(str(w).startswith(f"{name}.yaml:") and "warning: " in str(w) for w in warnings)


def test_the_shipped_scenarios_have_no_warnings_even_under_strict(
        capsys: pytest.CaptureFixture[str]) -> None:
    from game.scenario.catalog import scenario_paths

    assert main(["validate", "--strict", *map(str, scenario_paths())]) == 0
    assert "warning" not in capsys.readouterr().err


def test_warnings_exit_0_and_1_under_strict(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(_mutate("  threshold: 0.3", "  threshold: 0.7"), encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr()
    assert f"{path}:{_line_of(path.read_text(), 'threshold: 0.7')}:" in out.err
    assert "1 warning" in out.out
    assert main(["validate", "--strict", str(path)]) == 1


def test_the_probe_finds_an_event_that_play_never_reaches(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Sampling finds 15 incidents possible, so only games show it never happens in 4
    quarters; --no-probe skips the games."""
    path = tmp_path / "p.yaml"
    text = _mutate("    at: 2\n\n  - id: slow-checkout",
                   "    chance: 0.5\n    when: incidents.count >= 15\n\n  - id: slow-checkout")
    path.write_text(text, encoding="utf-8")
    assert main(["validate", "--strict", str(path)]) == 1
    err = capsys.readouterr().err
    line = _line_of(text, "incidents.count >= 15")
    assert f"{path}:{line}:" in err and "never happened in 200 games" in err
    assert main(["validate", "--strict", "--no-probe", str(path)]) == 0


# -- the balance report ------------------------------------------------------------------

@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    from game.report.balance import run
    from game.scenario.catalog import resolve
    from game.scenario.loader import load_scenario

    return run(load_scenario(resolve("first-quarter")), 200, 1, 1, tournament_games=4)


def test_the_balance_report_adds_up(report: dict[str, Any]) -> None:
    assert [r["pair"] for r in report["runs"]][:3] == ["reciprocal", "cooperative", "selfish"]
    for e in report["events"]:
        assert 0 <= e["fired"] <= 1
        if e["options"] and e["fired"]:
            assert sum(o["share"] for o in e["options"]) == pytest.approx(1, abs=1e-3)
    # scheduled events with no condition happen in every game
    assert next(e for e in report["events"] if e["id"] == "ceo-welcome")["fired"] == 1
    # with options drawn at random, the follow-up of the quiet install happens sometimes
    assert 0 < next(e for e in report["events"] if e["id"] == "widget-found")["fired"] < 1
    for c in report["runs"][0]["cards"]:
        if c["funded"]:
            assert sum(c["by"].values()) == pytest.approx(1, abs=1e-3)
            assert c["success"] + c["challenged"] + c["failed"] <= 1 + 1e-3
    boards = report["runs"][0]["board_by_quarter"]
    assert len(boards["cmo"]) == report["quarters"] + 1
    for row in boards["cmo"] + boards["cto"]:
        assert row["p10"] <= row["mean"] + 0.02 and row["mean"] <= row["p90"] + 0.02
    for g in report["gap"].values():
        assert g["low"] <= g["gap"] <= g["high"]
    assert report["tournament"]["ranking"]["rows"]


def test_balance_warns_about_a_dominant_personality_and_a_market_that_grows_alone(
        report: dict[str, Any]) -> None:
    from game.report.balance import warnings

    fake = json.loads(json.dumps(report))
    rows = fake["tournament"]["ranking"]["rows"]
    for row in rows:
        row["best_replies"], row["matchups"] = 6, 12
    fake["runs"][0]["growth"], fake["runs"][0]["sources"]["market"] = 0.2, 0.05
    assert not [w for w in warnings(fake) if "best reply" in w or "market alone" in w]
    rows[0]["best_replies"] = 7
    fake["runs"][0]["sources"]["market"] = 0.15
    said = warnings(fake)
    assert any(f"'{rows[0]['name']}' is the best reply in 7 of 12" in w for w in said)
    assert any("market alone explains 75%" in w for w in said)


def test_balance_command_json_and_a_self_contained_page(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "fq.html"
    assert main(["balance", "first-quarter", "--games", "100", "--tournament-games", "0",
                 "--workers", "1", "--json", "--html", str(page)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scenario"] == "first-quarter" and data["tournament"] is None
    html = page.read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') == 4
    assert "http://" not in html and "https://" not in html and "<script" not in html
    assert "Cooperative" in html or "cooperating" in html.lower()


def test_balance_refuses_odd_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["balance", "first-quarter", "--games", "0"]) == 2
    assert main(["balance", "first-quarter", "--tournament-games", "-1"]) == 2
    assert main(["balance", "no-such-scenario"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_the_budget_table_shows_the_title_length_the_warning_assumes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """TABLE_TITLE_CHARS is what the budget screen's row shows whole in the smallest
    window; a title of 40 characters is cut with '…' there."""
    from game.scenario.lint import TABLE_TITLE_CHARS
    from game.scenario.loader import load_scenario
    from game.session.steps import Kind
    from game.ui.app import MIN_SIZE
    from game.ui.testing import Driver
    from tests.test_ui_scenes import SHIPPED, _start

    monkeypatch.setenv("SAMETEAM_DATA_DIR", str(tmp_path))
    words = "Regional loyalty scheme with partner coffee shops and bakeries"
    src = SHIPPED.read_text(encoding="utf-8")
    first = src.index("\n  - id:", src.index("projects:"))
    title_at = src.index("    title: ", first)
    end = src.index("\n", title_at)
    drawn = []
    for n in (TABLE_TITLE_CHARS, 40):
        path = tmp_path / f"t{n}.yaml"
        path.write_text(src[:title_at] + f"    title: {words[:n]}" + src[end:], encoding="utf-8")
        drv = Driver(MIN_SIZE)
        try:
            _start(drv, str(path), load_scenario(path), Kind.PROPOSE)
            # The card's row is a button: what it shows is its label, cut to fit.
            drawn.append([b.shown for b in drv.scene.buttons if b.label.startswith(words[:10])])
        finally:
            drv.close()
    assert words[:TABLE_TITLE_CHARS] in drawn[0] and len(set(drawn[0])) == 1
    assert any(s.endswith("…") for s in drawn[1])


def test_the_ai_fills_what_the_table_of_situations_says(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guide's table (game.scenario.lines.SITUATION_SLOTS) against what the AI fills
    in real games: every always-filled placeholder is there, and nothing else appears."""
    from game.ai import dialogue
    from game.ai.scripted import RandomPolicy, Reciprocal, Selfish
    from game.engine.game import compile_game
    from game.scenario.catalog import resolve
    from game.scenario.lines import SITUATION_SLOTS
    from game.scenario.loader import BUILTIN_PERSONALITIES, load_scenario
    from tests.test_ai_counterpart import live_game

    seen: dict[str, list[frozenset[str]]] = {}
    pick = dialogue.Lines.template   # every line and clause is chosen here

    def record(self: Any, situation: str, rng: Any, slots: dict[str, str],
               recent: list[str]) -> str | None:
        seen.setdefault(situation, []).append(frozenset(slots))
        return pick(self, situation, rng, slots, recent)

    monkeypatch.setattr(dialogue.Lines, "template", record)
    game = compile_game(load_scenario(resolve("gray-zones")))
    for name in BUILTIN_PERSONALITIES:
        for role in (0, 1):
            for seed, opponent in enumerate((Reciprocal, Selfish, RandomPolicy)):
                live_game(game, name, role, seed, bind=False, opponent=opponent, quarters=6)
    assert len(seen) >= 35
    for situation, sets in seen.items():
        always, sometimes = SITUATION_SLOTS[situation]
        for keys in sets:
            assert set(always) <= keys <= set(always) | set(sometimes), (situation, keys)


def test_every_built_in_line_can_be_spoken() -> None:
    from game.ai.dialogue import builtin_lines
    from game.scenario.lines import never_filled

    for voice, table in builtin_lines().items():
        for situation, templates in table.items():
            for t in templates:
                assert not never_filled(situation, t), (voice, situation, t)


def test_the_moves_said_to_be_unpaid_cost_no_budget() -> None:
    """A cost on share_intel, one_on_one, roadmap_review or promise leaves the budget as it
    was (the warning's claim); a hack week's cost is taken from it."""
    import numpy as np

    from game.engine.actions import Talk
    from game.engine.constants import CMO, CTO, HACK_WEEK, MOVES, N_MOVES
    from game.engine.driver import begin
    from game.engine.game import compile_game
    from game.engine.news import resolve_choices, start_quarter
    from game.engine.talk import apply_talk
    from game.scenario.catalog import resolve
    from game.scenario.lint import UNPAID_MOVES
    from game.scenario.loader import load_scenario

    base = load_scenario(resolve("digital-shift"))
    priced = {name: getattr(base.moves, name).model_copy(update={"cost": 0.5, "enabled": True})
              for name in (*UNPAID_MOVES, "hack_week")}
    sc = base.model_copy(update={"moves": base.moves.model_copy(update=priced)})
    game = compile_game(sc)
    for m, name in enumerate(MOVES):
        if name not in UNPAID_MOVES and m != HACK_WEEK:
            continue
        state = begin(game, 1, 5)
        start_quarter(game, state)
        resolve_choices(game, state)
        before = float(state.available[0])
        moves = np.zeros((1, N_MOVES), dtype=np.bool_)
        moves[0, m] = True
        talk = Talk(moves, np.zeros(1, dtype=np.int64), np.full(1, -1), np.zeros(1, np.int64))
        if name == "promise":
            talk = Talk(moves, np.ones(1, dtype=np.int64), np.zeros(1, dtype=np.int64),
                        np.full(1, 3))
        apply_talk(game, state, talk, Talk.none(1))
        assert state.move_counts[0, CMO, m] == 1 or name == "promise", name
        spent = before - float(state.available[0])
        assert spent == pytest.approx(0.5 if m == HACK_WEEK else 0.0), name
        assert state.move_counts[0, CTO].sum() == 0


def test_conditions_on_failed_funded_owned_cards_and_replacements() -> None:
    """The new condition names read the game as it stands, and short-tenure's briefings
    that use them show in the games where they should."""
    import numpy as np

    from game.ai.registry import make_policy
    from game.engine.constants import CMO, CTO, FAILED, OWNER_CTO, OWNER_JOINT
    from game.engine.driver import begin, play_quarter
    from game.engine.game import compile_game
    from game.engine.variables import Environment
    from game.scenario.catalog import resolve
    from game.scenario.expressions import parse_condition
    from game.scenario.lint import registry
    from game.scenario.loader import load_scenario

    sc = load_scenario(resolve("short-tenure"))
    game = compile_game(sc)
    reg = registry(sc)
    b = 400
    state = begin(game, b, 11)
    pols = (make_policy("selfish", game, CMO, 11), make_policy("random", game, CTO, 11))
    j = [p.id for p in sc.projects].index("checkout-rebuild")
    texts = [t.text for t in sc.intel.cto.briefings]
    new_cto = texts.index(next(t for t in texts if t.startswith("The CMO across the table")))
    shown = np.zeros(b, dtype=bool)
    replaced_before = np.zeros(b, dtype=bool)
    for _ in range(sc.quarters):
        replaced_before |= state.replacements[:, CMO] > 0
        play_quarter(game, state, pols)
        shown |= state.briefed[:, CTO, new_cto]
        env = Environment(game, state)

        def cond(text: str, env: Environment = env) -> np.ndarray:
            return parse_condition(text, reg).evaluate(env, b)

        assert (cond("replacements.count >= 1") == (state.replacements.sum(axis=1) > 0)).all()
        assert (cond("project.checkout-rebuild.failed") == (state.status[:, j] == FAILED)).all()
        funded = cond("project.checkout-rebuild.funded")
        assert (funded == (state.started[:, j] > 0)).all()
        owners = [cond(f"project.checkout-rebuild.{o}") for o in ("owner_cmo", "owner_cto",
                                                                  "joint")]
        assert (sum(o.astype(int) for o in owners) == funded.astype(int)).all()
        assert (owners[1] <= (state.owner[:, j] == OWNER_CTO)).all()
        assert (owners[2] <= (state.owner[:, j] == OWNER_JOINT)).all()
    # the briefing shows only after a replacement, and does in some games
    assert shown.any() and not (shown & ~replaced_before & (state.replacements[:, CMO] == 0)).any()


def test_an_options_own_text_for_each_role_reaches_only_that_role() -> None:
    """`cmo:` and `cto:` on an option: each role's private notes carry its own text once
    the option is taken, never the other's, and nobody's before."""
    from game.engine.constants import CMO, CTO
    from game.scenario.loader import load_scenario
    from game.session import reading
    from game.session.live import WORKSHOP, GameConfig, LiveGame
    from game.session.steps import Kind

    mine, theirs = "Only the CMO reads this.", "Only the CTO reads this."
    text = _mutate("        text: The CTO finds a safer version in a week.",
                   f"        cmo: {mine}\n        cto: {theirs}\n"
                   "        text: The CTO finds a safer version in a week.")
    sc = load_scenario("own-text.yaml", text)
    g = LiveGame(GameConfig("first-quarter", 3, WORKSHOP), sc)
    seen: dict[str, list[str]] = {"before": [], "after": []}
    decided = False
    while g.quarter <= 1 and not g.done:
        s = g.step
        for role in (CMO, CTO):
            seen["after" if decided else "before"] += [
                f"{role}:{n}" for n in reading.private_notes(g, role)]
        if s.kind == Kind.BOARD:
            break
        decided |= s.kind == Kind.EVENT  # its first option is ask-it
        neutral_step(g)
    assert decided
    assert not any(mine in n or theirs in n for n in seen["before"])
    assert f"{CMO}:{mine}" in seen["after"] and f"{CTO}:{theirs}" in seen["after"]
    assert f"{CTO}:{mine}" not in seen["after"] and f"{CMO}:{theirs}" not in seen["after"]
