"""Pydantic models for a scenario file: the facilitator's whole contract.

Every field carries a description because the JSON Schema generated from these
models is what editors show while a facilitator types. Unknown keys are refused
so a typo never silently falls back to a default.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from game.scenario.variables import ARPU_HIGH, ARPU_LOW, MARKET_HIGH, MARKET_LOW

Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", min_length=1, max_length=40)]
Role = Literal["cmo", "cto"]
Domain = Literal["marketing", "technology", "gray"]
Difficulty = Literal["intro", "standard", "hard", "expert"]
Signal = Literal[
    "demand_trend", "channel", "competitor", "debt", "security", "outage_risk", "vendor_quality"
]
PersonalityName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=40)]


class Strict(BaseModel):
    """Base for every scenario section: unknown keys are an error, not a silent default."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Objective(Strict):
    id: Slug = Field(description="Short id of the objective, referred to by debrief questions.")
    text: str = Field(min_length=1, description="What players should understand by the end.")


class DebriefQuestion(Strict):
    objective: Slug = Field(description="Id of the learning objective this question serves.")
    text: str = Field(min_length=1, description="The question the facilitator asks the room.")


class Company(Strict):
    """The company at the start of quarter 1."""

    customers: float = Field(20.0, gt=0, le=MARKET_HIGH,
                             description="Customers at the start, in thousands.")
    market_size: float = Field(
        200.0, ge=MARKET_LOW, le=MARKET_HIGH,
        description="Potential customers in the whole market, in thousands.")
    arpu: float = Field(
        1.0, ge=ARPU_LOW, le=ARPU_HIGH, description="Revenue per customer per quarter, in $k. "
        "Revenue ($M) = customers (k) x arpu ($k).")
    brand: Fraction = Field(0.5, description="Brand strength, 0 to 1.")
    tech_debt: Fraction = Field(
        0.23, description="Technical debt as the share of delivery capacity it eats "
        "(research default 0.23).")
    platform: Fraction = Field(0.5, description="Platform capability, 0 to 1.")
    security: Fraction = Field(0.3, description="Security exposure, 0 (locked down) to 1.")
    reliability: Fraction = Field(0.7, description="Platform reliability, 0 to 1.")
    vendor_quality: Fraction = Field(0.5, description="Quality of the technology vendors, 0 to 1.")
    digital_share: Fraction = Field(
        0.4, description="Share of buyers reached through digital channels.")
    competition: Fraction = Field(0.3, description="Competitive pressure, 0 to 1.")


class Perceptions(Strict):
    """How one executive sees the other at the start (Mayer, Davis & Schoorman)."""

    ability: Fraction = Field(0.5, description="Perceived ability of the other executive.")
    benevolence: Fraction = Field(0.45, description="Perceived benevolence of the other.")
    integrity: Fraction = Field(0.5, description="Perceived integrity of the other.")
    propensity: Fraction = Field(0.5, description="This executive's general propensity to trust.")


class Relationship(Strict):
    """Where the pair starts, and how trust moves between them."""

    cmo_to_cto: Perceptions = Field(
        default_factory=Perceptions, description="How the CMO sees the CTO at the start.")
    cto_to_cmo: Perceptions = Field(
        default_factory=Perceptions, description="How the CTO sees the CMO at the start.")
    ownership: Fraction = Field(
        0.15, description="Shared ownership at the start (research: collaboration 0.1-0.25).")
    evidence: float = Field(
        4.0, gt=0, le=50, description="How many quarters' worth of experience the starting "
        "perceptions are worth: higher means first impressions move more slowly.")
    asymmetry: float = Field(
        3.0, ge=1, le=10, description="How much more a bad experience weighs than a good one "
        "(research: about 3).")
    misread: Fraction = Field(
        0.05, description="Chance that a move is misread by the other side (noise).")
    early_quarters: int = Field(
        3, ge=0, le=20, description="Quarters during which a breach costs extra.")
    early_breach_multiplier: float = Field(
        2.0, ge=1, le=5, description="How much more a breach costs in the early quarters.")
    deception_ceiling_drop: Fraction = Field(
        0.12, description="How far discovered deception lowers the ceiling on trust, for good.")
    memory: Fraction = Field(
        0.85, description="Share of past experience kept each quarter; lower forgets faster.")


