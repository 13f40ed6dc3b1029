"""Private decisions before the budget: the news choice and the relationship moves."""

from __future__ import annotations

from functools import partial

import numpy as np
import pygame

from game.engine.actions import Talk, moves_from
from game.engine.constants import MOVES, PROMISE_DELIVER, PROMISE_FUND
from game.session import reading
from game.ui import text, theme
from game.ui.flow import GameFlow
from game.ui.ports import Host
from game.ui.scene import Btn, Item
from game.ui.scenes.common import GameScene, money


class EventScene(GameScene):
    """The chooser decides how the company answers this quarter's event."""

    name = "event"

    def __init__(self, app: Host, flow: GameFlow, role: int, auto: object = None) -> None:
        super().__init__(app, flow)
        self.role = role
        self.private_role = role
        self.events = self.game.event_choices(role)
        self.picks: dict[int, int] = {k: 0 for k in self.events}
        if isinstance(auto, dict):
            self.picks.update({int(k): int(v) for k, v in auto.items()})
            self.auto_action = auto
        self.option_buttons: dict[int, list[Btn]] = {}

    def build(self) -> None:
        s = self.sizes
        y = round(58 * s.scale) + s.pad
        col = pygame.Rect(2 * s.pad, y, round((self.width - 5 * s.pad) * 0.6), 0)
        n = 1
        self._layout: list[tuple[int, int]] = []
        for k in self.events:
            ev = self.game.scenario.events[k]
            y += text.line_height(s.h2) + text.height_of(ev.text, s.body, col.width) + s.gap
            self._layout.append((k, y))
            buttons = []
            for i, ch in enumerate(ev.choices):
                b = self.button((col.x, y, col.width, s.button_h), f"{n}. {ch.label}",
                                partial(self.pick, k, i), hotkey=n, toggle=True,
                                selected=self.picks[k] == i)
                buttons.append(b)
                y += s.button_h + s.gap
                n += 1
            self.option_buttons[k] = buttons
            y += s.pad
        self.footer_row([("Decide", self.done, None)])

    def entered(self) -> None:
        if self.auto_action is not None and self.timer is None:
            self.start_timer(self.auto_pace())

    def pick(self, k: int, i: int) -> None:
        self.picks[k] = i
        for j, b in enumerate(self.option_buttons[k]):
            b.set_selected(j == i)

    def on_timer(self) -> None:
        self.done()

    def done(self) -> None:
        self.commit(dict(self.picks))

    def paint(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BG)
        s = self.sizes
        y = self.top_bar(surface, "Your call on the news", self.role)
        colw = round((self.width - 5 * s.pad) * 0.6)
        for k in self.events:
            ev = self.game.scenario.events[k]
            text.draw(surface, ev.title, (2 * s.pad, y), s.h2, bold=True, max_width=colw)
            y += text.line_height(s.h2)
            y += text.paragraph(surface, ev.text, pygame.Rect(2 * s.pad, y, colw, 400), s.body)
            y = dict(self._layout)[k]
            y += len(ev.choices) * (s.button_h + s.gap) + s.pad
        right = pygame.Rect(3 * s.pad + colw, round(58 * s.scale) + s.pad,
                            self.width - 5 * s.pad - colw,
                            self.height - 4 * s.pad - s.button_h - round(58 * s.scale))
        self.private_panel(surface, right, self.role)
        if self.auto_action is not None:
            sp = pygame.Rect(2 * s.pad, self.height - 3 * s.pad - s.button_h - round(
                150 * s.scale), colw, round(140 * s.scale))
            self.speech(surface, sp, self.role, self.game.said[self.role], "Decides for the "
                        "company.")


