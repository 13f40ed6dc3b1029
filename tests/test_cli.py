"""The command-line contracts later work relies on: output, exit codes, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli.main import main
from game.scenario.catalog import scenario_paths
from game.scenario.lines import PLACEHOLDERS
from game.scenario.schema import schema_text

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `sameteam` in a real process, as a facilitator would."""
    return subprocess.run([sys.executable, "-m", "game.cli.main", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_scenarios_table_lists_every_shipped_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert lines[0].split() == ["ID", "TITLE", "QUARTERS", "DIFFICULTY"]
    ids = [line.split()[0] for line in lines[1:]]
    assert ids == [p.stem for p in scenario_paths()]
    assert "digital-shift" in ids
    assert "invalid" not in out


def test_scenarios_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"id", "title", "quarters", "difficulty"} <= set(rows[0])


def test_validate_all_shipped_by_id_and_path(capsys: pytest.CaptureFixture[str]) -> None:
    ids = [p.stem for p in scenario_paths()]
    assert main(["validate", *ids]) == 0
    assert main(["validate", str(scenario_paths()[0])]) == 0
    out = capsys.readouterr().out
    assert out.count(": ok (") == len(ids) + 1


def test_validate_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1
    assert "nope.yaml: no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_unknown_id_names_the_shipped_ones() -> None:
    result = run_cli("validate", "digital-shfit")
    assert result.returncode == 1
    assert "digital-shift" in result.stderr


def test_validate_bad_file_reports_every_problem(tmp_path: Path) -> None:
    text = (ROOT / "scenarios" / "digital-shift.yaml").read_text()
    text = text.replace("quarters: 12", "quarters: twelve", 1)
    text = text.replace("tech.debt -= 0.08", "tech.dbt -= 0.08")
    text = text.replace("difficulty: standard", "dificulty: standard")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    good = ROOT / "scenarios" / "digital-shift.yaml"
    result = run_cli("validate", str(good), str(bad))
    assert result.returncode == 1
    assert ": ok (" in result.stdout  # the good one is still checked and reported
    problems = [ln for ln in result.stderr.splitlines()
                if ln.startswith(str(bad) + ":") and ln[len(str(bad)) + 1].isdigit()]
    assert len(problems) == 3, result.stderr
    assert any("expected a whole number" in p for p in problems)
    assert any("did you mean 'tech.debt'" in p for p in problems)
    assert any("unknown key 'dificulty' (did you mean 'difficulty'?)" in p for p in problems)
    assert result.stderr.strip().endswith("3 problems")
    for p in problems:
        _, line, col, _ = p.split(":", 3)
        assert int(line) >= 1 and int(col) >= 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("content", [b"\x00\x01\x02binary\xff\xfe noise", b"key: [1, 2", b"",
                                     b"- just\n- a list\n", "\u00e9t\u00e9: \u2603\n".encode()])
def test_validate_never_tracebacks(tmp_path: Path, content: bytes) -> None:
    f = tmp_path / "junk.yaml"
    f.write_bytes(content)
    result = run_cli("validate", str(f))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(f) + ":" in result.stderr


def test_usage_errors_exit_2() -> None:
    assert run_cli("validate").returncode == 2
    assert run_cli("simulate").returncode == 2
    assert run_cli("frobnicate").returncode == 2
    bad_policy = run_cli("simulate", "digital-shift", "--cmo", "angel", "--games", "10")
    assert bad_policy.returncode == 2
    assert "unknown policy 'angel'" in bad_policy.stderr


def test_schema_matches_the_committed_file(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    schema = json.loads(printed)
    assert schema["title"] == "Same Team scenario"
    assert "projects" in schema["properties"]
    committed = (ROOT / "docs" / "scenario.schema.json").read_text()
    hint = "regenerate with: sameteam schema --out docs/scenario.schema.json"
    assert committed == schema_text(), hint
    out = tmp_path / "s.json"
    assert main(["schema", "--out", str(out)]) == 0
    assert out.read_text() == printed


def _descriptions_everywhere(node: object, path: str = "") -> list[str]:
    missing: list[str] = []
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for key, sub in props.items():
                if isinstance(sub, dict) and not sub.get("description"):
                    missing.append(f"{path}/{key}")
        for key, sub in node.items():
            missing += _descriptions_everywhere(sub, f"{path}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            missing += _descriptions_everywhere(sub, f"{path}/{i}")
    return missing


def test_every_schema_field_has_a_description() -> None:
    assert _descriptions_everywhere(json.loads(schema_text())) == []


def test_shipped_scenarios_start_with_the_schema_modeline() -> None:
    for path in scenario_paths():
        first = path.read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../docs/scenario.schema.json", path


def test_simulate_same_seed_same_bytes_and_json() -> None:
    a = run_cli("simulate", "digital-shift", "--games", "300", "--seed", "7")
    b = run_cli("simulate", "digital-shift", "--games", "300", "--seed", "7", "--workers", "1")
    assert a.returncode == 0 and a.stdout == b.stdout
    assert "Trust dividend" in a.stdout and "p90" in a.stdout
    c = run_cli("simulate", "digital-shift", "--games", "300", "--seed", "8")
    assert c.stdout != a.stdout
    j = run_cli("simulate", "digital-shift", "--games", "300", "--seed", "7", "--json",
                "--cmo", "cooperative", "--cto", "selfish")
    data = json.loads(j.stdout)
    assert data["games"] == 300 and data["cmo"] == "cooperative" and data["cto"] == "selfish"
    assert set(data["growth"]) == {"mean", "p10", "p50", "p90"}
    assert set(data["outcomes"]) == {"success", "challenged", "failed"}
    for role in ("cmo", "cto"):
        board = data["board"][role]
        assert set(board) == {"mean", "p10", "p50", "p90", "saturated"}
        assert 0.0 <= board["p10"] <= board["p50"] <= board["p90"] <= 1.0
        assert 0.0 <= board["saturated"] <= 1.0
    assert abs(sum(data["trust_dividend"].values()) - data["growth"]["mean"]) < 1e-3


def test_validate_checks_ai_lines_with_positions(tmp_path: Path) -> None:
    """A scenario's extra dialogue is checked like the rest of the file: unknown
    situations, voices and placeholders each point at their line and column, and a
    personality the scenario defines is a valid voice."""
    text = (ROOT / "scenarios" / "digital-shift.yaml").read_text()
    marker = "  offered: [partner, gatekeeper, bypasser, turf-warrior, skeptic, mirror]\n"
    assert marker in text
    extra = ("  personalities:\n"
             "    coach: {title: Coach, summary: Calm and fair.}\n"
             "  lines:\n"
             "    coach.accept: [\"Deal, {other_role}.\"]\n"
             "    acept: [\"Fine.\"]\n"
             "    parnter.propose: [\"How about {project}?\"]\n"
             "    mirror.counter: [\"Not {projet}, {reason}.\"]\n")
    bad = tmp_path / "lines.yaml"
    bad.write_text(text.replace(marker, marker + extra))
    result = run_cli("validate", str(bad))
    assert result.returncode == 1, result.stdout
    problems = [ln for ln in result.stderr.splitlines()
                if ln.startswith(str(bad) + ":") and ln[len(str(bad)) + 1].isdigit()]
    lines = text[:text.index(marker)].count("\n") + 2  # the line of 'offered', 1-based
    first = lines + 1  # 'personalities:'
    known = ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
    assert problems == [
        f"{bad}:{first + 3}:5: unknown situation 'acept' (did you mean 'accept'?)",
        f"{bad}:{first + 4}:5: unknown voice 'parnter' (did you mean 'partner'?); "
        "a voice is a personality name",
        f"{bad}:{first + 5}:27: unknown placeholder {{projet}} (known: {known})",
    ], result.stderr


def test_simulate_plays_a_personality_the_scenario_defines(tmp_path: Path) -> None:
    text = (ROOT / "scenarios" / "first-quarter.yaml").read_text()
    marker = "  offered: [partner, mirror, skeptic]\n"
    assert marker in text
    custom = tmp_path / "coach.yaml"
    custom.write_text(text.replace(marker, (
        "  offered: [partner, mirror, skeptic, coach]\n"
        "  personalities:\n"
        "    coach: {title: Coach, summary: Calm and fair., forgiveness: 0.6}\n")))
    result = run_cli("simulate", str(custom), "--games", "40", "--cmo", "coach", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["cmo"] == "coach"
    wrong = run_cli("simulate", str(custom), "--games", "40", "--cmo", "coahc")
    assert wrong.returncode == 2
    assert "unknown policy 'coahc'" in wrong.stderr and "coach" in wrong.stderr


def test_validate_knows_choice_variables(tmp_path: Path) -> None:
    """A follow-up event may depend on the option taken; a misspelt option is pointed at."""
    text = (ROOT / "scenarios" / "digital-shift.yaml").read_text()
    marker = "    when: quarter >= 5\n"
    assert text.count(marker) == 1
    good = tmp_path / "good.yaml"
    follow_up = "    when: quarter >= 5 and choice.viral-moment.ride-it"
    good.write_text(text.replace(marker, follow_up + "\n"))
    assert run_cli("validate", str(good)).returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace(marker, follow_up + "t\n"))
    result = run_cli("validate", str(bad))
    assert result.returncode == 1
    assert "did you mean 'choice.viral-moment.ride-it'" in result.stderr, result.stderr


def test_help_and_version_load_nothing_heavy() -> None:
    """Start-up: `--help` and `--version` import neither numpy nor pydantic nor the models."""
    code = ("import sys\nfrom game.cli.main import main\n"
            "for argv in (['--help'], ['--version'], ['simulate', '--help']):\n"
            "    try:\n        main(argv)\n    except SystemExit:\n        pass\n"
            "heavy = [m for m in ('numpy', 'pydantic', 'game.scenario.models', 'pygame')\n"
            "         if m in sys.modules]\n"
            "print('HEAVY', heavy)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=60, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert "HEAVY []" in r.stdout, r.stdout + r.stderr


def test_version_comes_from_the_package_metadata() -> None:
    from importlib.metadata import version

    r = run_cli("--version")
    assert r.returncode == 0
    assert r.stdout.strip() == f"sameteam {version('sameteam')}"
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert f'version = "{version("sameteam")}"' in pyproject
