"""The named state variables that scenario conditions and effects may use.

This registry is the single contract between what a facilitator writes in YAML
(`quarter >= 4 and trust.cto_to_cmo < 0.4`) and the arrays the engine keeps. It
lives in the scenario layer so scenarios can be checked without the engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Variable:
    """One named value a condition may read and, if writable, an effect may change."""

    name: str
    description: str
    low: float | None = None
    high: float | None = None
    writable: bool = False
    boolean: bool = False


ARPU_LOW = 0.001
ARPU_HIGH = 1000.0
MARKET_LOW = 0.001
MARKET_HIGH = 10_000_000.0

_BASE: tuple[Variable, ...] = (
    Variable("quarter", "The current quarter, counting from 1.", 1, None),
    Variable("quarters_total", "How many quarters this scenario lasts.", 1, None),
    Variable("company.revenue", "Revenue this quarter, in $M.", 0, None),
    Variable("company.customers", "Customers, in thousands.", 0, None),
    Variable("company.growth", "Revenue growth since the start, as a fraction (0.1 = +10%).",
             -1, None),
    # The two open-ended writable values get finite bounds, far beyond any real company,
    # so that no effect can drive revenue or the market's arithmetic to 0/0 or infinity.
    Variable("company.arpu", "Revenue per customer per quarter, in $k.", ARPU_LOW, ARPU_HIGH,
             True),
    Variable("company.brand", "Brand strength, 0 to 1.", 0, 1, True),
    Variable("company.market_size", "Potential customers in the market, in thousands.",
             MARKET_LOW, MARKET_HIGH, True),
    Variable("market.demand", "Demand multiplier; 1 is a normal market, 0.8 a recession.",
             0, 3, True),
    Variable("market.digital_share", "Share of buyers reached through digital channels, 0 to 1.",
             0, 1, True),
    Variable("market.channel", "Effectiveness of the marketing channels; 1 is normal.",
             0, 3, True),
    Variable("market.competition", "Competitive pressure, 0 (none) to 1 (fierce).", 0, 1, True),
    Variable("tech.debt", "Technical debt: the share of delivery capacity it eats, 0 to 1.",
             0, 1, True),
    Variable("tech.platform", "Platform capability, 0 to 1.", 0, 1, True),
    Variable("tech.security", "Security exposure, 0 (locked down) to 1 (wide open).", 0, 1, True),
    Variable("tech.reliability", "Reliability of the platform, 0 to 1.", 0, 1, True),
    Variable("tech.vendor_quality", "Quality of the current technology vendors, 0 to 1.",
             0, 1, True),
    Variable("trust.cmo_to_cto", "How much the CMO trusts the CTO, 0 to 1.", 0, 1),
    Variable("trust.cto_to_cmo", "How much the CTO trusts the CMO, 0 to 1.", 0, 1),
    Variable("relationship.ownership", "Shared ownership between the two executives, 0 to 1.",
             0, 1, True),
    Variable("relationship.liaison", "1 once a marketing technologist (liaison) is hired.",
             0, 1, False, True),
    Variable("board.cmo", "The board's confidence in the CMO, 0 to 1.", 0, 1, True),
    Variable("board.cto", "The board's confidence in the CTO, 0 to 1.", 0, 1, True),
    Variable("budget.share", "Share of revenue the CEO grants as the shared budget.", 0, 1, True),
    Variable("promises.kept", "Promises kept so far, both executives together.", 0, None),
    Variable("promises.broken", "Promises broken so far, both executives together.", 0, None),
    Variable("goarounds.discovered", "Go-arounds discovered so far.", 0, None),
    Variable("incidents.count", "Outages and security incidents so far.", 0, None),
    Variable("replacements.cmo", "How many times the board has replaced the CMO so far.",
             0, None),
    Variable("replacements.cto", "How many times the board has replaced the CTO so far.",
             0, None),
    Variable("replacements.count", "Executives replaced so far, both roles together.", 0, None),
)


class VariableRegistry(Mapping[str, Variable]):
    """Base variables plus the per-scenario ones (`project.<id>.done`, `event.<id>.fired`,
    `choice.<event>.<option>`)."""

    def __init__(self, project_ids: Iterable[str] = (), event_ids: Iterable[str] = (),
                 choices: Iterable[tuple[str, str]] = ()) -> None:
        items: dict[str, Variable] = {v.name: v for v in _BASE}
        for pid in project_ids:
            items[f"project.{pid}.done"] = Variable(
                f"project.{pid}.done", f"1 once project '{pid}' has finished (not failed).",
                0, 1, False, True)
            items[f"project.{pid}.running"] = Variable(
                f"project.{pid}.running", f"1 while project '{pid}' is under way.",
                0, 1, False, True)
            for attr, text in (
                    ("failed", "1 if project '{pid}' failed (the last time it ran)."),
                    ("funded", "1 once project '{pid}' has been funded in this game."),
                    ("joint", "1 if both executives owned project '{pid}' (the last time "
                     "it was funded)."),
                    ("owner_cmo", "1 if the CMO alone owned project '{pid}' (the last time "
                     "it was funded)."),
                    ("owner_cto", "1 if the CTO alone owned project '{pid}' (the last time "
                     "it was funded).")):
                name = f"project.{pid}.{attr}"
                items[name] = Variable(name, text.format(pid=pid), 0, 1, False, True)
        for eid in event_ids:
            items[f"event.{eid}.fired"] = Variable(
                f"event.{eid}.fired", f"1 once event '{eid}' has happened.", 0, 1, False, True)
        for eid, cid in choices:
            # Follow-up events and cards can depend on what the chooser decided.
            items[f"choice.{eid}.{cid}"] = Variable(
                f"choice.{eid}.{cid}",
                f"1 if option '{cid}' was taken the last time event '{eid}' happened.",
                0, 1, False, True)
        self._items = items

    def __getitem__(self, key: str) -> Variable:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def writable(self) -> list[str]:
        return [name for name, v in self._items.items() if v.writable]


BASE_VARIABLES: VariableRegistry = VariableRegistry()
