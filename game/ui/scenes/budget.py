"""Budget and portfolio negotiation: propose a plan, or accept or counter one."""

from __future__ import annotations

from functools import partial

import numpy as np
import pygame

from game.engine.actions import Plan
from game.engine.constants import OWNER_CMO, OWNER_CTO, OWNER_JOINT, ROLE_TITLES
from game.session import reading
from game.session.live import LiveGame
from game.ui import text, theme
from game.ui.flow import GameFlow
from game.ui.ports import Host
from game.ui.scene import Btn, Item, Scroll, ScrollList
from game.ui.scenes.common import GameScene, effects_line, money


def deadlock_note(g: LiveGame, other: int) -> str:
    """The last round's warning: what no deal costs, and what would unlock one."""
    ceo = g.scenario.budget.ceo_campaign_share
    note = (f"Last round: with no deal the CEO imposes the budget (no new projects, "
            f"{ceo:.0%} to campaigns) and the board notices the deadlock.")
    want = g.sticking.get(other)
    if g.proposal is not None and g.step.role != other:
        return note + " Accepting this plan is the deal still open."
    if want:
        return note + f" What would unlock a deal: {want}."
    return note


def talk_recap(scene: GameScene) -> list[str]:
    """What both did in this quarter's talk phase, as far as both can know."""
    g = scene.game
    return [m.text for m in g.timeline.quarter(g.quarter)
            if m.kind in ("talk", "promise", "goaround", "freeze")]


def _look(b: Btn, enabled: bool, selected: bool) -> None:
    """Set a toggle's state in the order pygame_gui needs: (un)selecting redraws a
    button as enabled, and enabling drops the selected look."""
    b.set_enabled(True)
    b.set_selected(selected)
    if not enabled:
        b.set_enabled(False)


