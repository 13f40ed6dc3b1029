"""The balance report as one self-contained HTML page: Jinja2 for the page, matplotlib
charts embedded as base64 PNG, so the file can be mailed or opened offline."""

from __future__ import annotations

import base64
import io
from typing import Any

import jinja2
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

CMO_COLOUR = "#c0392b"
CTO_COLOUR = "#2471a3"
JOINT_COLOUR = "#239b56"


def pct(x: float) -> str:
    """A share as a whole percentage; a share that is not zero never shows as 0%."""
    if 0 < x < 0.005:
        return "<1%"
    return f"{100 * x:.0f}%"


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def board_chart(run: dict[str, Any], threshold: float | None = None) -> str:
    """Each executive's board confidence by quarter: mean line and 10-90% band."""
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    for role, colour in (("cmo", CMO_COLOUR), ("cto", CTO_COLOUR)):
        rows = run["board_by_quarter"][role]
        q = [r["quarter"] for r in rows]
        ax.fill_between(q, [r["p10"] for r in rows], [r["p90"] for r in rows], color=colour,
                        alpha=0.15)
        ax.plot(q, [r["mean"] for r in rows], color=colour, lw=2.5, label=role.upper())
    if threshold is not None:
        ax.axhline(threshold, color="#555", ls="--", lw=1, label="replaced below")
    ax.set_xlabel("quarter")
    ax.set_ylabel("board confidence")
    ax.set_ylim(0, 1)
    ax.legend(loc="lower left", frameon=False)
    ax.grid(alpha=0.3)
    return _png(fig)


def events_chart(events: list[dict[str, Any]]) -> str:
    fig, ax = plt.subplots(figsize=(7.5, 0.35 * len(events) + 0.9))
    names = [e["id"] for e in events][::-1]
    rates = [100 * e["fired"] for e in events][::-1]
    ax.barh(names, rates, color=["#aaa" if r == 0 else "#5d6d7e" for r in rates])
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of games in which the event happened")
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)


def cards_chart(run: dict[str, Any]) -> str:
    cards = run["cards"][::-1]
    fig, ax = plt.subplots(figsize=(7.5, 0.38 * len(cards) + 0.9))
    names = [c["id"] for c in cards]
    left = [0.0] * len(cards)
    for key, colour in (("success", JOINT_COLOUR), ("challenged", "#f0b27a"),
                        ("failed", CMO_COLOUR)):
        part = [100 * c["funded"] * c[key] for c in cards]
        ax.barh(names, part, left=left, color=colour, label=key)
        left = [a + b for a, b in zip(left, part, strict=True)]
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of games in which the card was funded, by its last outcome "
                  "(blank: still under way at the end)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 1.2 / (len(cards) + 3)),
              ncol=3, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)


def gap_chart(gap: dict[str, dict[str, float]]) -> str:
    fig, ax = plt.subplots(figsize=(7.5, 2.2))
    names = list(gap)[::-1]
    for i, name in enumerate(names):
        g = gap[name]
        ax.errorbar([g["gap"]], [i], xerr=[[g["gap"] - g["low"]], [g["high"] - g["gap"]]],
                    fmt="o", color="#34495e", capsize=6, lw=2)
    ax.axvline(0, color="#555", lw=1)
    ax.set_yticks(range(len(names)), [n.replace("_", " ") for n in names])
    ax.set_xlabel("cooperative minus selfish (growth as a fraction; boards 0-1), 95% interval")
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)


_PAGE = jinja2.Environment(
    loader=jinja2.PackageLoader("game.report", "templates"), autoescape=True,
    keep_trailing_newline=True).get_template("balance.html")


def render(report: dict[str, Any], threshold: float | None = None) -> str:
    """The report as one HTML page."""
    main = report["runs"][0]
    charts = {"board": board_chart(main, report.get("threshold", threshold)),
              "events": events_chart(report["events"]), "cards": cards_chart(main),
              "gap": gap_chart(report["gap"])}
    page: str = _PAGE.render(r=report, main=main, charts=charts, pct=pct)
    return page
