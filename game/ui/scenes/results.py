"""After the plan: execution results (public), aftermath choices (private), the board."""

from __future__ import annotations

from functools import partial

import numpy as np
import pygame

from game.engine.actions import Aftermath
from game.engine.constants import CMO, CTO, N_INCIDENTS, OWN, ROLE_TITLES, SHARE_CREDIT
from game.session import reading
from game.ui import charts, text, theme
from game.ui.flow import GameFlow
from game.ui.ports import Host
from game.ui.scene import Btn, Scroll, ScrollList
from game.ui.scenes.common import GameScene, effects_line, money

MARKS = {"Success": "✔", "Challenged": "◐", "Failed": "✖"}
RESULT_COLOURS = {"Success": theme.GOOD_TEXT, "Challenged": theme.MUTED, "Failed": theme.BAD_TEXT}


class ViewScene(GameScene):
    """A public screen acknowledged with Continue (automatic in the demo); an AI at the
    table says its piece here, beside the button, as a colleague in the room would."""

    def build(self) -> None:
        self.continue_btn = self.footer_row([("Continue", self.commit, None)])[0]

    def voices(self) -> list[tuple[int, str]]:
        """(role, words) of each AI seat that spoke up at this view."""
        g = self.game
        return [(r, " ".join(g.said[r])) for r in (CMO, CTO)
                if not g.is_human(r) and g.said[r]]

    def paint_voices(self, surface: pygame.Surface) -> None:
        s = self.sizes
        said = self.voices()
        if not said:
            return
        x = 2 * s.pad
        top = self.height - 3 * s.pad - s.button_h + s.pad   # below the panels
        rect = pygame.Rect(x, top, self.continue_btn.rect.x - s.pad - x,
                           self.height - s.pad // 2 - top)
        pygame.draw.rect(surface, theme.PANEL, rect.inflate(s.pad, 0), border_radius=8)
        per = rect.height // len(said)
        for i, (role, words) in enumerate(said):
            who = f"{self.flow.player_name(role)}: "
            ww = text.width_of(who, s.small, True)
            y = rect.y + i * per
            text.draw(surface, who, (rect.x, y), s.small, theme.ROLE_TEXT[role], bold=True)
            text.paragraph(surface, f"“{words}”", pygame.Rect(rect.x + ww, y, rect.width - ww,
                           per), s.small, theme.INK, max_lines=max(1, per // max(
                               text.line_height(s.small), 1)))

    def entered(self) -> None:
        if self.demo and self.timer is None:
            self.auto_action = True
            self.start_timer(self.auto_pace())

    def on_timer(self) -> None:
        self.commit()


