"""The role briefing (private, before quarter 1) and the quarter dashboard (public)."""

from __future__ import annotations

import pygame

from game.engine.constants import CMO, CTO, ROLE_TITLES, ROLES
from game.session import reading
from game.ui import charts, text, theme
from game.ui.flow import GameFlow
from game.ui.ports import Host
from game.ui.scenes.common import GameScene, money

ROLE_JOB = (
    "You own the brand, the campaigns and the demand that fills the pipeline. The board "
    "judges you on revenue growth, brand strength and new customers.",
    "You own the platform, its reliability and security, and the delivery of every "
    "project. The board judges you on uptime, security and what you ship.",
)
ROLE_TIPS = (
    "You see where demand is heading before anyone else. The CTO sees none of it unless "
    "you share it.",
    "You see the true technical debt, the security exposure and the outage risk. The CMO "
    "sees none of it unless you share it.",
)


class BriefingScene(GameScene):
    """A role's private briefing before the first quarter."""

    name = "briefing"

    def __init__(self, app: Host, flow: GameFlow, role: int) -> None:
        super().__init__(app, flow)
        self.role = role
        self.private_role = role

    def build(self) -> None:
        self.footer_row([("Start", self.commit, None)])

    def paint(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BG)
        s = self.sizes
        y = self.top_bar(surface, f"Your role: {ROLE_TITLES[self.role]}", self.role)
        sc = self.game.scenario
        bottom = self.height - 2 * s.pad - s.button_h
        left = pygame.Rect(2 * s.pad, y, (self.width - 5 * s.pad) // 2, bottom - y)
        right = pygame.Rect(left.right + s.pad, y, left.width, left.height)
        inner = self.panel(surface, left, sc.title)
        yy = inner.y
        yy += text.paragraph(surface, sc.summary, pygame.Rect(inner.x, yy, inner.width,
                             inner.bottom - yy), s.body) + s.gap
        text.draw(surface, "What this game is about", (inner.x, yy), s.body, bold=True)
        yy += text.line_height(s.body)
        for obj in sc.learning_objectives:
            yy += text.paragraph(surface, "• " + obj.text, pygame.Rect(
                inner.x, yy, inner.width, inner.bottom - yy), s.small, theme.MUTED) + 4
        inner = self.panel(surface, right, f"You are the {ROLE_TITLES[self.role]}",
                           theme.ROLE_TEXT[self.role])
        yy = inner.y
        yy += text.paragraph(surface, ROLE_JOB[self.role], pygame.Rect(
            inner.x, yy, inner.width, inner.bottom - yy), s.body) + s.gap
        yy += text.paragraph(surface, ROLE_TIPS[self.role], pygame.Rect(
            inner.x, yy, inner.width, inner.bottom - yy), s.body) + s.gap
        intel = getattr(sc.intel, ROLES[self.role])
        names = ", ".join(reading.SIGNAL_LABELS[n].lower() for n in intel.signals)
        yy += text.paragraph(surface, f"Your private signals: {names}.", pygame.Rect(
            inner.x, yy, inner.width, inner.bottom - yy), s.body, theme.ROLE_TEXT[self.role])
        yy += s.gap
        text.paragraph(surface, f"{sc.quarters} quarters. The board reviews you both every "
                       f"{sc.board.review_every} quarters; below {sc.board.threshold:.0%} "
                       "confidence you are replaced.", pygame.Rect(
                           inner.x, yy, inner.width, inner.bottom - yy), s.body, theme.MUTED)


class DashboardScene(GameScene):
    """Quarter start: the news, the company's numbers, both trust meters, the board."""

    name = "dashboard"

    def build(self) -> None:
        self.footer_row([("Continue", self.commit, None)])

    def entered(self) -> None:
        self.app.sound.play("quarter")
        if self.demo:
            self.auto_action = True
            self.start_timer(self.auto_pace())

    def on_timer(self) -> None:
        self.commit()

    def paint(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BG)
        s = self.sizes
        g = self.game
        y = self.top_bar(surface, "The quarter begins")
        bottom = self.height - 2 * s.pad - s.button_h
        news_w = round((self.width - 5 * s.pad) * 0.36)
        news_r = pygame.Rect(2 * s.pad, y, news_w, bottom - y)
        self.paint_news(surface, news_r)
        x0 = news_r.right + s.pad
        w = self.width - 2 * s.pad - x0
        k = reading.kpis(g)
        ser = reading.series(g)
        tile_h = round(118 * s.scale)
        tiles = [
            ("Revenue per quarter", money(k.revenue), f"{k.growth:+.1%} vs start", ser.revenue),
            ("Customers", f"{k.customers:.1f}k", "", ser.customers),
            ("Brand", f"{k.brand:.0%}", "", []),
            ("Reliability", f"{k.reliability:.0%}", "", []),
        ]
        weights = (1.5, 1.1, 0.8, 0.9)
        unit = (w - 3 * s.gap) / sum(weights)
        tx = x0
        for i, (label, value, sub, spark) in enumerate(tiles):
            tw = round(unit * weights[i])
            r = pygame.Rect(tx, y, tw, tile_h)
            tx += tw + s.gap
            inner = self.panel(surface, r)
            text.draw(surface, label, (inner.x, inner.y), s.small, theme.MUTED)
            text.draw(surface, value, (inner.x, inner.y + text.line_height(s.small)), s.h2,
                      theme.INK, bold=True, max_width=inner.width)
            yy = inner.y + text.line_height(s.small) + text.line_height(s.h2)
            if sub:
                col = theme.GOOD_TEXT if k.growth >= 0 else theme.BAD_TEXT
                text.draw(surface, sub, (inner.x, yy), s.small, col, max_width=inner.width)
            elif len(spark) > 1:
                charts.sparkline(surface, pygame.Rect(inner.x, yy + 4, inner.width,
                                 max(10, inner.bottom - yy - 4)), spark, theme.BLUE)
        y2 = y + tile_h + s.gap
        gauge_h = round(192 * s.scale)  # three label lines under the trust dials
        gr = pygame.Rect(x0, y2, w, gauge_h)
        inner = self.panel(surface, gr)
        prev = ser
        cw = inner.width // 5
        why = [text.fit(reading.main_cause(g, role), s.small, cw - s.pad) for role in (CMO, CTO)]
        dials: list[tuple[str, float, text.Colour, float | None, float | None]] = [
            (f"Trust\nCMO → CTO\n{why[CMO]}", k.trust[CMO], theme.CMO_COLOUR, None,
             _delta(prev.trust_cmo)),
            (f"Trust\nCTO → CMO\n{why[CTO]}", k.trust[CTO], theme.CTO_COLOUR, None,
             _delta(prev.trust_cto)),
            ("Shared\nownership", k.ownership, theme.GREEN, None, _delta(prev.ownership)),
            ("Board\nCMO", k.board[CMO], theme.CMO_COLOUR, k.threshold, _delta(prev.board_cmo)),
            ("Board\nCTO", k.board[CTO], theme.CTO_COLOUR, k.threshold, _delta(prev.board_cto)),
        ]
        cw = inner.width // len(dials)
        radius = min(cw // 2 - s.pad, round(inner.height - 2 * text.line_height(s.small)
                                                  - s.gap))
        for i, (dl, dv, colour, thr, delta) in enumerate(dials):
            cx = inner.x + cw * i + cw // 2
            charts.gauge(surface, (cx, inner.y + radius + s.gap // 2), radius, dv, colour,
                         label=dl, size=s.small, threshold=thr, delta=delta)
        y3 = y2 + gauge_h + s.gap
        low = pygame.Rect(x0, y3, w, bottom - y3)
        half = (w - s.gap) // 2
        self.paint_budget(surface, pygame.Rect(low.x, low.y, half, low.height), k)
        self.paint_work(surface, pygame.Rect(low.x + half + s.gap, low.y, half, low.height))

    def paint_news(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        s = self.sizes
        inner = self.panel(surface, rect, "News")
        y = inner.y
        items = reading.news(self.game)
        if not items:
            text.paragraph(surface, "A quiet quarter: no news.", inner, s.body, theme.MUTED)
        lh = text.line_height(s.small)
        for i, item in enumerate(items):
            after = lh if i < len(items) - 1 else 0    # room kept for '+ n more'
            if y > inner.bottom - text.line_height(s.body) - after:
                text.more(surface, [f"{it.title}: {it.text}" for it in items[i:]], (inner.x, y),
                          s.small, max_width=inner.width)
                break
            y += text.paragraph(surface, item.title, pygame.Rect(inner.x, y, inner.width,
                                inner.bottom - y - after), s.body, bold=True)
            y += text.paragraph(surface, item.text, pygame.Rect(inner.x, y, inner.width,
                                inner.bottom - y - after), s.small, theme.MUTED)
            if item.outcome and y < inner.bottom - lh - after:
                y += text.paragraph(surface, item.outcome, pygame.Rect(
                    inner.x, y, inner.width, inner.bottom - y - after), s.small, theme.BLUE)
            y += s.gap

    def paint_budget(self, surface: pygame.Surface, rect: pygame.Rect,
                     k: reading.Kpis) -> None:
        s = self.sizes
        inner = self.panel(surface, rect, "This quarter's budget")
        y = inner.y
        text.draw(surface, f"The CEO grants {money(k.grant)}", (inner.x, y), s.body, bold=True)
        y += text.line_height(s.body)
        if k.liaison:
            text.draw(surface, "A liaison's salary is paid first", (inner.x, y), s.small,
                      theme.MUTED, max_width=inner.width)
            y += text.line_height(s.small)
        y += s.gap // 2
        text.draw(surface, "Promises on the table", (inner.x, y), s.body, bold=True)
        y += text.line_height(s.body)
        proms = reading.promises(self.game) or ["None open"]
        self.stack(surface, pygame.Rect(inner.x, y, inner.width, inner.bottom - y),
                   [(p, theme.MUTED, False, False) for p in proms], s.small, gap=0)

    def paint_work(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        s = self.sizes
        inner = self.panel(surface, rect, "Projects under way")
        y = inner.y
        rows = reading.running(self.game)
        if not rows:
            text.draw(surface, "None yet", (inner.x, y), s.small, theme.MUTED)
        lh = text.line_height(s.small)
        for i, (title, owner, progress, duration) in enumerate(rows):
            if y + lh > inner.bottom - (lh if i < len(rows) - 1 else 0):
                text.more(surface, [f"{t} ({o})" for t, o, *_ in rows[i:]], (inner.x, y),
                          s.small, max_width=inner.width)
                break
            label = f"{title} ({owner})"
            text.draw(surface, label, (inner.x, y), s.small, theme.INK,
                      max_width=inner.width - round(90 * s.scale))
            text.draw(surface, f"{min(progress / duration, 1):.0%}", (inner.right, y), s.small,
                      theme.MUTED, align="right")
            y += text.line_height(s.small) + 2


def _delta(series: list[float]) -> float | None:
    return series[-1] - series[-2] if len(series) >= 2 else None


__all__ = ["BriefingScene", "DashboardScene"]