class ProposeScene(ScrollList, GameScene):
    """Pick projects and owners and split the rest between campaigns and operations."""

    name = "propose"

    def __init__(self, app: Host, flow: GameFlow, role: int, auto: object = None) -> None:
        super().__init__(app, flow)
        self.role = role
        self.private_role = role
        g = self.game
        self.cards = reading.cards(g)
        start = g.last_proposal
        if isinstance(auto, Plan):
            self.auto_action = auto
            start = auto
        if start is not None:
            self.plan = start.copy()
            self.plan.fund &= np.array([c.fundable for c in self.cards])[None, :]
        else:
            self.plan = Plan.empty(1, g.game.n_projects, 0.5)
            self.plan.owner[0, :] = role
        for c in self.cards:   # a card only both may own is offered as joint
            if c.joint_only:
                self.plan.owner[0, c.index] = OWNER_JOINT
        self.plan.campaign_share = np.round(np.clip(self.plan.campaign_share, 0, 1) * 20) / 20
        self.fund_buttons: dict[int, Btn] = {}
        self.owner_buttons: dict[int, list[Btn]] = {}
        self.detail = next((c.index for c in self.cards if c.fundable), 0)
        self.scroll = Scroll()   # cards are rows; c.index is the row
        self._reveal: int | None = self.detail   # the first build shows the detail card

    # -- widgets -----------------------------------------------------------------------
    def table_rect(self) -> pygame.Rect:
        s = self.sizes
        top = round(58 * s.scale) + s.pad + text.line_height(s.body) + s.gap
        w = round((self.width - 5 * s.pad) * 0.7)
        return pygame.Rect(2 * s.pad, top, w, self.height - top - 3 * s.pad - s.button_h)

    def columns(self) -> dict[str, tuple[int, int]]:
        s = self.sizes
        t = self.table_rect()
        ow = text.width_of("Joint", s.small) + round(1.2 * s.pad)
        owners_w = 3 * ow + 2 * 4
        risk_w = text.width_of("Risk", s.small, True) + s.gap
        cost_w = text.width_of("$1.4M · 3q", s.small) + s.gap
        dom_w = text.width_of("Marketing", s.small) + s.gap
        title_w = t.width - owners_w - risk_w - cost_w - dom_w - 4 * s.gap
        x = t.x
        cols = {}
        for name, w in (("title", title_w), ("domain", dom_w), ("cost", cost_w),
                        ("risk", risk_w), ("owner", owners_w)):
            cols[name] = (x, w)
            x += w + s.gap
        return cols

    def head_h(self) -> int:
        return text.line_height(self.sizes.small) + 4

    def row_layout(self) -> tuple[int, int]:
        """Row height and rows shown: rows shrink to fit, down to a floor, then the list scrolls."""
        s = self.sizes
        room = self.table_rect().height - self.head_h()
        n = max(len(self.cards), 1)
        floor = round(30 * s.scale)
        if n * floor <= room:
            return max(floor, min(s.row_h + 4, room // n)), n
        return floor, max(1, (room - self.strip_h()) // floor)

    def row_height(self) -> int:
        return self.row_layout()[0]

    def strip_rect(self) -> pygame.Rect:
        """Centred in what the rows leave at the bottom of the table."""
        t = self.table_rect()
        rh, page = self.row_layout()
        below = t.y + self.head_h() + page * rh
        h = self.strip_h()
        return pygame.Rect(t.x, below + max(0, (t.bottom - below - h) // 2), t.width, h)

    def list_rect(self) -> pygame.Rect:
        """Where the wheel scrolls the table: the header, the rows and the controls."""
        return self.table_rect()

    def visible_cards(self) -> list[reading.Card]:
        return [self.cards[i] for i in self.scroll.rows()]

    def build(self) -> None:
        s = self.sizes
        t = self.table_rect()
        cols = self.columns()
        rh, page = self.row_layout()
        self.scroll.fit(len(self.cards), page)
        if self._reveal is not None:
            self.scroll.reveal(self._reveal)
            self._reveal = None
        bh = rh - max(4, round(6 * s.scale))
        y = t.y + self.head_h()
        self.fund_buttons = {}
        self.owner_buttons = {}
        tx, tw = cols["title"]
        ox, ow_total = cols["owner"]
        ow = (ow_total - 8) // 3
        for c in self.visible_cards():
            funded = bool(self.plan.fund[0, c.index])
            label = c.title
            b = self.button((tx, y, tw, bh), label, partial(self.toggle, c.index),
                            toggle=True, selected=funded, enabled=c.fundable)
            b.ident = (c.index, 0)
            self.fund_buttons[c.index] = b
            if c.fundable:
                owners = []
                for o in (OWNER_CMO, OWNER_CTO, OWNER_JOINT):
                    ob = self.button((ox + o * (ow + 4), y, ow, bh), reading.OWNER_TITLES[o],
                                     partial(self.set_owner, c.index, o), toggle=True,
                                     selected=funded and int(self.plan.owner[0, c.index]) == o,
                                     enabled=funded and self.may_own(c.index, o),
                                     style="choice")
                    ob.ident = (c.index, 1 + o)
                    owners.append(ob)
                self.owner_buttons[c.index] = owners
            y += rh
        self.scroll_controls(self.controls_rect())
        # The split and the proposal.
        rx = t.right + s.pad
        rw = self.width - 2 * s.pad - rx
        sy = self.split_y()
        small_w = round(56 * s.scale)
        self.less = self.button((rx + s.pad, sy, small_w, s.button_h), "−",
                                lambda: self.shift(-0.05), style="quiet")
        self.more = self.button((rx + rw - s.pad - small_w, sy, small_w, s.button_h), "+",
                                lambda: self.shift(0.05), style="quiet")
        self.less.ident, self.more.ident = "less", "more"
        self.submit_btn = self.footer_row([("Propose this plan", self.done, None)])[0]
        self.submit_btn.ident = "submit"
        self.refresh()

    def entered(self) -> None:
        if self.auto_action is not None and self.timer is None:
            self.start_timer(self.auto_pace() * 1.5)

    def split_y(self) -> int:
        s = self.sizes
        t = self.table_rect()
        return t.y + s.pad + text.line_height(s.h3) + 4 * text.line_height(s.small) + s.gap

    def refresh(self) -> None:
        self.submit_btn.set_enabled(not self.summary().problems)
        self.dirty = True

    def summary(self) -> reading.PlanSummary:
        return reading.plan_summary(self.game, self.plan)

    def toggle(self, j: int) -> None:
        self.plan.fund[0, j] = not self.plan.fund[0, j]
        on = bool(self.plan.fund[0, j])
        self.detail = j
        if j not in self.fund_buttons:      # scrolled away: the rebuilt row shows the plan
            self.show_card(j)
        self.fund_buttons[j].set_selected(on)
        for o, b in enumerate(self.owner_buttons.get(j, [])):
            _look(b, on and self.may_own(j, o), on and int(self.plan.owner[0, j]) == o)
        self.refresh()

    def may_own(self, j: int, o: int) -> bool:
        """Whether owner `o` is open for card `j`: a card only both may own is joint."""
        return not self.cards[j].joint_only or o == OWNER_JOINT

    def set_owner(self, j: int, o: int) -> None:
        self.plan.owner[0, j] = o
        self.detail = j
        if j not in self.owner_buttons:
            self.show_card(j)
        for k, b in enumerate(self.owner_buttons.get(j, [])):
            _look(b, self.may_own(j, k), k == o)
        self.refresh()

    def shift(self, d: float) -> None:
        v = float(self.plan.campaign_share[0]) + d
        self.plan.campaign_share[0] = round(min(1.0, max(0.0, v)) * 20) / 20
        self.refresh()

    def on_key(self, event: pygame.event.Event) -> bool:
        if event.key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.shift(0.05)
            return True
        if event.key in (pygame.K_MINUS, pygame.K_KP_MINUS):
            self.shift(-0.05)
            return True
        return False

    def row_focusable(self, row: int) -> bool:
        return self.cards[row].fundable

    def show_card(self, j: int) -> None:
        """Bring card j into view with focus on its fund button (the detail panel follows)."""
        self.show_row(j)
        self.detail = j
        self.dirty = True

    def update(self, dt: float) -> None:
        super().update(dt)
        b = self.focused()
        for j, fb in self.fund_buttons.items():
            if fb is b and self.detail != j:
                self.detail = j
                self.dirty = True

    def on_timer(self) -> None:
        self.done()

    def done(self) -> None:
        self.commit(self.plan if self.auto_action is None else self.auto_action)  # type: ignore[arg-type]

    # -- drawing -----------------------------------------------------------------------
    def paint(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BG)
        s = self.sizes
        g = self.game
        top = self.top_bar(surface, "Budget and portfolio", self.role)
        rnd = g.step.round + 1
        other = ROLE_TITLES[1 - self.role]
        want = g.sticking.get(1 - self.role)
        head = (f"Last round ({rnd} of {g.rounds}): with no deal the CEO decides. "
                if g.last_round else
                f"Round {rnd} of {g.rounds}: you propose, the {other} accepts or counters. ")
        # What would unlock a deal, where the other said no before; else the budget (the
        # plan panel shows it too).
        head += (f"What would unlock one: {want}." if want and g.last_round else
                 f"What would unlock a deal: {want}." if want else
                 f"Budget: {money(float(g.state.available[0]))}.")
        text.draw(surface, head, (2 * s.pad, top), s.body, max_width=self.width - 4 * s.pad)
        t = self.table_rect()
        cols = self.columns()
        for name, label in (("title", "Project: press to fund"), ("domain", "Domain"),
                            ("cost", "Cost"), ("risk", "Risk"), ("owner", "Owner")):
            text.draw(surface, label, (cols[name][0], t.y), s.small, theme.MUTED, bold=True,
                      max_width=cols[name][1])
        rh = self.row_height()
        y = t.y + self.head_h()
        mid = (rh - max(4, round(6 * s.scale)) - text.line_height(s.small)) // 2
        for c in self.visible_cards():
            text.draw(surface, reading.DOMAIN_TITLES[c.domain], (cols["domain"][0], y + mid),
                      s.small, theme.INK)
            text.draw(surface, f"{money(c.cost)} · {c.duration}q", (cols["cost"][0], y + mid),
                      s.small, theme.INK)
            word = {"medium": "med"}.get(c.risk_word, c.risk_word)
            text.draw(surface, word, (cols["risk"][0], y + mid), s.small,
                      theme.BAD_TEXT if c.risk_word == "high" else theme.INK)
            if not c.fundable:
                text.draw(surface, c.why_not, (cols["owner"][0], y + mid), s.small,
                          theme.MUTED, max_width=cols["owner"][1])
            y += rh
        top = t.y + self.head_h()
        self.paint_scroll(surface, "projects", top, top + self.scroll.page * rh)
        self.paint_side(surface, pygame.Rect(t.right + s.pad, t.y, self.width - 3 * s.pad -
                                             t.right, t.height))

    def paint_side(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        s = self.sizes
        g = self.game
        sm = self.summary()
        split_h = self.split_y() - rect.y + s.button_h + s.pad
        inner = self.panel(surface, pygame.Rect(rect.x, rect.y, rect.width, split_h), "Your plan")
        y = inner.y
        text.draw(surface, f"Projects: {money(sm.cost)} of {money(sm.available)}", (inner.x, y),
                  s.small, theme.BAD_TEXT if sm.over else theme.INK, bold=sm.over)
        y += text.line_height(s.small)
        text.draw(surface, f"Campaigns {money(sm.campaigns)}", (inner.x, y), s.small,
                  theme.INK, max_width=inner.width)
        y += text.line_height(s.small)
        text.draw(surface, f"Operations {money(sm.operations)}", (inner.x, y), s.small,
                  theme.INK, max_width=inner.width)
        y += text.line_height(s.small)
        probs = sm.problems
        text.draw(surface, probs[0] if probs else "The plan is valid.", (inner.x, y), s.small,
                  theme.BAD_TEXT if probs else theme.GOOD_TEXT, max_width=inner.width)
        sy = self.split_y()
        label = f"{sm.share:.0%} campaigns"
        room = rect.width - 4 * s.pad - 2 * round(56 * s.scale) - 2 * s.gap   # between − and +
        size = s.body if text.width_of(label, s.body, True) <= room else s.small
        text.draw(surface, label, (rect.centerx, sy + (s.button_h - text.line_height(size)) // 2),
                  size, theme.INK, bold=True, align="center", max_width=room)
        y = rect.y + split_h + s.gap
        if self.auto_action is not None:
            sp = pygame.Rect(rect.x, y, rect.width, rect.bottom - y)
            self.speech(surface, sp, self.role, g.said[self.role], "Proposes this plan.")
            return
        card = self.cards[self.detail]
        inner = self.panel(surface, pygame.Rect(rect.x, y, rect.width, rect.bottom - y),
                           card.title)
        items: list[Item] = [(card.summary, theme.MUTED, False, False),
                             (f"On success: {effects_line(card.effects)}", theme.INK, False,
                              False)]
        if card.joint_only:
            items.append(("Only both of you together can own it.", theme.INK, True, False))
        extra = talk_recap(self) + reading.promises(g)
        if extra:
            items.append(("This quarter so far", theme.INK, True, False))
            items += [(line, theme.MUTED, False, False) for line in extra]
        self.stack(surface, inner, items, s.small, gap=4)


class RespondScene(GameScene):
    """The plan on the table: accept it, or counter (on the last round, the CEO decides)."""

    name = "respond"

    def __init__(self, app: Host, flow: GameFlow, role: int, auto: object = None) -> None:
        super().__init__(app, flow)
        self.role = role
        self.private_role = role
        plan = self.game.proposal
        assert plan is not None
        self.plan = plan
        if auto is not None:
            self.auto_action = bool(auto)

    @property
    def agreed(self) -> bool:
        """The plan on the table is the one this role proposed, unchanged: a yes to seal."""
        return self.game.accepts_as_counter and self.auto_action is None

    def build(self) -> None:
        if self.agreed:
            self.focus_on(self.footer_row([("Seal the deal", lambda: self.answer(True), 1)])[0])
            return
        last = self.game.last_round
        no = "Reject: the CEO decides" if last else "Counter-propose"
        rows = self.footer_row([(no, lambda: self.answer(False), 2),
                                ("Accept", lambda: self.answer(True), 1)])
        self.focus_on(rows[1] if self.auto_action is not False else rows[0])

    def entered(self) -> None:
        if self.auto_action is not None and self.timer is None:
            self.start_timer(self.auto_pace())

    def on_timer(self) -> None:
        self.answer(bool(self.auto_action))

    def answer(self, yes: bool) -> None:
        self.commit(yes)

    def paint(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BG)
        s = self.sizes
        g = self.game
        top = self.top_bar(surface, "A proposal is on the table", self.role)
        other = 1 - self.role
        rnd = g.step.round + 1
        before = g.last_proposal
        changes = reading.plan_changes(self.plan, before) if before is not None else None
        if self.agreed:
            head = (f"Round {rnd} of {g.rounds}. The {ROLE_TITLES[other]} accepts your plan, "
                    "unchanged:")
        elif changes is not None:
            head = (f"Round {rnd} of {g.rounds}. The {ROLE_TITLES[other]} counters; "
                    "what changed from the last plan is marked:")
        else:
            head = f"Round {rnd} of {g.rounds}. The {ROLE_TITLES[other]} proposes:"
        text.draw(surface, head, (2 * s.pad, top), s.h3, bold=True,
                  max_width=self.width - 4 * s.pad)
        y = top + text.line_height(s.h3) + s.gap
        bottom = self.height - 3 * s.pad - s.button_h
        colw = round((self.width - 5 * s.pad) * 0.6)
        left = pygame.Rect(2 * s.pad, y, colw, bottom - y)
        inner = self.panel(surface, left, "The plan")
        yy = inner.y
        sm = reading.plan_summary(g, self.plan)
        funded = [int(j) for j in np.flatnonzero(self.plan.fund[0])]
        if not funded:
            text.draw(surface, "No new projects.", (inner.x, yy), s.body, theme.MUTED)
            yy += text.line_height(s.body)
        lh = text.line_height(s.body)
        marked = changes is not None and not self.agreed
        summary = f"Projects {money(sm.cost)} of {money(sm.available)}; the rest, " \
                  f"{money(sm.rest)}:"
        split = (f"{sm.share:.0%} to campaigns ({money(sm.campaigns)}), "
                 f"{1 - sm.share:.0%} to operations ({money(sm.operations)})")
        was = changes.share_before if marked and changes is not None else None
        dropped = (", ".join(g.scenario.projects[j].title for j in changes.dropped)
                   if marked and changes is not None and changes.dropped else "")
        # Room kept below the list for the totals, the split and what changed.
        tail = (text.height_of(summary, s.body, inner.width)
                + text.height_of(split, s.body, inner.width, True) + s.gap + lh
                + (text.line_height(s.small) if was is not None else 0)
                + (min(text.height_of(f"Dropped: {dropped}", s.body, inner.width), 2 * lh)
                   if dropped else 0))
        for i, j in enumerate(funded):
            p = g.scenario.projects[j]
            if yy + lh > inner.bottom - tail - (lh if i < len(funded) - 1 else 0):
                text.more(surface, [g.scenario.projects[k].title for k in funded[i:]],
                          (inner.x, yy), s.body, max_width=inner.width)
                yy += lh
                break
            owner = int(self.plan.owner[0, j])
            tag = ""
            if marked and changes is not None:
                if j in changes.added:
                    tag = "NEW  "
                elif j in changes.owners:
                    tag = f"was {reading.OWNER_TITLES[changes.owners[j]]}  "
            figure = f"{reading.OWNER_TITLES[owner]} · {money(p.cost)}"
            fw = text.width_of(figure, s.body, True) + s.gap
            text.draw(surface, figure, (inner.right, yy), s.body, theme.ROLE_TEXT[owner]
                      if owner in (OWNER_CMO, OWNER_CTO) else theme.GOOD_TEXT, bold=True,
                      align="right")
            x0 = inner.x
            if tag:
                text.draw(surface, tag.strip(), (inner.x, yy), s.small, theme.WARN, bold=True)
                x0 += text.width_of(tag, s.small, True)
            yy += text.paragraph(surface, p.title, pygame.Rect(x0, yy, inner.right - fw - x0,
                                 2 * lh), s.body) + 2
        if dropped:
            yy += text.paragraph(surface, f"Dropped: {dropped}", pygame.Rect(
                inner.x, yy, inner.width, inner.bottom - yy), s.body, theme.BAD_TEXT,
                max_lines=2)
        yy += s.gap
        yy += text.paragraph(surface, summary, pygame.Rect(inner.x, yy, inner.width,
                             inner.bottom - yy), s.body)
        yy += text.paragraph(surface, split, pygame.Rect(inner.x, yy, inner.width,
                             inner.bottom - yy), s.body, theme.INK if was is None else theme.WARN,
                             bold=True)
        if was is not None:
            text.draw(surface, f"Changed: campaigns were {was:.0%}", (inner.x, yy), s.small,
                      theme.WARN, bold=True, max_width=inner.width)
            yy += text.line_height(s.small)
        yy += s.gap
        note = deadlock_note(g, other) if g.last_round else (
            f"If you counter, you make the next proposal (round {rnd + 1}).")
        if self.agreed:
            note = (f"The {ROLE_TITLES[other]} has come round to the plan you proposed. "
                    "Seal it and the budget is agreed.")
        text.paragraph(surface, note, pygame.Rect(inner.x, yy, inner.width, inner.bottom - yy),
                       s.small, theme.MUTED)
        right = pygame.Rect(left.right + s.pad, y, self.width - 3 * s.pad - left.right,
                            bottom - y)
        lines = g.said[other] if not g.is_human(other) else []
        if self.auto_action is not None:
            verdict = "Accepts." if self.auto_action else "Turns it down."
            self.speech(surface, pygame.Rect(right.x, right.y, right.width, right.height // 2),
                        self.role, g.said[self.role], verdict)
        elif lines:
            self.speech(surface, pygame.Rect(right.x, right.y, right.width, right.height // 2),
                        other, lines, "Accepts your plan as you proposed it." if self.agreed
                        else "Counters with this plan." if changes is not None
                        else "Proposes this plan.")
        else:
            inner = self.panel(surface, pygame.Rect(right.x, right.y, right.width,
                                                    right.height // 2), "On the table too")
            self.stack(surface, inner, [(line, theme.MUTED, False, False) for line in (
                reading.promises(g) + talk_recap(self)) or ["No promises open."]], s.small,
                gap=0)
        self.private_panel(surface, pygame.Rect(right.x, right.y + right.height // 2 + s.gap,
                           right.width, right.height // 2 - s.gap), self.role, notes=False)


__all__ = ["ProposeScene", "RespondScene"]
