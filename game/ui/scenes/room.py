"""Joining a room (New game -> Join a room): the room's address and code, found on the
local network or typed from the projector, and who plays. The room fixes the scenario
and the seed; joining and finding rooms run on the worker, never on the UI thread."""

from __future__ import annotations

from concurrent.futures import Future
from functools import partial
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import UITextEntryLine

from game.engine.constants import CMO, CTO, ROLE_TITLES
from game.session.live import SOLO, WORKSHOP, GameConfig
from game.session.seats import AI, HUMAN, Seat, partners_for
from game.ui import text, theme
from game.ui.ports import Host
from game.ui.scene import Btn, Scene, call

if TYPE_CHECKING:
    from game.session.roomfind import Found
    from game.session.roomlink import RoomLink

MODES = ((WORKSHOP, "Workshop: two of us"), (SOLO, "Solo: with an AI partner"))
SHOW_FOUND = 4


class JoinRoomScene(Scene):
    """The room's address and code, the mode, and the players' names."""

    name = "join-room"

    def __init__(self, app: Host) -> None:
        super().__init__(app)
        from game.session.roomlink import last_credentials

        last = last_credentials()
        self.address = last.address.removeprefix("http://") if last else ""
        self.code = last.code if last else ""
        self.mode = last.mode if last and last.mode in (WORKSHOP, SOLO) else WORKSHOP
        self.role = CMO
        self.names = ["", ""]
        self.found: list[Found] = []
        self.looking = False
        self.joining = False
        self.message = ""
        self.message_bad = False
        self.fields: dict[str, UITextEntryLine] = {}
        self.join_button: Btn | None = None

    # -- layout ------------------------------------------------------------------------
    def _columns(self) -> tuple[int, int, int, int]:
        s = self.sizes
        x = 2 * s.pad
        w = round((self.width - 5 * s.pad) * 0.5)
        rx = x + w + s.pad
        return x, w, rx, self.width - rx - 2 * s.pad

    def build(self) -> None:
        s = self.sizes
        x, w, rx, rw = self._columns()
        lab = text.line_height(s.small) + s.gap // 2   # clear of a focused button's ring
        y = round(100 * s.scale)
        self.rows: dict[str, int] = {}
        self.fields = {}
        half = (w - s.gap) // 2
        self.rows["address"] = y
        self.rows["code"] = y
        y += lab
        self.fields["address"] = self.text_entry((x, y, half, s.button_h), self.address,
                                                 "e.g. 192.168.1.20:8765", 64)
        self.fields["code"] = self.text_entry(
            (x + half + s.gap, y, w - half - s.gap, s.button_h), self.code, "e.g. K7P2QX", 12)
        y += s.button_h + s.gap
        self.rows["mode"] = y
        y += lab
        self.mode_buttons = [
            self.button((x + i * (half + s.gap), y, half if i == 0 else w - half - s.gap,
                         s.button_h), label, partial(self.set_mode, m), toggle=True,
                        selected=self.mode == m)
            for i, (m, label) in enumerate(MODES)]
        y += s.button_h + s.gap
        if self.mode == WORKSHOP:
            for role in (CMO, CTO):
                self.rows[f"name{role}"] = y
                y += lab
                self.fields[f"name{role}"] = self.text_entry(
                    (x, y, w, s.button_h), self.names[role], f"{ROLE_TITLES[role]}'s name")
                y += s.button_h + s.gap
        else:
            self.rows["role"] = y
            y += lab
            self.role_buttons = [
                self.button((x + r * (half + s.gap), y, half if r == 0 else w - half - s.gap,
                             s.button_h), f"I play the {ROLE_TITLES[r]}",
                            partial(self.set_role, r), toggle=True, selected=self.role == r)
                for r in (CMO, CTO)]
            y += s.button_h + s.gap
            self.rows["name0"] = y
            y += lab
            self.fields["name0"] = self.text_entry((x, y, w, s.button_h), self.names[0],
                                                   "Your name")
            y += s.button_h + s.gap
        self.message_y = y
        # The rooms heard on the network, on the right.
        top = round(100 * s.scale)
        inner_x = rx + s.pad
        inner_w = rw - 2 * s.pad
        by = top + s.pad + text.line_height(s.h3) + s.gap
        self.button((inner_x, by, min(inner_w, round(220 * s.scale)), s.button_h),
                    "Looking…" if self.looking else "Find rooms", self.find, style="quiet",
                    enabled=not self.looking)
        by += s.button_h + s.gap
        self.found_y = by
        for f in self.found[:SHOW_FOUND]:
            self.button((inner_x, by, inner_w, s.button_h), f"{f.title} · {f.address}",
                        partial(self.pick, f), toggle=True,
                        selected=self.fields["address"].get_text().strip() == f.address)
            by += s.button_h + s.gap // 2
        self.after_found_y = by
        buttons = self.footer_row([("Back", self.back, None), ("Join the room", self.join, None)],
                                  enabled=[True, not self.joining])
        self.join_button = buttons[-1]

    # -- reading the form --------------------------------------------------------------
    def read(self) -> None:
        f = self.fields
        if "address" in f:
            self.address = f["address"].get_text().strip()
            self.code = f["code"].get_text().strip().upper()
        for role in (CMO, CTO):
            if f"name{role}" in f:
                self.names[role] = f[f"name{role}"].get_text().strip()

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame_gui.UI_TEXT_ENTRY_CHANGED:
            self.read()
        super().handle(event)

    def on_text_done(self) -> None:
        self.read()

    def set_mode(self, m: str) -> None:
        self.read()
        self.mode = m
        self.rebuild()

    def set_role(self, r: int) -> None:
        self.role = r
        for k, b in enumerate(self.role_buttons):
            b.set_selected(k == r)

    def back(self) -> None:
        self.app.nav.new_game()

    def on_escape(self) -> None:
        self.back()

    def say(self, message: str, bad: bool = False) -> None:
        self.message = message
        self.message_bad = bad
        self.dirty = True

    # -- finding rooms -----------------------------------------------------------------
    def find(self) -> None:
        """Listen for rooms on the worker (it takes a second or two)."""
        from game.session.roomfind import browse

        self.read()
        self.looking = True
        self.say("Looking for rooms on this network…")
        self.rebuild()
        self.app.tasks.then(self.app.tasks.submit(browse), self.heard)

    def heard(self, fut: Future[list[Found]]) -> None:
        self.looking = False
        e = fut.exception()
        self.found = [] if e is not None else fut.result()
        if self.found:
            if not self.address:
                self.address = self.found[0].address
            n = len(self.found)
            self.say(f"Found {n} room{'s' if n != 1 else ''}: pick yours, then type its code "
                     "from the projector.")
        else:
            self.say("No room answered on this network. Type the address shown on the "
                     "projector.")
        if self.app.scene is self:
            self.rebuild()

    def pick(self, f: Found) -> None:
        self.read()
        self.address = f.address
        self.rebuild()
        call(self.fields["code"], "focus")

    # -- joining -----------------------------------------------------------------------
    def seat_names(self) -> tuple[str, str]:
        if self.mode == WORKSHOP:
            return (self.names[CMO] or ROLE_TITLES[CMO], self.names[CTO] or ROLE_TITLES[CTO])
        me = self.names[0] or ROLE_TITLES[self.role]
        return (me, "AI partner") if self.role == CMO else ("AI partner", me)

    def join(self) -> None:
        from game.session.roomlink import RoomError, RoomLink, normalize_address

        self.read()
        try:
            address = normalize_address(self.address)
        except RoomError as e:
            self.say(str(e), bad=True)
            return
        if not self.code:
            self.say("Type the room's code (it is on the projector).", bad=True)
            return
        cmo, cto = self.seat_names()
        self.joining = True
        self.say(f"Joining the room at {address.removeprefix('http://')}…")
        self.rebuild()
        self.app.tasks.then(self.app.tasks.submit(RoomLink.join, address, self.code, cmo, cto,
                                                  self.mode), self.joined)

    def joined(self, fut: Future[RoomLink]) -> None:
        from game.session.roomlink import RoomError

        self.joining = False
        e = fut.exception()
        if e is not None:
            if isinstance(e, RoomError):
                self.say(str(e), bad=True)
            elif isinstance(e, OSError):
                self.say(f"Cannot keep the room's details on this laptop: {e.strerror or e}",
                         bad=True)
            else:
                raise e
            if self.app.scene is self:
                self.rebuild()
            return
        link = fut.result()
        self.app.nav.start_in_room(self.config(link), link)

    def config(self, link: RoomLink) -> GameConfig:
        """The game to play: the room's scenario and luck, these players."""
        cmo, cto = self.seat_names()
        if self.mode == WORKSHOP:
            return link.config_for((Seat(HUMAN, cmo), Seat(HUMAN, cto)), WORKSHOP)
        from game.session.live import load_config_scenario

        sc = load_config_scenario(link.creds.scenario)
        partners = partners_for(list(sc.ai.offered), sc.ai.personalities)
        me = Seat(HUMAN, self.names[0] or ROLE_TITLES[self.role])
        ai = Seat(AI, "", partners[0] if partners else "reciprocal", 2)
        return link.config_for((me, ai) if self.role == CMO else (ai, me), SOLO)

    # -- drawing -----------------------------------------------------------------------
    def paint(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BG)
        s = self.sizes
        self.header(surface, "Join a room",
                    "The facilitator's room sets the scenario; every pair plays the same luck.")
        x, w, rx, rw = self._columns()
        half = (w - s.gap) // 2
        labels = {"address": "Room address", "code": "Room code", "mode": "How will you play?",
                  "name0": f"{ROLE_TITLES[CMO]}'s name" if self.mode == WORKSHOP else "Your name",
                  "name1": f"{ROLE_TITLES[CTO]}'s name", "role": "Your role"}
        for key, y in self.rows.items():
            lx = x + half + s.gap if key == "code" else x
            lw = w - half - s.gap if key == "code" else (half if key == "address" else w)
            text.draw(surface, labels[key], (lx, y), s.small, theme.MUTED, bold=True,
                      max_width=lw)
        if self.message:
            bottom = self.height - 2 * s.pad - s.button_h
            r = pygame.Rect(x, self.message_y, w, max(0, bottom - self.message_y))
            text.paragraph(surface, self.message, r, s.body,
                           theme.BAD_TEXT if self.message_bad else theme.INK)
        top = round(100 * s.scale)
        panel = pygame.Rect(rx, top, rw, self.height - top - 3 * s.pad - s.button_h)
        self.panel(surface, panel, "Rooms on this network")
        y = self.after_found_y + s.gap
        more = len(self.found) - SHOW_FOUND
        if more > 0:
            text.draw(surface, f"+ {more} more", (rx + s.pad, y), s.small, theme.MUTED)
            y += text.line_height(s.small) + s.gap
        tip = ("Find rooms listens for a room on this network. If none answers (some networks "
               "do not let it), type the address and the code the projector shows.")
        inner = pygame.Rect(rx + s.pad, y, rw - 2 * s.pad, max(0, panel.bottom - s.pad - y))
        text.paragraph(surface, tip, inner, s.small, theme.MUTED)


__all__ = ["JoinRoomScene"]