class BudgetRule(Strict):
    """How the CEO grants the shared technology-and-marketing budget."""

    share_of_revenue: Fraction = Field(
        0.12, description="Share of last quarter's revenue granted as the shared budget.")
    minimum: float = Field(1.0, ge=0, description="Smallest budget the CEO grants, in $M.")
    negotiation_rounds: int = Field(
        3, ge=1, le=10, description="Proposals and counters allowed before the CEO decides.")
    ceo_campaign_share: Fraction = Field(
        0.5, description="On deadlock: the CEO's split of the budget to campaigns (rest to "
        "operations); no new projects are funded.")
    deadlock_board_penalty: Fraction = Field(
        0.04, description="Board confidence each executive loses when the CEO must decide.")
    schedule: list[Annotated[float, Field(ge=0, le=1000)]] | None = Field(
        None, description="The budget in $M for each quarter, one amount per quarter, e.g. "
        "[2.0, 2.0, 2.4, 2.4], whatever revenue does (instead of share_of_revenue and "
        "minimum); the same amount every quarter is a fixed budget.")

    @model_serializer(mode="wrap")
    def _without_unused_rules(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Leave out 'schedule' when unused, so a scenario that does not use it dumps (and
        hashes) exactly as before it existed."""
        data = handler(self)
        if isinstance(data, dict) and data.get("schedule") is None:
            del data["schedule"]
        return data


class MarketModel(Strict):
    """Parameters of the market: Bass diffusion, marketing response, incidents."""

    bass_p: float = Field(
        0.0076, ge=0, le=0.5, description="Bass innovation coefficient per quarter "
        "(research: 0.0076).")
    bass_q: float = Field(
        0.095, ge=0, le=1, description="Bass imitation coefficient per quarter (research: 0.095).")
    elasticity: float = Field(
        0.12, ge=0, le=1, description="Short-term advertising elasticity (research: 0.12).")
    campaign_reference: Fraction = Field(
        0.25, description="Share of the budget that counts as a normal campaign spend.")
    operations_reference: Fraction = Field(
        0.25, description="Share of the budget that counts as normal spend on operations "
        "(keeping the platform running and paying down debt).")
    churn: Fraction = Field(0.04, description="Share of customers lost per quarter, normally.")
    demand_noise: Fraction = Field(
        0.04, description="Random quarter-to-quarter swing in demand (standard deviation).")
    digital_drift: float = Field(
        0.02, ge=-0.2, le=0.2, description="How much the digital share of buyers grows each "
        "quarter.")
    outage_rate: Fraction = Field(
        0.08, description="Chance of an outage per quarter at normal reliability and debt.")
    breach_rate: Fraction = Field(
        0.03, description="Chance of a security incident per quarter at normal exposure.")
    friction: Fraction = Field(
        0.12, description="Share of demand lost when the two executives do not coordinate at all.")
    shadow_lift: float = Field(
        0.12, ge=0, le=0.5, description="How much a CMO's shadow tool lifts new customers while "
        "it runs (log change per quarter): its quick win, before its hidden costs. Set it near "
        "what the scenario's own martech earns per dollar, or going around will out-earn the "
        "budget (sameteam simulate reports the martech ROI).")


class Availability(Strict):
    from_quarter: int = Field(1, ge=1, description="First quarter the project can be funded.")
    until_quarter: int | None = Field(
        None, ge=1, description="Last quarter the project can be funded (blank: to the end).")
    when: str | None = Field(
        None, description="Condition that must also hold, e.g. 'project.crm.done'.")


class Project(Strict):
    """A project card on the table."""

    id: Slug = Field(description="Short id, used in conditions as project.<id>.done.")
    title: str = Field(min_length=1, max_length=60, description="Name on the card.")
    summary: str = Field(min_length=1, description="One or two sentences on the card.")
    domain: Domain = Field(
        description="marketing, technology, or gray (ambiguous ownership, e.g. customer data).")
    cost: float = Field(gt=0, le=1000, description="Cost in $M, paid when the project starts.")
    duration: int = Field(ge=1, le=8, description="Quarters of work at full delivery capacity.")
    risk: Fraction = Field(
        0.5, description="How risky the project is; 0.5 is an ordinary project.")
    effects: list[str] = Field(
        min_length=1, description="What success does, e.g. 'tech.platform += 0.1'. A challenged "
        "project delivers half of it; a failed one nothing.")
    on_failure: list[str] = Field(
        default_factory=list, description="What a failure does, e.g. 'tech.debt += 0.03', on "
        "top of the usual cost of a failure (a challenged project keeps its half delivery).")
    upkeep: float = Field(
        0.0, ge=0, le=100, description="Running cost in $M per quarter once the project has "
        "succeeded, from the next quarter on: paid from the budget before it is split.")
    available: Availability = Field(
        default_factory=Availability, description="When the card is on the table.")
    repeatable: bool = Field(False, description="Whether it can be funded again after it ends.")
    joint_only: bool = Field(
        False, description="Whether it can be funded only with both executives as owners "
        "(a plan giving it to one of them alone is refused).")

    @model_serializer(mode="wrap")
    def _without_unused_additions(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Leave out failure effects, upkeep and joint_only nobody wrote, so a scenario that
        does not use them dumps (and hashes) exactly as before they existed."""
        data = handler(self)
        if isinstance(data, dict):
            if data.get("on_failure") == []:
                del data["on_failure"]
            if data.get("upkeep") == 0.0:
                del data["upkeep"]
            if data.get("joint_only") is False:
                del data["joint_only"]
        return data


class Outcome(Strict):
    """One way an option can turn out, drawn by chance once it is taken."""

    chance: Fraction = Field(description="Chance of this outcome once the option is taken; "
                             "an option's outcomes' chances add up to 1 at most (the rest: "
                             "nothing more happens).")
    effects: list[str] = Field(
        default_factory=list, description="What this outcome does, as effect expressions.")
    text: str = Field("", description="What happens, shown to both after the choice.")


class Choice(Strict):
    id: Slug = Field(description="Short id of the option.")
    label: str = Field(min_length=1, max_length=60, description="The option as shown on screen.")
    effects: list[str] = Field(
        default_factory=list, description="What choosing it does, as effect expressions.")
    text: str = Field("", description="What happens, shown to both after the choice.")
    cmo: str = Field("", description="What only the CMO reads once this option is taken.")
    cto: str = Field("", description="What only the CTO reads once this option is taken.")
    outcomes: list[Outcome] = Field(
        default_factory=list, description="Chance outcomes once it is taken, each with its "
        "chance, effects and text (one at most happens).")

    @model_serializer(mode="wrap")
    def _without_empty_role_texts(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Leave out role texts and outcomes nobody wrote, so a scenario that does not use
        them dumps (and hashes: saved games check the hash) exactly as before they existed."""
        data = handler(self)
        if isinstance(data, dict):
            for role in ("cmo", "cto"):
                if data.get(role) == "":
                    del data[role]
            if data.get("outcomes") == []:
                del data["outcomes"]
        return data


class Event(Strict):
    """News: something the scenario makes happen, at a set quarter or by chance."""

    id: Slug = Field(description="Short id, used in conditions as event.<id>.fired.")
    title: str = Field(min_length=1, max_length=70, description="Headline.")
    text: str = Field(min_length=1, description="What everyone reads.")
    cmo: str = Field("", description="Private briefing only the CMO reads.")
    cto: str = Field("", description="Private briefing only the CTO reads.")
    at: int | None = Field(
        None, ge=1, description="Quarter it happens (scheduled). Leave out for a random event.")
    chance: Fraction | None = Field(
        None, description="Chance per quarter for a random event (needs no 'at').")
    when: str | None = Field(None, description="Condition that must hold for it to happen.")
    once: bool = Field(True, description="Whether it can happen only once in a game.")
    effects: list[str] = Field(default_factory=list, description="What it does to the state.")
    chooser: Role | None = Field(None, description="Who chooses among the options, if any.")
    choices: list[Choice] = Field(
        default_factory=list, description="Options for the chooser (the first is the default).")


class Briefing(Strict):
    when: str = Field(description="Condition for this private note to appear, e.g. 'quarter == 2'.")
    text: str = Field(min_length=1, description="The note.")


class RoleIntel(Strict):
    signals: list[Signal] = Field(
        description="Private signals this role reads each quarter.")
    noise: Fraction = Field(0.1, description="How noisy those signals are.")
    briefings: list[Briefing] = Field(
        default_factory=list, description="Scenario-written private notes.")


def _cmo_intel() -> RoleIntel:
    return RoleIntel(signals=["demand_trend", "channel", "competitor"])


def _cto_intel() -> RoleIntel:
    return RoleIntel(signals=["debt", "security", "outage_risk", "vendor_quality"])


class Intel(Strict):
    cmo: RoleIntel = Field(default_factory=_cmo_intel, description="What only the CMO sees.")
    cto: RoleIntel = Field(default_factory=_cto_intel, description="What only the CTO sees.")


class Move(Strict):
    enabled: bool = Field(True, description="Whether players may use this move.")
    attention: int = Field(1, ge=0, le=5, description="Attention points it costs.")
    cost: float = Field(0.0, ge=0, le=100, description="Budget it costs, in $M.")


class Moves(Strict):
    """Relationship moves in the talk phase and what they cost."""

    attention: int = Field(2, ge=1, le=6, description="Attention points per executive per quarter.")
    share_intel: Move = Field(default_factory=Move, description="Reveal your private signals.")
    one_on_one: Move = Field(default_factory=Move, description="Have a beer: rapport.")
    roadmap_review: Move = Field(
        default_factory=lambda: Move(attention=2),
        description="Joint roadmap review: more shared ownership, fewer coordination failures.")
    hack_week: Move = Field(
        default_factory=lambda: Move(attention=1, cost=0.4),
        description="Hack week, once a year: innovation and trust, costs budget.")
    hire_liaison: Move = Field(
        default_factory=lambda: Move(attention=1, cost=0.15),
        description="Hire a marketing technologist: a recurring cost per quarter, less friction.")
    promise: Move = Field(default_factory=Move, description="Promise to fund or deliver a project.")
    go_around: Move = Field(
        default_factory=lambda: Move(attention=0, cost=0.3),
        description="Go around the other: shadow martech (CMO) or a freeze on 'standards' (CTO).")


class BoardRules(Strict):
    review_every: int = Field(4, ge=1, le=12, description="Quarters between board reviews.")
    threshold: Fraction = Field(
        0.43, description="Board confidence below which an executive is replaced at a review.")
    start: Fraction = Field(0.6, description="Board confidence at the start and for a newcomer.")
    company_weight: Fraction = Field(
        0.5, description="How much company results weigh against the executive's own KPIs.")
    noise: Fraction = Field(0.11, description="Random swing in the board's mood per quarter.")


class Scoring(Strict):
    """Weights of the final score shown at the debrief."""

    growth: float = Field(0.5, ge=0, le=1, description="Weight of company revenue growth.")
    trust: float = Field(0.2, ge=0, le=1, description="Weight of the final trust, both ways.")
    ownership: float = Field(0.15, ge=0, le=1, description="Weight of shared ownership.")
    promises: float = Field(0.15, ge=0, le=1, description="Weight of the share of promises kept.")


class Personality(Strict):
    """An AI counterpart's character, as data so facilitators can tune or add one."""

    title: str = Field(min_length=1, max_length=40, description="Name shown to players.")
    summary: str = Field(min_length=1, description="One line on how it behaves.")
    propensity: Fraction = Field(0.5, description="Trust it starts with.")
    forgiveness: Fraction = Field(0.33, description="Chance it forgives a defection.")
    risk_appetite: Fraction = Field(0.5, description="Appetite for risky and joint bets.")
    company_weight: Fraction = Field(
        0.5, description="Weight of company growth against its own KPIs.")
    honesty: Fraction = Field(0.8, description="Chance it keeps promises and owns failures.")
    reciprocity: Fraction = Field(0.5, description="How strongly it mirrors the other's moves.")
    openness: Fraction = Field(0.5, description="How readily it shares intel and meets.")
    bypass: Fraction = Field(0.1, description="Inclination to go around the other.")
    blame: Fraction = Field(0.2, description="Inclination to blame the other for failures.")
    caution: Fraction = Field(0.5, description="Priority on reliability and security.")


class AIConfig(Strict):
    offered: list[PersonalityName] = Field(
        default_factory=lambda: ["partner", "gatekeeper", "bypasser", "turf-warrior", "skeptic",
                                 "mirror"],
        description="AI personalities offered for solo play in this scenario.")
    personalities: dict[PersonalityName, Personality] = Field(
        default_factory=dict, description="Extra or retuned personalities, by name.")
    lines: dict[str, list[str]] = Field(
        default_factory=dict, description="Extra lines of dialogue, by situation.")


class Scenario(Strict):
    """One playable scenario: everything a facilitator can set."""

    id: Slug = Field(description="Short unique id, e.g. 'digital-shift'.")
    title: str = Field(min_length=1, max_length=60, description="Title shown to players.")
    summary: str = Field(
        min_length=1, description="Two or three sentences for the new-game screen.")
    author: str = Field("Same Team", description="Who wrote the scenario.")
    difficulty: Difficulty = Field("standard", description="intro, standard, hard or expert.")
    quarters: int = Field(ge=2, le=40, description="Length of the game in quarters.")
    learning_objectives: list[Objective] = Field(
        min_length=1, description="What the scenario teaches.")
    debrief_questions: list[DebriefQuestion] = Field(
        min_length=1, description="Questions for the debrief, each tied to an objective.")
    company: Company = Field(default_factory=Company, description="The company at the start.")
    relationship: Relationship = Field(
        default_factory=Relationship, description="The pair at the start and how trust moves.")
    budget: BudgetRule = Field(default_factory=BudgetRule, description="The CEO's budget rule.")
    market: MarketModel = Field(default_factory=MarketModel, description="The market model.")
    projects: list[Project] = Field(min_length=1, description="The project catalog.")
    events: list[Event] = Field(default_factory=list, description="News, scheduled or random.")
    intel: Intel = Field(default_factory=Intel, description="Private intel per role.")
    moves: Moves = Field(default_factory=Moves, description="Relationship moves and their costs.")
    board: BoardRules = Field(default_factory=BoardRules, description="Board reviews.")
    scoring: Scoring = Field(default_factory=Scoring, description="Final score weights.")
    ai: AIConfig = Field(default_factory=AIConfig, description="AI counterparts offered.")