class ResultsScene(ViewScene):
    """What execution brought: finished projects and why, incidents, revenue by source."""

    name = "results"

    def paint(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BG)
        s = self.sizes
        g = self.game
        top = self.top_bar(surface, "Results: what happened and why")
        bottom = self.height - 3 * s.pad - s.button_h
        colw = round((self.width - 5 * s.pad) * 0.56)
        trust_h = round((bottom - top) * 0.36)
        left = pygame.Rect(2 * s.pad, top, colw, bottom - top - trust_h - s.gap)
        self.paint_trust(surface, pygame.Rect(left.x, left.bottom + s.gap, colw, trust_h))
        inner = self.panel(surface, left, "Projects that finished")
        y = inner.y
        outs = reading.outcomes(g)
        if not outs:
            text.draw(surface, "Nothing finished this quarter.", (inner.x, y), s.body,
                      theme.MUTED)
            y += text.line_height(s.body)
        extra = reading.incidents(g) + [
            m.text for m in g.timeline.quarter(g.quarter)
            if m.kind in ("deal", "deadlock", "goaround", "promise", "freeze")]
        lh = text.line_height(s.small)
        for i, o in enumerate(outs):
            if y > inner.bottom - text.line_height(s.body) - 2 * lh:
                text.more(surface, [f"{x.title} ({x.owner}): {x.result}" for x in outs[i:]]
                          + extra, (inner.x, y), s.small, max_width=inner.width)
                extra = []
                y = inner.bottom
                break
            mark = MARKS.get(o.result, "")
            colour = RESULT_COLOURS.get(o.result, theme.INK)
            label = f"{mark} {o.result}"
            lw = text.width_of(label, s.body, True)
            text.draw(surface, label, (inner.right, y), s.body, colour, bold=True, align="right")
            text.draw(surface, f"{o.title} ({o.owner})", (inner.x, y), s.body, theme.INK,
                      max_width=inner.width - lw - s.gap)
            y += text.line_height(s.body)
            detail = effects_line(o.effects) if o.effects else "No effect"
            room = inner.bottom - y - (lh if (i < len(outs) - 1 or extra) else 0)
            y += text.paragraph(surface, f"{detail}. Why: {'; '.join(o.why)}.", pygame.Rect(
                inner.x + s.pad, y, inner.width - s.pad, room), s.small,
                theme.MUTED, max_lines=3) + s.gap // 2
        if extra:
            if y < inner.bottom - text.line_height(s.body) - lh:
                y += s.gap
                text.draw(surface, "Also this quarter", (inner.x, y), s.body, bold=True)
                y += text.line_height(s.body)
                self.stack(surface, pygame.Rect(inner.x, y, inner.width, inner.bottom - y),
                           [(line, theme.INK, False, False) for line in extra], s.small, gap=0)
            else:
                text.more(surface, extra, (inner.x, y), s.small, max_width=inner.width)
        right = pygame.Rect(left.right + s.pad, top, self.width - 3 * s.pad - left.right,
                            bottom - top)
        k = reading.kpis(g)
        change = reading.quarter_change(g)
        h1 = round(right.height * 0.66)
        inner = self.panel(surface, pygame.Rect(right.x, right.y, right.width, h1),
                           f"Revenue {money(k.revenue)} ({change:+.1%})")
        text.draw(surface, "Where this quarter's change came from", (inner.x, inner.y),
                  s.small, theme.MUTED, max_width=inner.width)
        parts = [(n, v) for n, v in reading.revenue_sources(g) if abs(v) >= 0.0005]
        top2 = inner.y + text.line_height(s.small) + 4
        charts.waterfall(surface, pygame.Rect(inner.x, top2, inner.width, inner.bottom - top2),
                         parts, total_label="This quarter", size=s.small, total=change)
        inner = self.panel(surface, pygame.Rect(right.x, right.y + h1 + s.gap, right.width,
                           right.height - h1 - s.gap), "Where the budget went")
        y = inner.y
        ledger = reading.ledger(g)
        for i, (name, value) in enumerate(ledger):
            if y > inner.bottom - text.line_height(s.small) * (2 if i < len(ledger) - 1 else 1):
                text.more(surface, [f"{n}: {money(v)}" for n, v in ledger[i:]], (inner.x, y),
                          s.small, max_width=inner.width)
                break
            text.draw(surface, name, (inner.x, y), s.small)
            text.draw(surface, money(value), (inner.right, y), s.small, bold=True, align="right")
            y += text.line_height(s.small)
        self.paint_voices(surface)


    def paint_trust(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """Why trust moved this quarter so far, each direction in its own column."""
        s = self.sizes
        inner = self.panel(surface, rect, "Why trust moved this quarter (so far)")
        half = (inner.width - 2 * s.pad) // 2
        lh = text.line_height(s.small)
        for i, tc in enumerate(reading.trust_changes(self.game)):
            x = inner.x + i * (half + 2 * s.pad)
            y = inner.y
            head = f"{ROLE_TITLES[tc.truster]} → {ROLE_TITLES[1 - tc.truster]}"
            text.draw(surface, head, (x, y), s.small, theme.ROLE_TEXT[tc.truster], bold=True,
                      max_width=half)
            text.draw(surface, f"{tc.total:+.1%}", (x + half, y), s.small, theme.INK,
                      bold=True, align="right")
            y += lh
            if not tc.causes:
                text.draw(surface, "No change yet.", (x, y), s.small, theme.MUTED,
                          max_width=half)
            for j, (label, value) in enumerate(tc.causes):
                if y > inner.bottom - lh * (2 if j < len(tc.causes) - 1 else 1):
                    text.more(surface, [f"{c}: {v:+.1%}" for c, v in tc.causes[j:]], (x, y),
                              s.small, max_width=half)
                    break
                colour = theme.GOOD_TEXT if value > 0 else theme.BAD_TEXT
                figure = f"{value:+.1%}"
                fw = text.width_of(figure, s.small, True)
                text.draw(surface, figure, (x + half, y), s.small, colour, bold=True,
                          align="right")
                text.draw(surface, label, (x, y), s.small, theme.INK,
                          max_width=half - fw - s.gap)
                y += lh


class AftermathScene(ScrollList, GameScene):
    """Answer for this quarter: own, blame circumstances, blame the other, deny; or credit."""

    name = "aftermath"

    def __init__(self, app: Host, flow: GameFlow, role: int, auto: object = None) -> None:
        super().__init__(app, flow)
        self.role = role
        self.private_role = role
        g = self.game
        self.items = reading.answer_items(g, role)
        self.answer = Aftermath(np.full((1, g.game.n_projects), OWN, dtype=np.int64),
                                np.full((1, N_INCIDENTS), OWN, dtype=np.int64))
        for it in self.items:
            if it.kind == "project" and it.success:
                self.answer.project[0, it.index] = SHARE_CREDIT
        if isinstance(auto, Aftermath):
            self.auto_action = auto
            self.answer = Aftermath(auto.project.copy(), auto.incident.copy())
        self.option_buttons: dict[int, list[Btn]] = {}   # by item, for the items shown
        self.scroll = Scroll()

    def choice(self, i: int) -> int:
        it = self.items[i]
        arr = self.answer.project if it.kind == "project" else self.answer.incident
        return int(arr[0, it.index])

    def set_choice(self, i: int, opt: int) -> None:
        it = self.items[i]
        arr = self.answer.project if it.kind == "project" else self.answer.incident
        arr[0, it.index] = opt
        for k, b in enumerate(self.option_buttons.get(i, [])):
            b.set_selected(k == opt)

    # -- layout: one item is its title line and a row of answer buttons ------------------
    def col_w(self) -> int:
        return round((self.width - 5 * self.sizes.pad) * 0.62)

    def list_top(self) -> int:
        s = self.sizes
        return round(58 * s.scale) + s.pad + text.line_height(s.body) + s.gap

    def list_bottom(self) -> int:
        s = self.sizes
        return self.height - 3 * s.pad - s.button_h

    def per_item(self) -> int:
        s = self.sizes
        return text.line_height(s.body) + s.gap // 2 + s.button_h + s.gap * 2

    def visible(self) -> int:
        """Items shown at once: all when they fit, else as many as leave room for the controls."""
        s = self.sizes
        room = self.list_bottom() - self.list_top()
        per = self.per_item()
        n = len(self.items)
        if n * per - 2 * s.gap <= room:    # the last item needs no space after it
            return max(n, 1)
        return max(1, (room + s.gap - self.strip_h()) // per)

    def strip_rect(self) -> pygame.Rect:
        """The caption and scroll controls, just under the last item shown."""
        s = self.sizes
        y = self.list_top() + self.scroll.page * self.per_item() - s.gap
        return pygame.Rect(2 * s.pad, y, self.col_w(), self.strip_h())

    def list_rect(self) -> pygame.Rect:
        s = self.sizes
        top = self.list_top()
        return pygame.Rect(2 * s.pad, top, self.col_w() + s.pad, self.list_bottom() - top)

    def build(self) -> None:
        s = self.sizes
        colw = self.col_w()
        self.scroll.fit(len(self.items), self.visible())
        y = self.list_top()
        self.option_buttons = {}
        n = 1
        for i in self.scroll.rows():
            it = self.items[i]
            y += text.line_height(s.body) + s.gap // 2
            k = len(it.options)
            w = (colw - (k - 1) * s.gap) // k
            row = []
            for o, label in enumerate(it.options):
                b = self.button((2 * s.pad + o * (w + s.gap), y, w, s.button_h),
                                label,
                                partial(self.set_choice, i, o), toggle=True,
                                selected=self.choice(i) == o, hotkey=n if n < 10 else None,
                                style="choice")
                b.ident = (i, o)
                row.append(b)
                n += 1
            self.option_buttons[i] = row
            y += s.button_h + s.gap * 2
        self.scroll_controls(self.controls_rect())
        self.footer_row([("Give my answers", self.done, None)])[0].ident = "submit"

    def entered(self) -> None:
        if self.auto_action is not None and self.timer is None:
            self.start_timer(self.auto_pace())

    def on_timer(self) -> None:
        self.done()

    def done(self) -> None:
        self.commit(self.answer)

    def paint(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BG)
        s = self.sizes
        top = self.top_bar(surface, "Aftermath: how do you answer?", self.role)
        colw = self.col_w()
        text.draw(surface, "The other side and the board will hear your answers.",
                  (2 * s.pad, top), s.body, theme.MUTED, max_width=colw)
        y = top + text.line_height(s.body) + s.gap
        if not self.items:
            text.paragraph(surface, "Nothing to answer for this quarter: no project of yours "
                           "finished and no incident is yours.", pygame.Rect(
                               2 * s.pad, y, colw, 200), s.body, theme.INK)
        for i in self.scroll.rows():
            it = self.items[i]
            text.draw(surface, f"{it.title}: {it.detail}", (2 * s.pad, y), s.body, bold=True,
                      max_width=colw)
            y += self.per_item()
        if self.scroll.active:
            self.paint_scroll(surface, "answers", self.list_top(), self.strip_rect().y - s.gap)
        right = pygame.Rect(3 * s.pad + colw, top, self.width - 5 * s.pad - colw,
                            self.height - 4 * s.pad - s.button_h - top)
        half = right.height // 2
        if self.auto_action is not None:
            self.speech(surface, pygame.Rect(right.x, right.y, right.width, half - s.gap),
                        self.role, self.game.said[self.role], "Gives these answers.")
        else:
            inner = self.panel(surface, pygame.Rect(right.x, right.y, right.width, half - s.gap),
                               "What answers do")
            text.paragraph(surface, "Owning a miss repairs trust best after a failure of "
                           "competence. Blaming the other may please the board this quarter "
                           "and costs trust and shared ownership. Sharing credit builds "
                           "goodwill; taking it pays you now.", inner, s.small, theme.MUTED)
        self.private_panel(surface, pygame.Rect(right.x, right.y + half, right.width, half),
                           self.role, notes=False)


class BoardScene(ViewScene):
    """The board's confidence in each executive; at a review, who stays."""

    name = "board"

    def paint(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BG)
        s = self.sizes
        g = self.game
        rep = reading.board_report(g)
        title = "Board review" if rep.review else "The board's mood"
        top = self.top_bar(surface, title)
        bottom = self.height - 3 * s.pad - s.button_h
        colw = round((self.width - 5 * s.pad) * 0.5)
        left = pygame.Rect(2 * s.pad, top, colw, bottom - top)
        inner = self.panel(surface, left, "Board confidence")
        radius = min(inner.width // 4 - s.pad, round(inner.height * 0.32))
        for role in (CMO, CTO):
            cx = inner.x + inner.width // 4 + role * inner.width // 2
            charts.gauge(surface, (cx, inner.y + radius + s.pad), radius, rep.confidence[role],
                         theme.ROLE_COLOURS[role], label=ROLE_TITLES[role], size=s.body,
                         threshold=rep.threshold, delta=rep.change[role])
        y = inner.y + radius + s.pad + 2 * text.line_height(s.body) + 2 * s.gap
        if rep.review:
            for role in (CMO, CTO):
                if rep.replaced[role]:
                    msg = (f"The board replaced the {ROLE_TITLES[role]}. A newcomer starts "
                           "with no history: trust begins again.")
                    colour = theme.BAD_TEXT
                else:
                    msg = f"The {ROLE_TITLES[role]} keeps the job."
                    colour = theme.GOOD_TEXT
                y += text.paragraph(surface, msg, pygame.Rect(inner.x, y, inner.width,
                                    inner.bottom - y), s.body, colour, bold=rep.replaced[role])
        else:
            y += text.paragraph(surface, f"Next review: end of Q{rep.next_review}. Below "
                                f"{rep.threshold:.0%} an executive is replaced.", pygame.Rect(
                                    inner.x, y, inner.width, inner.bottom - y), s.body,
                                theme.MUTED)
        right = pygame.Rect(left.right + s.pad, top, self.width - 3 * s.pad - left.right,
                            bottom - top)
        ser = reading.series(g)
        ch = round(right.height * 0.58)
        charts.line_chart(surface, pygame.Rect(right.x, right.y, right.width, ch),
                          [("CMO → CTO", ser.trust_cmo, theme.CMO_COLOUR),
                           ("CTO → CMO", ser.trust_cto, theme.CTO_COLOUR),
                           ("Shared ownership", ser.ownership, theme.GREEN)],
                          title="Trust both ways", y_min=0.0, y_max=1.0, size=s.small,
                          quarters=g.game.quarters)
        inner = self.panel(surface, pygame.Rect(right.x, right.y + ch + s.gap, right.width,
                           right.height - ch - s.gap), "What the board heard")
        yy = inner.y
        lines = [m.text for m in g.timeline.quarter(g.quarter)
                 if m.kind in ("aftermath", "deadlock", "replaced", "trust")] or [
                     "No blame, no claims: a quiet quarter."]
        self.stack(surface, pygame.Rect(inner.x, yy, inner.width, inner.bottom - yy),
                   [(line, theme.INK, False, False) for line in lines], s.small, gap=0)
        self.paint_voices(surface)


__all__ = ["AftermathScene", "BoardScene", "ResultsScene"]
