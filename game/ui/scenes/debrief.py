"""The final debrief: the numbers, the trust dividend, the key moments, the questions.

Four pages (keys 1-4), each exportable to PNG with the whole history as JSON.
"""

from __future__ import annotations

import json
import time
from functools import partial
from pathlib import Path

import pygame

from game.engine.constants import CMO, CTO, ROLE_TITLES
from game.session import debrief as debrief_data
from game.session import reading
from game.session.files import atomic_write_text
from game.session.saves import data_dir, write_problem
from game.session.timeline import BAD, GOOD
from game.ui import charts, text, theme
from game.ui.flow import GameFlow
from game.ui.ports import Host
from game.ui.scene import Btn
from game.ui.scenes.common import GameScene, money

PAGES = ("The game in numbers", "The trust dividend", "Key moments", "Discussion")
SLUGS = ("numbers", "dividend", "moments", "discussion")


class DebriefScene(GameScene):
    name = "debrief"

    def __init__(self, app: Host, flow: GameFlow,
                 counter: debrief_data.Counterfactual | None = None, *,
                 computed: bool = False) -> None:
        """`counter`: the counterfactual bands when the router had the worker compute
        them (`computed`); otherwise they are computed here."""
        super().__init__(app, flow)
        self.page = 0
        self.res = reading.final_results(self.game)
        self.counter = counter if computed else debrief_data.counterfactuals(self.game)
        self.page_buttons: list[Btn] = []
        self.exported: Path | None = None
        self.demo_pages = 0
        self.q_first = 0   # the first discussion question shown (the page scrolls)
        self.date = time.strftime("%d %b %Y")
        self.pair = debrief_data.pair_line(self.game, self.date)
        self.pair_asks = debrief_data.pair_questions(self.game)

    def build(self) -> None:
        s = self.sizes
        y = round(58 * s.scale) + s.pad
        x = 2 * s.pad
        self.page_buttons = []
        for i, title in enumerate(PAGES):
            label = f"{i + 1}. {title}"
            w = text.width_of(label, s.small, True) + 2 * s.pad
            b = self.button((x, y, w, s.button_h), label, partial(self.show, i), hotkey=i + 1,
                            toggle=True, selected=i == self.page)
            self.page_buttons.append(b)
            x += w + s.gap
        if self.page == 3:
            self.build_question_controls()
        self.footer_row([("Export", self.export, None), ("Title", self.to_title, None)])

    def entered(self) -> None:
        if self.demo and self.timer is None:
            self.auto_action = True
            self.start_timer(self.auto_pace())

    def show(self, i: int) -> None:
        changed = (i == 3) != (self.page == 3)   # the discussion page has its own controls
        self.page = i
        self.name = "debrief" if i == 0 else f"debrief-{SLUGS[i]}"
        for k, b in enumerate(self.page_buttons):
            b.set_selected(k == i)
        if changed and self.app.scene is self:
            self.rebuild()
        self.dirty = True

    def on_timer(self) -> None:
        """The demo pages through the debrief, then ends."""
        if self.page < len(PAGES) - 1:
            self.show(self.page + 1)
            self.start_timer(self.auto_pace())
        else:
            self.app.quit(0)

    def to_title(self) -> None:
        self.app.nav.quit_game()

    def on_escape(self) -> None:
        self.to_title()

    def export(self) -> None:
        folder = data_dir() / "exports" / time.strftime("%Y%m%d-%H%M%S")
        try:
            self.exported = export(self, folder)
        except (OSError, pygame.error) as e:
            # pygame reports a failed PNG write as its own error, not an OSError
            message = (write_problem(e, folder) if isinstance(e, OSError)
                       else f"Could not write to {folder}: {e}; the game goes on.")
            self.app.notify(message, 8.0)
            self.dirty = True
            return
        self.app.notify(f"Saved to {self.exported}", 6.0)

    # -- drawing -----------------------------------------------------------------------
    def paint(self, surface: pygame.Surface) -> None:
        self.paint_page(surface, self.page)

    def paint_page(self, surface: pygame.Surface, page: int) -> None:
        surface.fill(theme.BG)
        g = self.game
        sub = "" if g.done else f" (ended after Q{reading.closed_quarters(g)})"
        top = self.top_bar(surface, f"Debrief: {PAGES[page]}{sub}")
        s = self.sizes
        # Who, which scenario, when: beside the buttons here, alone on an exported page.
        foot = self.height - s.pad - s.button_h + (s.button_h - text.line_height(s.small)) // 2
        text.draw(surface, self.pair, (2 * s.pad, foot), s.small, theme.MUTED,
                  max_width=self.width - 6 * s.pad - 2 * round(150 * s.scale))
        top += s.button_h + s.pad
        if page == 0 and self.counter is not None:
            top += text.paragraph(surface, debrief_data.headline(self.counter), pygame.Rect(
                2 * s.pad, top, self.width - 4 * s.pad, 3 * text.line_height(s.body)), s.body,
                theme.INK, bold=True, max_lines=2) + s.gap
        area = pygame.Rect(2 * s.pad, top, self.width - 4 * s.pad,
                           self.height - top - 3 * s.pad - s.button_h)
        (self.page_numbers, self.page_dividend, self.page_moments,
         self.page_questions)[page](surface, area)

    def page_numbers(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        s = self.sizes
        g = self.game
        r = self.res
        ser = reading.series(g)
        side = round(area.width * 0.3)
        charts_w = area.width - side - s.pad
        h = (area.height - s.gap) // 2
        charts.line_chart(surface, pygame.Rect(area.x, area.y, charts_w, h),
                          [("Revenue ($M per quarter)", ser.revenue, theme.BLUE)],
                          title="Revenue over time", fmt="{:.1f}", size=s.small,
                          quarters=g.game.quarters)
        charts.line_chart(surface, pygame.Rect(area.x, area.y + h + s.gap, charts_w, h),
                          [("CMO → CTO", ser.trust_cmo, theme.CMO_COLOUR),
                           ("CTO → CMO", ser.trust_cto, theme.CTO_COLOUR),
                           ("Shared ownership", ser.ownership, theme.GREEN)],
                          title="Trust both ways", y_min=0.0, y_max=1.0, size=s.small,
                          quarters=g.game.quarters)
        inner = self.panel(surface, pygame.Rect(area.right - side, area.y, side, area.height),
                           "Scores")
        rows = [
            ("Score", f"{float(r.score[0]):.0f} / 100"),
            ("Revenue growth", f"{float(r.growth[0]):+.1%}"),
            ("Revenue", money(float(r.revenue[0])) + "/qtr"),
            ("Customers", f"{float(r.customers[0]):.1f}k"),
            ("Trust CMO → CTO", f"{float(r.trust[0, CMO]):.0%}"),
            ("Trust CTO → CMO", f"{float(r.trust[0, CTO]):.0%}"),
            ("Shared ownership", f"{float(r.ownership[0]):.0%}"),
            ("Promises kept", f"{int(r.kept[0].sum())} of {int((r.kept + r.broken)[0].sum())}"),
            ("Projects ✔ ◐ ✖", " ".join(str(int(x)) for x in r.outcomes[0])),
            ("Go-arounds (found)", reading.goarounds_shown(g)),
            ("Replacements", f"CMO {int(r.replacements[0, 0])} · CTO {int(r.replacements[0, 1])}"),
            ("Deadlocks", str(int(r.deadlocks[0]))),
        ]
        y = inner.y
        lh = text.line_height(s.small) + 2
        for i, (label, value) in enumerate(rows):
            if y > inner.bottom - lh * (2 if i < len(rows) - 1 else 1):
                text.more(surface, [f"{n}: {v}" for n, v in rows[i:]], (inner.x, y), s.small,
                          max_width=inner.width)
                break
            text.draw(surface, label, (inner.x, y), s.small, theme.MUTED)
            text.draw(surface, value, (inner.right, y), s.small, theme.INK, bold=True,
                      align="right")
            y += lh

    def page_dividend(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        s = self.sizes
        g = self.game
        w = round(area.width * 0.56)
        inner = self.panel(surface, pygame.Rect(area.x, area.y, w, area.height),
                           "Where the growth came from")
        text.draw(surface, "Revenue change by source, as a share of starting revenue",
                  (inner.x, inner.y), s.small, theme.MUTED, max_width=inner.width)
        y = inner.y + text.line_height(s.small) + s.gap
        parts = reading.dividend_parts(g)
        charts.waterfall(surface, pygame.Rect(inner.x, y, inner.width, inner.bottom - y),
                         parts, size=s.small, total=float(self.res.growth[0]))
        right = pygame.Rect(area.x + w + s.pad, area.y, area.width - w - s.pad, area.height)
        inner = self.panel(surface, right, "The same game, other pairs")
        y = self.paint_bands(surface, inner)
        joint = dict(parts).get("Joint-project bonus", 0.0)
        friction = dict(parts).get("Losses to friction", 0.0)
        if inner.bottom - y - s.gap >= text.line_height(s.body):   # else: the waterfall has it
            text.paragraph(surface, f"Working jointly added {joint:+.1%}; friction between "
                           f"you cost {friction:+.1%}.", pygame.Rect(
                               inner.x, y + s.gap, inner.width, inner.bottom - y - s.gap),
                           s.body, theme.INK)

    def paint_bands(self, surface: pygame.Surface, inner: pygame.Rect) -> int:
        """The pair's growth against the bands of replays of their own game (p10 to p90,
        the median marked), all on one scale; returns the y below them."""
        s = self.sizes
        y = inner.y
        cf = self.counter
        if cf is None:
            return y + text.paragraph(surface, "No quarter closed yet: nothing to replay.",
                                      pygame.Rect(inner.x, y, inner.width,
                                                  inner.bottom - y), s.body, theme.MUTED)
        runs = cf.bands[0].runs if cf.bands else 0
        y += text.paragraph(surface, f"Your own luck, budgets and event choices, replayed "
                            f"{runs} times for each kind of pair; only how the two of you "
                            "treated each other differs:",
                            pygame.Rect(inner.x, y, inner.width, inner.bottom - y), s.small,
                            theme.MUTED) + s.gap
        ends = [cf.you, *(b.p10 for b in cf.bands), *(b.p90 for b in cf.bands)]
        lo, hi = min(0.0, *ends), max(0.01, *ends)
        bw = inner.width

        def x_of(value: float) -> int:
            return inner.x + round((value - lo) / (hi - lo) * bw)

        bar_h = round(18 * s.scale)
        line_w = max(2, round(3 * s.scale))
        you_x = x_of(cf.you)
        text.draw(surface, f"You: {cf.you:+.1%}", (inner.x, y), s.body, bold=True)
        y += text.line_height(s.body)
        pygame.draw.rect(surface, theme.BLUE, pygame.Rect(inner.x, y, max(3, you_x - inner.x),
                                                          bar_h), border_radius=4)
        y += bar_h + s.gap
        for band in cf.bands:
            colour = theme.GOOD if band.style == "cooperative" else theme.BAD
            y += text.paragraph(surface, f"{band.label}: {band.p10:+.1%} to {band.p90:+.1%}",
                                pygame.Rect(inner.x, y, bw, inner.bottom - y), s.body,
                                theme.INK, max_lines=2)
            pygame.draw.rect(surface, theme.FAINT, pygame.Rect(inner.x, y, bw, bar_h),
                             border_radius=4)
            left = x_of(band.p10)
            pygame.draw.rect(surface, colour, pygame.Rect(left, y, max(3, x_of(band.p90) - left),
                                                          bar_h), border_radius=4)
            mid = x_of(band.p50)
            pygame.draw.line(surface, theme.INK, (mid, y - line_w), (mid, y + bar_h + line_w),
                             line_w)
            pygame.draw.line(surface, theme.BLUE, (you_x, y - 2 * line_w),
                             (you_x, y + bar_h + 2 * line_w), line_w + 1)
            y += bar_h + 2 * line_w
            y += text.paragraph(surface, f"Median {band.p50:+.1%}; you beat {band.above:.0%} "
                                "of them", pygame.Rect(inner.x, y, bw, inner.bottom - y),
                                s.small, theme.MUTED, max_lines=2) + s.gap
        return y

    def page_moments(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        s = self.sizes
        g = self.game
        w = round(area.width * 0.6)
        inner = self.panel(surface, pygame.Rect(area.x, area.y, w, area.height),
                           "Key moments")
        y = inner.y
        keys = g.timeline.key_moments()
        if not keys:
            text.draw(surface, "A steady game: no turning points.", (inner.x, y), s.body,
                      theme.MUTED)
        for i, m in enumerate(keys):
            if y > inner.bottom - 2 * text.line_height(s.small) - text.line_height(s.body):
                text.more(surface, [f"Q{k.quarter}: {k.key or k.kind.capitalize()}: {k.text}"
                                    for k in keys[i:]], (inner.x, y), s.small,
                          max_width=inner.width)
                break
            colour = theme.GOOD_TEXT if m.tone == GOOD else theme.BAD_TEXT if m.tone == BAD \
                else theme.INK
            text.draw(surface, f"Q{m.quarter}", (inner.x, y), s.body, theme.MUTED, bold=True)
            qx = inner.x + text.width_of("Q00", s.body, True) + s.gap
            text.draw(surface, m.key or m.kind.capitalize(), (qx, y), s.body, colour, bold=True,
                      max_width=inner.right - qx)
            y += text.line_height(s.body)
            y += text.paragraph(surface, m.text, pygame.Rect(qx, y, inner.right - qx,
                                inner.bottom - y), s.small, theme.INK, max_lines=2) + s.gap // 2
        right = pygame.Rect(area.x + w + s.pad, area.y, area.width - w - s.pad, area.height)
        ph = round(right.height * 0.4)
        self.paint_trust(surface, pygame.Rect(right.x, right.y + ph + s.gap, right.width,
                                              right.height - ph - s.gap))
        right = pygame.Rect(right.x, right.y, right.width, ph)
        inner = self.panel(surface, right, "Promises")
        y = inner.y
        r = self.res
        for role in (CMO, CTO):
            text.draw(surface, f"{ROLE_TITLES[role]}: kept {int(r.kept[0, role])}, broke "
                      f"{int(r.broken[0, role])}", (inner.x, y), s.body,
                      theme.ROLE_TEXT[role], bold=True)
            y += text.line_height(s.body)
        y += s.gap
        self.stack(surface, pygame.Rect(inner.x, y, inner.width, inner.bottom - y),
                   [(f"Q{m.quarter}: {m.text}", theme.MUTED, False, False)
                    for m in g.moments if m.kind == "promise"], s.small, gap=0)

    def paint_trust(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """Why trust moved over the whole game: each direction's largest causes, both ways."""
        s = self.sizes
        inner = self.panel(surface, rect, "Why trust moved over the game")
        lh = text.line_height(s.small)
        y = inner.y
        changes = reading.game_trust_changes(self.game)
        room = max(1, (inner.height // lh - 2) // 2)
        for tc in changes:
            if y > inner.bottom - lh:
                break
            text.draw(surface, f"{ROLE_TITLES[tc.truster]} → {ROLE_TITLES[1 - tc.truster]}",
                      (inner.x, y), s.small, theme.ROLE_TEXT[tc.truster], bold=True)
            text.draw(surface, f"{tc.total:+.1%}", (inner.right, y), s.small, theme.INK,
                      bold=True, align="right")
            y += lh
            for label, value in tc.causes[:room]:
                if y > inner.bottom - lh:
                    break
                figure = f"{value:+.1%}"
                fw = text.width_of(figure, s.small, True)
                colour = theme.GOOD_TEXT if value > 0 else theme.BAD_TEXT
                text.draw(surface, figure, (inner.right, y), s.small, colour, bold=True,
                          align="right")
                text.draw(surface, label, (inner.x + s.pad, y), s.small, theme.INK,
                          max_width=inner.width - s.pad - fw - s.gap)
                y += lh

    def discussion_area(self) -> pygame.Rect:
        """The discussion page below the page buttons (as `paint_page` lays it out)."""
        s = self.sizes
        top = round(58 * s.scale) + s.pad + s.button_h + s.pad
        return pygame.Rect(2 * s.pad, top, self.width - 4 * s.pad,
                           self.height - top - 3 * s.pad - s.button_h)

    def own_questions_area(self) -> pygame.Rect:
        """The panel of questions about the pair's own game, left of the room's (none
        without them)."""
        full = self.discussion_area()
        w = round(full.width * 0.4) if self.pair_asks else 0
        return pygame.Rect(full.x, full.y, w, full.height)

    def questions_area(self) -> pygame.Rect:
        """The room's questions: the whole page, or right of the pair's own."""
        full = self.discussion_area()
        if not self.pair_asks:
            return full
        gap = self.sizes.pad
        w = self.own_questions_area().width + gap
        return pygame.Rect(full.x + w, full.y, full.width - w, full.height)

    def question_layout(self) -> tuple[pygame.Rect, int, list[tuple[int, int, int]], bool]:
        """Where the questions go from `q_first` on: the panel's inner rect, the column
        width, (question, x, y) for each that fits, and whether some are not shown (then
        a band at the bottom holds the caption and the scroll buttons)."""
        s = self.sizes
        sc = self.game.scenario
        area = self.questions_area()
        inner = area.inflate(-2 * s.pad, -2 * s.pad)
        dy = text.line_height(s.h3) + s.gap // 2
        inner = pygame.Rect(inner.x, inner.y + dy, inner.width, inner.height - dy)
        objectives = {o.id: o.text for o in sc.learning_objectives}
        qs = sc.debrief_questions

        def height(i: int, w: int) -> int:
            obj = objectives.get(qs[i].objective, "")
            return text.height_of(f"{i + 1}. {qs[i].text}", s.body, w, True) + (
                text.height_of(obj, s.small, w - 2 * s.pad) if obj else 0) + s.gap

        def place(rect: pygame.Rect, cols: int) -> tuple[int, list[tuple[int, int, int]]]:
            cw = (rect.width - (cols - 1) * 2 * s.pad) // cols
            out: list[tuple[int, int, int]] = []
            col, y = 0, rect.y
            for i in range(self.q_first, len(qs)):
                if y + height(i, cw) > rect.bottom and y > rect.y:
                    if col + 1 >= cols:
                        break
                    col, y = col + 1, rect.y
                out.append((i, rect.x + col * (cw + 2 * s.pad), y))
                y += height(i, cw)
            return cw, out

        # One column while they fit; two side by side when not; then they scroll.
        for cols in (1, 2):
            cw, out = place(inner, cols)
            if len(out) == len(qs) - self.q_first and self.q_first == 0:
                return inner, cw, out, False
        band = s.button_h + s.gap
        cw, out = place(pygame.Rect(inner.x, inner.y, inner.width, inner.height - band), 2)
        return inner, cw, out, True

    def question_scroll(self, n: int) -> None:
        """Move the first question shown by n (clamped) and lay the page out again."""
        total = len(self.game.scenario.debrief_questions)
        new = max(0, min(total - 1, self.q_first + n))
        if new != self.q_first:
            self.q_first = new
            self.rebuild()

    def build_question_controls(self) -> None:
        inner, _, out, scrolls = self.question_layout()
        if not scrolls:
            return
        s = self.sizes
        total = len(self.game.scenario.debrief_questions)
        below = total - (out[-1][0] + 1 if out else self.q_first)
        w = text.width_of(f"▼ {total} more", s.small, True) + 2 * s.pad
        y = inner.bottom - s.button_h
        step = max(1, len(out) - 1)
        for n, arrow, x, by in ((self.q_first, "▲", inner.right - 2 * w - s.gap, -step),
                                (below, "▼", inner.right - w, step)):
            if n:
                self.button((x, y, w, s.button_h), f"{arrow} {n} more",
                            partial(self.question_scroll, by), style="quiet")

    def on_key(self, event: pygame.event.Event) -> bool:
        if self.page == 3 and event.key in (pygame.K_PAGEDOWN, pygame.K_PAGEUP):
            self.question_scroll(1 if event.key == pygame.K_PAGEDOWN else -1)
            return True
        return False

    def handle(self, event: pygame.event.Event) -> None:
        if self.page == 3 and event.type == pygame.MOUSEWHEEL and not self.flow.paused:
            self.question_scroll(-int(event.y))
            return
        super().handle(event)

    def page_questions(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        s = self.sizes
        sc = self.game.scenario
        if self.pair_asks:
            inner = self.panel(surface, self.own_questions_area(), "About your game")
            self.stack(surface, inner, [(f"{i + 1}. {q}", theme.INK, True, False)
                                        for i, q in enumerate(self.pair_asks)], s.body)
        self.panel(surface, self.questions_area(), "Questions for the room")
        inner, cw, out, scrolls = self.question_layout()
        objectives = {o.id: o.text for o in sc.learning_objectives}
        qs = sc.debrief_questions
        bottom = inner.bottom - (s.button_h + s.gap if scrolls else 0)
        lh = text.line_height(s.small)
        for i, x, y in out:
            y += text.paragraph(surface, f"{i + 1}. {qs[i].text}", pygame.Rect(
                x, y, cw, bottom - y), s.body, theme.INK, bold=True)
            obj = objectives.get(qs[i].objective, "")
            if obj and y < bottom - lh:
                text.paragraph(surface, obj, pygame.Rect(x + 2 * s.pad, y, cw - 2 * s.pad,
                               bottom - y), s.small, theme.MUTED)
        if scrolls:
            band_y = inner.bottom - s.button_h
            pygame.draw.line(surface, theme.FAINT, (inner.x, band_y - s.gap // 2),
                             (inner.right, band_y - s.gap // 2), 2)
            first = out[0][0] + 1 if out else self.q_first + 1
            last = out[-1][0] + 1 if out else first
            label = f"Questions {first}–{last} of {len(qs)} · PgDn/PgUp or the wheel for more"
            text.draw(surface, label, (inner.x, band_y + (s.button_h - lh) // 2), s.small,
                      theme.MUTED, max_width=inner.width // 2)


def export(scene: DebriefScene, folder: Path) -> Path:
    """Every debrief page as a PNG and the full history as JSON, into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    surface = pygame.Surface(scene.app.screen.get_size())
    g = scene.game
    stem = f"{g.scenario.id}-{time.strftime('%Y%m%d')}"
    for i, slug in enumerate(SLUGS):
        scene.paint_page(surface, i)
        pygame.image.save(surface, str(folder / f"debrief-{i + 1}-{slug}-{stem}.png"))
    atomic_write_text(folder / "history.json", json.dumps(
        debrief_data.history(g, scene.counter, time.strftime("%Y-%m-%d")), indent=1))
    scene.dirty = True
    return folder


__all__ = ["DebriefScene", "export"]
