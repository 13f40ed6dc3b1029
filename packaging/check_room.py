"""Start a bundled (or installed) `sameteam room` and ask it for every page once.

The room's pages come from templates and its server loads parts by name, both easy for a
freezer to leave out; this runs the real command from outside the checkout and fails
unless the projector, the debrief, the CSV, the QR code and the API all answer.

    python packaging/check_room.py PATH_TO_SAMETEAM
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time

import httpx

PAGES = ("/api/room", "/", "/debrief", "/export.csv", "/qr.svg")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    exe = sys.argv[1] if len(sys.argv) > 1 else "sameteam"
    port = free_port()
    data = tempfile.mkdtemp()
    env = {**os.environ, "SAMETEAM_DATA_DIR": data}
    proc = subprocess.Popen([exe, "room", "--scenario", "first-quarter", "--host", "127.0.0.1",
                             "--port", str(port), "--no-advertise"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/api/room", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    print(proc.stdout.read() if proc.stdout else "", file=sys.stderr)
                    print("the room did not start", file=sys.stderr)
                    return 1
                time.sleep(0.3)
        code = httpx.get(base + "/api/room", timeout=5).json()["code"]
        for page in PAGES:
            r = httpx.get(base + page, timeout=30)
            if r.status_code != 200:
                print(f"{page}: HTTP {r.status_code} {r.text[:300]}", file=sys.stderr)
                return 1
            if page == "/" and code not in r.text:
                print("/: the projector page does not show the room's code", file=sys.stderr)
                return 1
        print(f"room {code} answered {len(PAGES)} pages on port {port}")
        return 0
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    sys.exit(main())
