"""Load test of a room on loopback: many pairs play a whole scenario at once and post after
every step to a real `sameteam room` process; prints what the room held.

Each pair is its own process (an AI-vs-AI game, headless) that joins, plays and posts its
record's new entries after every step, waiting for each answer. A listener reads the
projector's stream (/api/room/stream) and notes when each pair's count of held entries
first shows there. Printed: posts/s, post latency p50/p95/max, how far the projector's
view lags behind each accepted post (p50/p95/max) and "lost": pairs whose record the room
does not hold whole, replayed to the end (0 is the only right answer).

Modes: `live` (default) lets each pair's AIs decide as it goes, so on one machine the
pairs' thinking shares the CPU with the room (in a real room each pair has its laptop);
`recorded` plays every game first and then posts it step by step as fast as the room
answers: the room's own capacity.

Usage: python benchmarks/room.py [--pairs 30] [--scenario digital-shift] [--mode live]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import queue
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

POLICIES = ("partner", "gatekeeper", "bypasser", "turf-warrior", "skeptic", "mirror")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_room(scenario: str, port: int, folder: Path) -> tuple[subprocess.Popen[str], str]:
    """`sameteam room` in its own process; its code once it answers."""
    env = dict(os.environ, SAMETEAM_DATA_DIR=str(folder / "data"), PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "game.cli.main", "room", "--scenario", scenario, "--seed", "1",
         "--host", "127.0.0.1", "--port", str(port), "--data", str(folder / "room.sqlite"),
         "--no-advertise"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    code = ""
    for line in proc.stdout:
        if line.strip().startswith("room code"):
            code = line.split()[-1]
        if line.startswith("Press Ctrl-C"):
            break
    threading.Thread(target=lambda: [None for _ in proc.stdout or ()], daemon=True).start()
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/room", timeout=1).raise_for_status()
            return proc, code
        except httpx.HTTPError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("the room did not start") from None
            time.sleep(0.1)


def pair_process(i: int, address: str, code: str, mode: str, go: Any, ready: Any,
                 out: Any) -> None:
    """One pair: join, play (or replay what it played) and post after every step."""
    from game.session.live import DEMO, GameConfig, LiveGame
    from game.session.seats import AI, Seat

    result: dict[str, Any] = {"i": i, "latencies": [], "acks": [], "error": ""}
    try:
        with httpx.Client(base_url=address, timeout=60) as c:
            r = c.post("/api/join", json={"code": code, "cmo": f"CMO {i}", "cto": f"CTO {i}",
                                          "mode": DEMO})
            r.raise_for_status()
            j = r.json()
            seats = (Seat(AI, "", POLICIES[i % len(POLICIES)], 1 + i % 3),
                     Seat(AI, "", POLICIES[(i // 2 + 1) % len(POLICIES)], 1 + (i + 1) % 3))
            config = GameConfig(j["scenario"], j["seed"], DEMO, seats)
            game = LiveGame(config)
            marks: list[int] = []
            if mode == "recorded":
                while not game.done:
                    game.acknowledge() if game.step.is_view else game.advance_ai()
                    marks.append(len(game.log))
            head = {"Authorization": f"Bearer {j['token']}"}
            base = {"scenario_hash": j["scenario_hash"], "seed": j["seed"],
                    "config": config.to_dict()}
            ready.put(i)
            go.wait()
            held = 0
            step = 0
            while (step < len(marks)) if mode == "recorded" else not game.done:
                if mode == "recorded":
                    end = marks[step]
                else:
                    game.acknowledge() if game.step.is_view else game.advance_ai()
                    end = len(game.log)
                step += 1
                t0 = time.perf_counter()
                r = c.post(f"/api/pairs/{j['pair']}/record", headers=head,
                           json={**base, "start": held, "entries": game.log[held:end]})
                t1 = time.perf_counter()
                if r.status_code != 200:
                    result["error"] = f"{r.status_code} {r.text[:200]}"
                    break
                held = int(r.json()["held"])
                result["latencies"].append(t1 - t0)
                result["acks"].append((held, time.time()))
            result.update(pair=j["pair"], entries=len(game.log), held=held, done=game.done)
    except Exception as e:   # reported in the table, never a silent thread
        result["error"] = f"{type(e).__name__}: {e}"
        ready.put(i)
    out.put(result)


def listen(address: str, seen: dict[str, list[tuple[int, float]]], stop: threading.Event
           ) -> None:
    """The projector's stream: when each pair's held count first shows."""
    with httpx.Client(base_url=address, timeout=60) as c, \
            c.stream("GET", "/api/room/stream") as r:
        try:
            for line in r.iter_lines():
                if line.startswith("data: "):
                    now = time.time()
                    for p in json.loads(line[6:])["pairs"]:
                        marks = seen.setdefault(p["pair"], [])
                        if not marks or p["held"] > marks[-1][0]:
                            marks.append((p["held"], now))
                if stop.is_set():
                    return
        except httpx.HTTPError:
            return


def lags(results: list[dict[str, Any]], seen: dict[str, list[tuple[int, float]]]
         ) -> list[float]:
    """For every accepted post: seconds until the projector's stream showed it."""
    out: list[float] = []
    for res in results:
        marks = seen.get(res.get("pair", ""), [])
        helds = np.array([h for h, _ in marks])
        times = np.array([t for _, t in marks])
        for held, acked in res["acks"]:
            k = int(np.searchsorted(helds, held))
            out.append(max(0.0, float(times[k]) - acked) if k < len(helds) else float("inf"))
    return out


