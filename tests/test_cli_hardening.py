"""Odd command lines: one sentence, a non-zero exit, well within 10 s; Ctrl-C at any
moment of a long run: one line and exit 130, no worker traceback, no hang."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.cli.gui import NO_DISPLAY

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PYTHONPATH=str(ROOT))


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game.cli.main", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=10, env=ENV)


@pytest.fixture(scope="module")
def odd(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("odd")
    fifo = tmp / "pipe.yaml"
    os.mkfifo(fifo)
    bad = tmp / "bad.yaml"
    text = (ROOT / "scenarios" / "first-quarter.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("quarters: 4", "quarters: banana", 1), encoding="utf-8")
    return {"fifo": str(fifo), "bad": str(bad), "dir": str(tmp), "long": "a" * 300,
            "longer": "b/" * 2500 + "x.yaml", "null": "/dev/null"}


ODD = [
    ("validate", "{long}"), ("simulate", "{long}"), ("tournament", "{long}"),
    ("validate", "{longer}"), ("simulate", "{longer}"), ("tournament", "{longer}"),
    ("validate", "{dir}"), ("simulate", "{dir}"), ("tournament", "{dir}"),
    ("validate", "{fifo}"), ("simulate", "{fifo}"), ("tournament", "{fifo}"),
    ("validate", "{null}"), ("simulate", "{bad}"), ("tournament", "{bad}", "--games", "2"),
    ("simulate", "first-quarter", "--games", str(10**12)),
    ("tournament", "first-quarter", "--games", str(10**12)),
    ("simulate", "first-quarter", "--games", "0"),
    ("simulate", "first-quarter", "--workers", "0"),
    ("schema", "--out", "{dir}"), ("schema", "--out", "/proc/no-such-dir/x.json"),
]


@pytest.mark.parametrize("argv", ODD, ids=lambda a: "-".join(a)[:40])
def test_an_odd_invocation_is_one_clear_message(odd: dict[str, str], argv: tuple[str, ...],
                                                ) -> None:
    start = time.monotonic()
    out = run_cli(*(a.format(**odd) for a in argv))
    assert time.monotonic() - start < 10
    assert out.returncode != 0
    assert "Traceback" not in out.stderr and out.stderr.strip()
    lines = out.stderr.strip().splitlines()
    # one sentence, or a scenario's problems as file:line:col plus their count
    assert len(lines) == 1 or all(":" in line for line in lines)
    assert all(len(line) < 400 for line in lines)


def test_too_many_games_names_the_largest_accepted() -> None:
    out = run_cli("simulate", "first-quarter", "--games", str(10**12))
    from game.cli.limits import MAX_GAMES

    assert out.returncode == 2 and f"largest accepted is {MAX_GAMES:,}" in out.stderr


def test_simulate_of_an_invalid_file_prints_its_problems(odd: dict[str, str]) -> None:
    out = run_cli("simulate", odd["bad"])
    assert out.returncode == 1
    line = 1 + next(i for i, t in enumerate(Path(odd["bad"]).read_text().splitlines())
                    if "quarters: banana" in t)
    assert f"{odd['bad']}:{line}:" in out.stderr and "1 problem" in out.stderr


@pytest.mark.parametrize("command", [
    ("simulate", "digital-shift", "--games", "1000000", "--workers", "2"),
    ("tournament", "first-quarter", "--games", "20000", "--workers", "2"),
])
def test_ctrl_c_at_several_moments_is_one_line_and_130(command: tuple[str, ...]) -> None:
    for delay in (0.1, 0.5, 0.8, 1.5):
        proc = subprocess.Popen([sys.executable, "-m", "game.cli.main", *command], cwd=ROOT,
                                env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, start_new_session=True)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGINT)   # as a terminal's Ctrl-C: the whole group
        try:
            _, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail(f"{command[0]} hung after Ctrl-C at {delay} s")
        assert proc.returncode == 130, (delay, err)
        assert err == "sameteam: interrupted\n", (delay, err)


@pytest.mark.parametrize("argv", [
    ("demo", "--size", "100000x100000"), ("demo", "--size", "100x100"),
    ("demo", "--screenshots", "{file}"), ("demo", "--screenshots", "{file}/sub"),
    ("demo", "--screenshots", "/proc/no-such-dir/shots"), ("demo", "--screenshots", "{long}"),
], ids=lambda a: "-".join(a)[:40])
def test_a_demo_that_cannot_run_as_asked_says_why_before_opening(
        tmp_path: Path, argv: tuple[str, ...]) -> None:
    afile = tmp_path / "shots.png"
    afile.write_bytes(b"")
    start = time.monotonic()
    out = subprocess.run([sys.executable, "-m", "game.cli.main",
                          *(a.format(file=afile, long="c" * 300) for a in argv), "--fast"],
                         capture_output=True, text=True, cwd=ROOT, timeout=10,
                         env=dict(ENV, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy"))
    assert time.monotonic() - start < 10
    assert out.returncode != 0 and out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    assert lines[0].startswith("sameteam: ") and len(lines[0]) < 400


@pytest.mark.parametrize("argv", [(), ("play",), ("play", "--mode", "solo")],
                         ids=lambda a: "-".join(a) or "bare")
def test_no_display_reachable_is_said_within_seconds(argv: tuple[str, ...]) -> None:
    """An X server named but not there (a projector laptop's remote session gone): the
    window commands say so and exit non-zero instead of hanging."""
    start = time.monotonic()
    out = subprocess.run([sys.executable, "-m", "game.cli.main", *argv], capture_output=True,
                         text=True, cwd=ROOT, timeout=10,
                         env=dict(ENV, DISPLAY=":987", SDL_VIDEODRIVER="x11",
                                  SDL_AUDIODRIVER="dummy"))
    assert time.monotonic() - start < 5
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [NO_DISPLAY]

