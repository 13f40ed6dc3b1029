"""Slow work off the UI thread: the AI's decision and the autosave's write.

A frame must stay short, so a window never freezes while the AI thinks or a save
is written. One worker thread runs the jobs in the order given (so a save is
written before the next decision starts), wakes the frame loop with an event
when one is done, and the loop hands the result back on the UI thread
(`poll`), so a callback may touch the game and the screens. Whoever submits a job
that touches the game must leave the game alone until it is done.

With `background=False` (the tests' driver) a job runs at once, inline, and its
future is already done when `submit` returns: the same results, in the same
order, without threads.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, TypeVar

import pygame

T = TypeVar("T")

WORKER_DONE = pygame.event.custom_type()   # wakes a blocked frame loop


def _wake(_: Future[Any]) -> None:
    """Runs on the worker thread; SDL's event queue takes events from any thread."""
    with contextlib.suppress(pygame.error):   # the display is closed: nobody waits
        pygame.event.post(pygame.event.Event(WORKER_DONE))


class Tasks:
    """A single worker thread (or none) and the callbacks due on the UI thread."""

    def __init__(self, background: bool = True) -> None:
        self.background = background
        self._pool: ThreadPoolExecutor | None = None
        self._then: list[tuple[Future[Any], Callable[[Future[Any]], None]]] = []

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Run fn(*args) on the worker (or now, inline); the future holds its result."""
        if not self.background:
            fut: Future[T] = Future()
            try:
                fut.set_result(fn(*args))
            except Exception as e:
                fut.set_exception(e)
            return fut
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sameteam-work")
        fut = self._pool.submit(fn, *args)
        fut.add_done_callback(_wake)
        return fut

    def then(self, fut: Future[T], callback: Callable[[Future[T]], None]) -> None:
        """Call callback(fut) on the UI thread, from `poll`, once fut is done."""
        self._then.append((fut, callback))

    def poll(self) -> None:
        """Run the callbacks whose jobs are done (called by the frame loop)."""
        if not self._then:
            return
        ready = [(f, cb) for f, cb in self._then if f.done()]
        if not ready:
            return
        self._then = [p for p in self._then if p not in ready]
        for f, cb in ready:
            cb(f)

    @property
    def waiting(self) -> bool:
        """Callbacks still waiting for their jobs."""
        return bool(self._then)

    def ready(self) -> bool:
        """A callback can run now."""
        return any(f.done() for f, _ in self._then)

    def settle(self, seconds: float) -> None:
        """Wait up to `seconds` for a pending job, giving the worker the interpreter: a
        loop that draws without pause (a fast demo) would otherwise starve it."""
        if self._then and not self.ready():
            wait([f for f, _ in self._then], timeout=seconds, return_when=FIRST_COMPLETED)

    def drain(self) -> None:
        """Wait for every job (before the window closes: the last autosave lands)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        self.poll()


__all__ = ["WORKER_DONE", "Tasks"]