def pct(values: list[float], q: float) -> str:
    return f"{1000 * float(np.percentile(values, q)):.0f} ms" if values else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=30)
    ap.add_argument("--scenario", default="digital-shift")
    ap.add_argument("--mode", choices=("live", "recorded"), default="live")
    args = ap.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory(prefix="room-bench-") as tmp:
        port = free_port()
        proc, code = start_room(args.scenario, port, Path(tmp))
        address = f"http://127.0.0.1:{port}"
        seen: dict[str, list[tuple[int, float]]] = {}
        stop = threading.Event()
        listener = threading.Thread(target=listen, args=(address, seen, stop), daemon=True)
        listener.start()
        ctx = mp.get_context("spawn")
        go = ctx.Event()
        ready: Any = ctx.Queue()
        out: Any = ctx.Queue()
        pairs = [ctx.Process(target=pair_process,
                             args=(i, address, code, args.mode, go, ready, out))
                 for i in range(args.pairs)]
        try:
            for p in pairs:
                p.start()
            console.print(f"{args.pairs} pairs joining room {code} ({args.scenario}, "
                          f"{args.mode})...")
            for _ in pairs:   # joined (and in `recorded`, its game played)
                ready.get(timeout=600)
            start = time.perf_counter()
            go.set()
            results: list[dict[str, Any]] = []
            while len(results) < args.pairs:
                try:
                    results.append(out.get(timeout=600))
                except queue.Empty:
                    break
            wall = time.perf_counter() - start
            time.sleep(1.0)
            stop.set()
            final = json.loads(httpx.get(f"{address}/api/room").text)
        finally:
            for p in pairs:
                p.join(5)
                if p.is_alive():
                    p.kill()
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    by_pair = {p["pair"]: p for p in final["pairs"]}
    lost = 0
    for res in results:
        view = by_pair.get(res.get("pair", ""))
        whole = (view is not None and not res["error"] and res.get("done")
                 and view["done"] and view["held"] == res["entries"] == res["held"])
        lost += not whole
    lost += args.pairs - len(results)
    latencies = [x for r in results for x in r["latencies"]]
    lag = lags(results, seen)
    finite = [x for x in lag if x != float("inf")]
    table = Table(title=f"Room load test: {args.pairs} pairs, {args.scenario}, {args.mode}")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_row("posts", f"{len(latencies)}")
    table.add_row("entries held", f"{sum(p['held'] for p in final['pairs'])}")
    table.add_row("wall time", f"{wall:.1f} s")
    table.add_row("posts/s", f"{len(latencies) / wall:.1f}")
    table.add_row("post latency p50 / p95 / p99 / max",
                  f"{pct(latencies, 50)} / {pct(latencies, 95)} / {pct(latencies, 99)} / "
                  f"{pct(latencies, 100)}")
    table.add_row("projector lag p50 / p95 / max",
                  f"{pct(finite, 50)} / {pct(finite, 95)} / {pct(finite, 100)}")
    table.add_row("posts never seen on the projector", f"{len(lag) - len(finite)}")
    table.add_row("lost", f"{lost}")
    console.print(table)
    for res in results:
        if res["error"]:
            console.print(f"pair {res['i']}: {res['error']}")
    print(f"lost: {lost}")


if __name__ == "__main__":
    main()
