"""The event-driven loop: an untouched window draws nothing and blocks; input, a
timer or a toast brings frames back."""

from __future__ import annotations

import threading
import time

import pygame

from game.ui.scenes.title import TitleScene
from game.ui.testing import Driver


def test_an_untouched_title_draws_no_frames(drv: Driver) -> None:
    app = drv.app
    drv.start(TitleScene(app))
    drv.frame(2)
    assert app.due_in(time.monotonic()) > 0          # nothing is due: the loop may block
    before = app.frames
    t0 = time.monotonic()
    app.wait(until=t0 + 0.3)
    assert time.monotonic() - t0 >= 0.25             # it blocked, it did not spin
    assert app.frames == before


def test_input_wakes_the_loop_and_is_handled(drv: Driver) -> None:
    app = drv.app
    drv.start(TitleScene(app))
    drv.frame(2)

    def later() -> None:
        time.sleep(0.1)
        pygame.event.post(pygame.event.Event(pygame.QUIT))

    threading.Thread(target=later).start()
    t0 = time.monotonic()
    scene = app.scene
    assert scene is not None
    assert app.run(scene) == 0
    assert time.monotonic() - t0 < 5
    assert not app.running


def test_a_toast_is_due_when_it_runs_out(drv: Driver) -> None:
    app = drv.app
    drv.start(TitleScene(app))
    drv.frame(2)
    app.notify("hello", seconds=0.2)
    drv.frame(1)
    assert 0 < app.due_in(time.monotonic()) <= 0.2
    time.sleep(0.25)
    assert app.due_in(time.monotonic()) == 0
    drv.frame(1)
    assert app.toast == ""