class TalkScene(GameScene):
    """Relationship moves: what each costs, what it does, and whether it is possible."""

    name = "talk"

    def __init__(self, app: Host, flow: GameFlow, role: int, auto: object = None) -> None:
        super().__init__(app, flow)
        self.role = role
        self.private_role = role
        g = self.game
        self.options = reading.move_options(g, role)
        self.chosen: list[str] = []
        self.promise_kind = PROMISE_FUND
        self.promise_project = 0
        self.promise_due = g.quarter + 2
        if isinstance(auto, Talk):
            self.auto_action = auto
            self.chosen = [MOVES[m] for m in np.flatnonzero(auto.moves[0])]
            if "promise" in self.chosen:
                self.promise_kind = int(auto.promise_kind[0]) or PROMISE_FUND
                self.promise_project = max(0, int(auto.promise_project[0]))
                self.promise_due = int(auto.promise_due[0]) or g.quarter + 1
        self._fix_promise_target()
        self.move_buttons: dict[str, Btn] = {}
        self.promise_buttons: list[Btn] = []

    # -- model -------------------------------------------------------------------------
    def targets(self) -> list[int]:
        return reading.promise_targets(self.game, self.role, self.promise_kind)

    def _fix_promise_target(self) -> None:
        t = self.targets()
        if t and self.promise_project not in t:
            self.promise_project = t[0]

    def decision(self) -> Talk:
        moves = moves_from(self.chosen)
        promising = "promise" in self.chosen and bool(self.targets())
        if "promise" in self.chosen and not promising:
            moves[0, MOVES.index("promise")] = False
        kind = self.promise_kind if promising else 0
        return Talk(moves, np.array([kind], dtype=np.int64),
                    np.array([self.promise_project if promising else -1], dtype=np.int64),
                    np.array([self.promise_due if promising else 0], dtype=np.int64))

    def problems(self) -> list[str]:
        out = reading.talk_problems(self.game, self.role, self.chosen)
        if "promise" in self.chosen and not self.targets():
            out.append("no project fits that promise: choose the other kind")
        return out

    # -- widgets -----------------------------------------------------------------------
    def build(self) -> None:
        s = self.sizes
        top = round(58 * s.scale) + s.pad
        colw = round((self.width - 5 * s.pad) * 0.58)
        bw = round(colw * 0.4)
        y = top + text.line_height(s.body) + s.gap
        row = max(s.button_h, 2 * text.line_height(s.small)) + s.gap
        self.row_h = row
        self.move_top = y
        self.move_buttons = {}
        for i, opt in enumerate(self.options):
            label = f"{i + 1}. {opt.title}"
            b = self.button((2 * s.pad, y, bw, s.button_h), label,
                            partial(self.toggle, opt.name), hotkey=i + 1, toggle=True,
                            selected=opt.name in self.chosen,
                            enabled=opt.problem is None or opt.name in self.chosen)
            self.move_buttons[opt.name] = b
            y += row
        self.promise_top = y
        self.promise_buttons = []
        if "promise" in self.chosen:
            bx = 2 * s.pad
            q = (colw - 3 * s.gap) // 4
            delivering = self.promise_kind == PROMISE_DELIVER
            self.promise_buttons = [
                self.button((bx, y, q, s.button_h), "Fund it",
                            lambda: self.set_kind(PROMISE_FUND), toggle=True,
                            selected=not delivering),
                self.button((bx + q + s.gap, y, q, s.button_h), "Deliver it",
                            lambda: self.set_kind(PROMISE_DELIVER), toggle=True,
                            selected=delivering),
                self.button((bx + 2 * (q + s.gap), y, q, s.button_h), "Next project",
                            self.next_target, style="quiet"),
            ]
            if delivering:
                self.due_button = self.button((bx + 3 * (q + s.gap), y, q, s.button_h),
                                              f"Due: Q{self.promise_due}", self.cycle_due,
                                              style="quiet")
                self.promise_buttons.append(self.due_button)
        self.confirm = self.footer_row([("Confirm my moves", self.done, None)])[0]
        self.refresh()

    def entered(self) -> None:
        if self.auto_action is not None and self.timer is None:
            self.start_timer(self.auto_pace())

    def refresh(self) -> None:
        self.confirm.set_enabled(not self.problems())
        self.dirty = True

    def toggle(self, name: str) -> None:
        if name in self.chosen:
            self.chosen.remove(name)
        else:
            self.chosen.append(name)
        if name == "promise":
            self._fix_promise_target()
            self.rebuild()   # the promise form appears or goes
            return
        self.move_buttons[name].set_selected(name in self.chosen)
        self.refresh()

    def set_kind(self, kind: int) -> None:
        self.promise_kind = kind
        self._fix_promise_target()
        if kind == PROMISE_DELIVER:
            self.promise_due = max(self.promise_due, self.game.quarter + 1)
        self.rebuild()

    def next_target(self) -> None:
        t = self.targets()
        if t:
            i = t.index(self.promise_project) if self.promise_project in t else -1
            self.promise_project = t[(i + 1) % len(t)]
        self.refresh()

    def cycle_due(self) -> None:
        first, last = self.game.quarter + 1, self.game.game.quarters
        self.promise_due = first if self.promise_due >= last else self.promise_due + 1
        self.due_button.set_text(f"Due: Q{self.promise_due}")
        self.refresh()

    def on_timer(self) -> None:
        self.done()

    def done(self) -> None:
        if self.auto_action is None and self.problems():
            return
        self.commit(self.decision())

    # -- drawing -----------------------------------------------------------------------
    def paint(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BG)
        s = self.sizes
        g = self.game
        top = self.top_bar(surface, "Talk: relationship moves", self.role)
        colw = round((self.width - 5 * s.pad) * 0.58)
        attention = reading.attention(g)
        text.draw(surface, f"You have {attention} attention points this quarter. Pick your "
                  "moves:", (2 * s.pad, top), s.body, max_width=colw)
        bw = round(colw * 0.4)
        hx = 2 * s.pad + bw + s.pad
        hw = colw - bw - s.pad
        y = self.move_top
        for opt in self.options:
            cost = "free" if opt.cost == 0 else money(opt.cost)
            pts = f"{opt.attention} pt" + ("s" if opt.attention != 1 else "")
            blocked = bool(opt.problem) and opt.name not in self.chosen
            note = f"{pts}, {cost}: " + (f"not now, {opt.problem}" if blocked else opt.help)
            colour = theme.BAD_TEXT if blocked else theme.INK
            text.paragraph(surface, note, pygame.Rect(hx, y, hw, self.row_h - s.gap // 2),
                           s.small, colour, max_lines=2)
            y += self.row_h
        right = pygame.Rect(3 * s.pad + colw, top, self.width - 5 * s.pad - colw, 0)
        bottom = self.height - 3 * s.pad - s.button_h
        status_h = round(150 * s.scale)
        right.height = bottom - top - status_h - s.gap
        self.private_panel(surface, right, self.role)
        status = pygame.Rect(right.x, right.bottom + s.gap, right.width, status_h)
        if self.auto_action is not None:
            self.speech(surface, status, self.role, g.said[self.role], "Chooses these moves.")
            return
        inner = self.panel(surface, status)
        left = reading.attention_left(g, self.role, self.chosen)
        text.draw(surface, f"Attention left: {max(left, 0)} of {attention}", (inner.x, inner.y),
                  s.body, bold=True)
        text.draw(surface, f"Budget before the plan: {money(float(g.state.available[0]))}",
                  (inner.x, inner.y + text.line_height(s.body)), s.small, theme.MUTED)
        yy = inner.y + text.line_height(s.body) + text.line_height(s.small) + 4
        notes: list[Item] = [(p, theme.BAD_TEXT, False, False) for p in self.problems()]
        if "promise" in self.chosen:
            notes.insert(0, (self.promise_sentence(), theme.ROLE_TEXT[self.role], True, False))
        self.stack(surface, pygame.Rect(inner.x, yy, inner.width, inner.bottom - yy), notes,
                   s.small, gap=0)

    def promise_sentence(self) -> str:
        if not self.targets():
            return "Promise: no project fits; choose the other kind."
        title = self.game.scenario.projects[self.promise_project].title
        if self.promise_kind == PROMISE_FUND:
            return f"Promise: I will fund {title} next quarter."
        return f"Promise: I will deliver {title} by Q{self.promise_due}."


__all__ = ["EventScene", "TalkScene"]
