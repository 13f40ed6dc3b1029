"""The room's HTTP face: the games' API, the projector's stream and pages (Starlette).

Starlette (ASGI, run by uvicorn) because the room needs little: a handful of JSON
routes, a server-sent event stream for the projector (one-way, plain HTTP, reconnects by
itself in every browser; websockets would add a second protocol for nothing the page
sends back) and two pages. Blocking work (the replay, the database) runs in a worker
thread, so one pair's slow post never stalls the projector. Every error a client sees
is JSON {"error": "..."} with its status; no traceback ever leaves the server.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from game.room.service import Room, RoomError, protocol_mismatch
from game.room.store import StoreError
from game.room.verify import one_line
from game.session.roomwire import MAX_RECORD_BYTES, PROTOCOL, JoinRequest, RecordPost

log = logging.getLogger("sameteam.room")

PING_EVERY = 15.0
"""Seconds between the stream's keep-alive comments (proxies and sleepy Wi-Fi drop a
silent connection)."""
STREAM_GAP = 0.1
"""The least time between two views on the stream: a burst of posts becomes one view,
and the projector is still well under a second behind."""
MAX_SMALL_BODY = 64 * 1024
"""Joins and controls are small; only a record may be large."""


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


class _TooLarge(Exception):
    pass


async def _body(request: Request, most: int) -> bytes:
    """The request's body, refused (413) past `most` bytes: by its Content-Length before
    reading, and while reading, for a client that sends more than it announced."""
    length = request.headers.get("content-length")
    if length is not None:
        try:
            if int(length) > most:
                raise _TooLarge
        except ValueError:
            raise RoomError(400, "Content-Length is not a number") from None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > most:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


M = TypeVar("M", bound=BaseModel)


def _parse(model: type[M], raw: bytes) -> M:
    try:
        data = json.loads(raw)
    except ValueError as e:
        raise RoomError(400, f"the body is not JSON: {one_line(str(e), 120)}") from None
    if isinstance(data, dict) and "protocol" in data and data["protocol"] != PROTOCOL:
        raise RoomError(400, protocol_mismatch(data["protocol"]))
    try:
        return model.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ())) or "body"
        more = len(e.errors()) - 1
        rest = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
        raise RoomError(422, f"{where}: {one_line(str(first.get('msg', '')), 160)}{rest}"
                        ) from None


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def create_app(room: Room, *, admin_key: str, join_url: str = "") -> Starlette:
    """The room's web app over `room`. `join_url` is the address pairs type (shown on the
    projector and in its QR code); by default the address the request came to."""
    if not room.is_admin(admin_key):
        raise ValueError("the facilitator's key is not this room's")

    def join_address(request: Request) -> str:
        return join_url or str(request.base_url).rstrip("/")

    def admin(request: Request) -> None:
        if not room.is_admin(_bearer(request)):
            raise RoomError(401, "the facilitator's key is missing or wrong (it is in the "
                                 "projector address `sameteam room` printed)")

    async def join(request: Request) -> Response:
        req = _parse(JoinRequest, await _body(request, MAX_SMALL_BODY))
        reply = await run_in_threadpool(room.join, req)
        return JSONResponse(reply.model_dump())

    async def record(request: Request) -> Response:
        pair = request.path_params["pair"]
        room.authorize(pair, _bearer(request))   # no token, no reading a 4 MB body
        body = _parse(RecordPost, await _body(request, MAX_RECORD_BYTES))
        reply = await run_in_threadpool(room.post, pair, _bearer(request), body)
        return JSONResponse(reply.model_dump())

    async def commands(request: Request) -> Response:
        room.authorize(request.path_params["pair"], _bearer(request))
        return JSONResponse(room.commands().model_dump())

    async def view(request: Request) -> Response:
        return Response(room.view_json(), media_type="application/json",
                        headers={"Cache-Control": "no-store"})

    async def stream(request: Request) -> Response:
        async def events() -> AsyncIterator[str]:
            version = room.version
            yield f"data: {room.view_json()}\n\n"
            sent = time.monotonic()
            while True:
                if await room.changed(version, PING_EVERY):
                    wait = STREAM_GAP - (time.monotonic() - sent)
                    if wait > 0:
                        await asyncio.sleep(wait)
                    version = room.version
                    yield f"data: {room.view_json()}\n\n"
                    sent = time.monotonic()
                else:
                    yield ": ping\n\n"

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store",
                                          "X-Accel-Buffering": "no"})

    async def control(request: Request) -> Response:
        admin(request)
        raw = await _body(request, MAX_SMALL_BODY)
        try:
            data = json.loads(raw)
        except ValueError:
            raise RoomError(400, "the body is not JSON") from None
        if not isinstance(data, dict) or not isinstance(data.get("action"), str):
            raise RoomError(400, 'send {"action": "open"|"close"|"pause"|"resume"|"event"|'
                                 '"timer"|"end", ...}')
        label = data.get("label")
        event = data.get("event")
        after = await run_in_threadpool(
            room.control, data["action"], event if isinstance(event, str) else None,
            data.get("seconds"), label if isinstance(label, str) else None)
        return JSONResponse(after.model_dump())

    async def qr(request: Request) -> Response:
        import io

        import segno

        out = io.BytesIO()
        segno.make(join_address(request), error="m").save(out, kind="svg", scale=8, border=2)
        return Response(out.getvalue(), media_type="image/svg+xml")

    async def projector(request: Request) -> Response:
        from game.room import pages

        is_admin = room.is_admin(request.query_params.get("key"))
        html = await run_in_threadpool(pages.projector_page, room.view(), is_admin,
                                       join_address(request))
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    def _report(render: Callable[[Any], str]) -> str:
        """The room's debrief as `render` writes it (matplotlib is loaded only when the
        debrief is asked for, not when the room starts)."""
        from game.room import debrief

        return render(debrief.build_report(room.scenario, room.row.seed, room.pair_views(),
                                           room.row.title, room.row.code))

    async def debrief_page(request: Request) -> Response:
        from game.room import debrief

        html = await run_in_threadpool(_report, debrief.report_html)
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    async def export_csv(request: Request) -> Response:
        from game.room import debrief

        text = await run_in_threadpool(_report, debrief.report_csv)
        name = f"room-{room.row.code}.csv"
        return Response(text, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    async def room_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RoomError)
        extra = {"held": exc.held} if exc.held is not None else {}
        return _error(exc.status, exc.message, **extra)

    async def too_large(request: Request, exc: Exception) -> Response:
        most = MAX_RECORD_BYTES if request.url.path.endswith("/record") else MAX_SMALL_BODY
        return _error(413, f"the body is larger than the room takes ({most:,} bytes)")

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = {404: f"nothing at {one_line(request.url.path, 80)}",
                   405: f"{request.method} is not used at {one_line(request.url.path, 80)}"
                   }.get(exc.status_code, str(exc.detail))
        return _error(exc.status_code, message)

    async def store_error(request: Request, exc: Exception) -> Response:
        log.error("the room's database failed: %s", exc)
        return _error(503, "the room cannot save right now (its database failed); the game "
                           "keeps its record and sends it again")

    async def gone(request: Request, exc: Exception) -> Response:
        return Response(status_code=400)   # the client left mid-body: nobody reads this

    async def internal(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error at %s", request.url.path)
        return _error(500, "the room failed on this request (its log says why)")

    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        RoomError: room_error, _TooLarge: too_large, HTTPException: http_error,
        StoreError: store_error, SQLAlchemyError: store_error, ClientDisconnect: gone,
        Exception: internal}
    routes = [
        Route("/", projector, methods=["GET"]),
        Route("/debrief", debrief_page, methods=["GET"]),
        Route("/export.csv", export_csv, methods=["GET"]),
        Route("/qr.svg", qr, methods=["GET"]),
        Route("/api/join", join, methods=["POST"]),
        Route("/api/pairs/{pair}/record", record, methods=["POST"]),
        Route("/api/pairs/{pair}/commands", commands, methods=["GET"]),
        Route("/api/room", view, methods=["GET"]),
        Route("/api/room/stream", stream, methods=["GET"]),
        Route("/api/control", control, methods=["POST"]),
    ]
    app = Starlette(routes=routes, exception_handlers=handlers)
    app.state.room = room
    app.state.admin_key = admin_key
    return app


__all__ = ["MAX_SMALL_BODY", "PING_EVERY", "STREAM_GAP", "create_app"]
