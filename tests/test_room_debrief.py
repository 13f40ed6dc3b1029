"""The room's debrief (game/room/debrief.py) and `room import` (game/room/importer.py),
from real AI-vs-AI games of the tutorial scenario: every pair on the page, the CSV's
rows, the rankings, and exported histories and saves giving the same pairs."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest

from game.room import debrief, importer
from game.room.pages import projector_page
from game.scenario.catalog import resolve
from game.scenario.loader import load_scenario
from game.scenario.models import Scenario
from game.session import debrief as session_debrief
from game.session import reading, saves
from game.session.live import GameConfig, LiveGame
from game.session.roomwire import Commands, PairView, RoomView, pair_view
from game.session.seats import AI, Seat

SEED = 7
PAIRS = (("Ana", "partner", "Ben", "gatekeeper"), ("Chloé", "bypasser", "Dmitri", "skeptic"),
         ("Eve", "turf-warrior", "Farid", "partner"), ("Grace", "mirror", "Hiro", "bypasser"))
PARTIAL_STEPS = 12
"""The last pair stops after this many steps: a pair not done, still in quarter 1 or 2."""


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMETEAM_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(resolve("first-quarter"))


@pytest.fixture(scope="module")
def games(scenario: Scenario) -> list[LiveGame]:
    """Four pairs of different personalities, three played to the end, one part-way."""
    out = []
    for i, (cmo, cmo_ai, cto, cto_ai) in enumerate(PAIRS):
        g = LiveGame(GameConfig(scenario.id, SEED, "demo",
                                (Seat(AI, cmo, cmo_ai), Seat(AI, cto, cto_ai))), scenario)
        if i < len(PAIRS) - 1:
            g.play_out()
        else:
            for _ in range(PARTIAL_STEPS):
                if g.step.is_view:
                    g.acknowledge()
                else:
                    g.advance_ai()
        out.append(g)
    assert not out[-1].done and all(g.done for g in out[:-1])
    return out


@pytest.fixture(scope="module")
def views(games: list[LiveGame]) -> list[PairView]:
    return [pair_view(g, f"pair-{i}", len(g.log), 0.0) for i, g in enumerate(games)]


def _report(scenario: Scenario, views: list[PairView]) -> debrief.RoomReport:
    return debrief.build_report(scenario, SEED, views, "Day 2 <leaders>", "K7QX2M")


def _ranked_ids(html: str) -> list[str]:
    table = html[html.index('id="ranking"'):]
    table = table[:table.index("</table>")]
    return re.findall(r'data-pair="([^"]+)"', table)


def test_the_page_holds_every_pair_and_marks_the_one_not_done(
        scenario: Scenario, games: list[LiveGame], views: list[PairView]) -> None:
    html = debrief.report_html(_report(scenario, views))
    assert "Day 2 &lt;leaders&gt;" in html   # escaped, never raw
    assert html.count('data-pair="') == len(views)
    for g in games:
        assert g.player_name(0) in html and g.player_name(1) in html
    last = views[-1]
    assert f"Q{last.quarter} of {last.quarters}" in html and last.quarter < last.quarters
    assert 'id="scatter" src="data:image/png;base64,' in html
    assert 'id="dividend"' in html and 'id="moves"' in html
    for q in scenario.debrief_questions:
        assert q.text.replace("'", "&#39;") in html
    assert "<script" not in html and "http" not in html   # self-contained, nothing fetched


def test_the_ranking_follows_growth_and_each_board(
        scenario: Scenario, views: list[PairView]) -> None:
    report = _report(scenario, views)
    by_growth = sorted(views, key=lambda p: p.growth, reverse=True)
    assert [p.pair for p in debrief.ranking(views, "growth")] == [p.pair for p in by_growth]
    assert _ranked_ids(debrief.report_html(report)) == [p.pair for p in by_growth]
    for key in ("board_cmo", "board_cto"):
        values = [getattr(p, key) for p in debrief.ranking(views, key)]
        assert values == sorted(values, reverse=True)


def test_the_csv_has_a_row_per_closed_quarter_and_the_start(
        scenario: Scenario, games: list[LiveGame], views: list[PairView]) -> None:
    rows = list(csv.DictReader(io.StringIO(debrief.report_csv(_report(scenario, views)))))
    assert len(rows) == sum(reading.closed_quarters(g) + 1 for g in games)
    assert set(rows[0]) == set(debrief.CSV_FIELDS)
    for i, g in enumerate(games):
        mine = [r for r in rows if r["pair"] == f"pair-{i}"]
        assert [int(r["quarter"]) for r in mine] == list(range(reading.closed_quarters(g) + 1))
        final = mine[-1]
        s = reading.series(g)
        assert float(final["revenue"]) == pytest.approx(s.revenue[-1], abs=1e-5)
        assert float(final["trust_cto_to_cmo"]) == pytest.approx(s.trust_cto[-1], abs=1e-5)
        assert final["done"] == str(int(g.done))


def test_the_room_moves_are_every_pairs_public_moves_summed(views: list[PairView]) -> None:
    total = sum(sum(p.moves.values()) for p in views)
    assert total > 0
    assert sum(n for _, n in debrief.room_moves(views)) == total


def test_the_band_is_scripted_pairs_on_the_rooms_luck_and_is_cached(
        scenario: Scenario, tmp_path: Path) -> None:
    debrief._band.cache_clear()
    band = debrief.monte_carlo_band(scenario, SEED)
    assert band.games == len(debrief.BAND_POLICIES) ** 2 * debrief.BAND_GAMES
    assert band.centres and all(a <= b <= c for a, b, c in zip(band.p10, band.p50, band.p90,
                                                                 strict=True))
    assert band.p50[-1] > band.p50[0]   # growth rises with trust on this luck
    cached = list((tmp_path / "data").rglob("*.json"))
    assert len(cached) == 1
    debrief._band.cache_clear()
    cached[0].write_text(cached[0].read_text().replace('"games": ', '"games": 1'))
    assert debrief.monte_carlo_band(scenario, SEED).games == int(f"1{band.games}")  # the file
    cached[0].write_text("{ damaged")
    debrief._band.cache_clear()
    assert debrief.monte_carlo_band(scenario, SEED) == band   # computed again


def test_one_pair_and_thirty_pairs(scenario: Scenario, views: list[PairView]) -> None:
    one = debrief.report_html(_report(scenario, views[:1]))
    assert one.count('data-pair="') == 1
    many = [views[i % 3].model_copy(update={"pair": f"p{i}", "growth": 0.01 * i,
                                            "cmo": f"CMO {i}"}) for i in range(30)]
    html = debrief.report_html(_report(scenario, many))
    assert _ranked_ids(html) == [f"p{i}" for i in range(29, -1, -1)]
    assert debrief.report_html(_report(scenario, [])).count('data-pair="') == 0


def test_the_projector_page_carries_the_view_and_no_controls_without_the_key(
        scenario: Scenario, views: list[PairView]) -> None:
    view = RoomView(code="K7QX2M", title="</script><b>x", scenario=scenario.id,
                    scenario_title=scenario.title, seed=SEED, quarters=scenario.quarters,
                    commands=Commands(), pairs=views)
    public = projector_page(view, False, "http://10.0.0.2:8765")
    admin = projector_page(view, True, "http://10.0.0.2:8765")
    assert 'id="controls"' not in public and 'id="controls"' in admin
    assert "/api/control" not in public
    assert "</script><b>" not in public   # the title is text, in the page and its data
    boot = re.search(r'<script id="boot" type="application/json">(.*?)</script>', public,
                     re.S)
    assert boot is not None
    data = json.loads(boot.group(1))
    assert RoomView.model_validate(data["view"]) == view
    assert "http://" not in public.replace("http://10.0.0.2:8765", "")   # nothing external


def _export(games: list[LiveGame], folder: Path) -> tuple[list[Path], list[Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    histories, saved = [], []
    for i, g in enumerate(games):
        h = folder / f"history-{i}.json"
        h.write_text(json.dumps(session_debrief.history(g)), encoding="utf-8")
        histories.append(h)
        saved.append(saves.write(g, folder / f"save-{i}.json"))
    return histories, saved


def _same_pair(a: PairView, b: PairView) -> None:
    for key in ("cmo", "cto", "quarter", "quarters", "done", "moves"):
        assert getattr(a, key) == getattr(b, key), key
    for key in ("growth", "trust_cmo_to_cto", "trust_cto_to_cmo", "ownership", "board_cmo",
                "board_cto"):
        assert getattr(a, key) == pytest.approx(getattr(b, key), abs=1e-9), key
    for k, v in a.series.items():
        assert b.series[k] == pytest.approx(v), k
    assert a.dividend == pytest.approx(b.dividend)


def test_import_of_histories_and_saves_gives_the_same_pairs(
        games: list[LiveGame], views: list[PairView], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    done = games[:-1]   # a pair exports its history from the debrief, at the end
    histories, saved = _export(done, tmp_path / "usb")
    for i, (h, s) in enumerate(zip(histories, saved, strict=True)):
        from_history = importer.read_file(h, "x")
        from_save = importer.read_file(s, "y")
        assert not from_history.replayed and from_save.replayed
        _same_pair(views[i], from_history.view)
        _same_pair(views[i], from_save.view)
    out = tmp_path / "out"
    assert importer.main([*map(str, histories), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "3 pairs imported (from exported histories, not replayed)" in said
    html = (out / "debrief.html").read_text(encoding="utf-8")
    assert "from exported histories, not replayed" in html
    assert html.count('data-pair="') == 3
    rows = list(csv.DictReader(io.StringIO((out / "room.csv").read_text(encoding="utf-8"))))
    assert len(rows) == sum(reading.closed_quarters(g) + 1 for g in done)
    assert importer.main([*map(str, saved), "--out", str(tmp_path / "out2")]) == 0
    assert "replayed from the pairs' saves" in capsys.readouterr().out


def test_bad_files_are_one_line_each_and_the_rest_still_import(
        games: list[LiveGame], scenario: Scenario, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    histories, saved = _export(games[:2], tmp_path / "usb")
    bad = tmp_path / "usb"
    (bad / "notjson.json").write_text("{ nope", encoding="utf-8")
    (bad / "list.json").write_text("[1, 2]", encoding="utf-8")
    (bad / "short.json").write_text(json.dumps({"format": "sameteam-history", "seed": 7}),
                                    encoding="utf-8")
    tampered = json.loads(saved[1].read_text(encoding="utf-8"))
    tampered["log"][3]["data"] = "garbage"
    (bad / "tampered.json").write_text(json.dumps(tampered), encoding="utf-8")
    other = json.loads(histories[1].read_text(encoding="utf-8"))
    other["seed"] = 99
    (bad / "other-seed.json").write_text(json.dumps(other), encoding="utf-8")
    files = [histories[0], saved[1], bad / "notjson.json", bad / "list.json",
             bad / "short.json", bad / "tampered.json", bad / "other-seed.json",
             bad / "missing.json", bad]
    out = tmp_path / "out"
    assert importer.main([*map(str, files), "--out", str(out)]) == 1
    lines = capsys.readouterr().out.splitlines()
    problems = [ln for ln in lines if ln.startswith(str(bad))]
    assert len(problems) == 7, lines
    for name, what in (("notjson.json", "not JSON"), ("list.json", "not a Same Team"),
                       ("short.json", "incomplete or damaged"), ("tampered.json", "damaged"),
                       ("other-seed.json", "seed 99"), ("missing.json", "no such file")):
        assert any(ln.startswith(str(bad / name)) and what in ln for ln in problems), name
    assert "Traceback" not in "\n".join(lines)
    html = (out / "debrief.html").read_text(encoding="utf-8")
    assert html.count('data-pair="') == 2
    assert "from 1 replayed save and 1 exported history (not replayed)" in html
    assert importer.main([str(bad / "notjson.json"), "--out", str(tmp_path / "none")]) == 1
    assert not (tmp_path / "none").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_among_the_files_is_refused_not_waited_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Opening a named pipe blocks until something writes to it: the import must refuse it
    from what the file is, before opening it, and go on."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert importer.main([str(fifo), "--out", str(tmp_path / "out")]) == 1
    assert f"{fifo}: not a regular file" in capsys.readouterr().out
