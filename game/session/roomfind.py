"""Finding a room on the local network (zeroconf / mDNS), so a pair need not type an address.

A room advertises itself as ``_sameteam._tcp.local.`` with its title and how long its code
is (never the code itself, never the facilitator's key: the code is what the projector
shows the people in the room). Both sides fail soft: a network without multicast, or no
network at all, means nothing is found and the room still runs; a log line says why.
zeroconf is imported only when asked.
"""

from __future__ import annotations

import logging
import socket
import time
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)

SERVICE = "_sameteam._tcp.local."


@dataclass(frozen=True)
class Found:
    """A room heard on the network: what its projector calls it, and where it is."""

    title: str
    address: str          # host:port, as the join screen takes it
    code_length: int = 0


class Handle(Protocol):
    def close(self) -> None: ...


class _Nothing:
    """The handle of an advertisement that could not be made."""

    def close(self) -> None:
        return None


class _Advert:
    def __init__(self, zc: Any, info: Any) -> None:
        self._zc = zc
        self._info = info

    def close(self) -> None:
        try:
            self._zc.unregister_service(self._info)
        except Exception as e:   # closing must never fail a room's shutdown
            log.info("room advertisement: unregister failed (%s)", e)
        finally:
            self._zc.close()


def lan_address() -> str:
    """This machine's address on its local network (no packet is sent), else 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def advertise(port: int, code: str, title: str, host: str | None = None) -> Handle:
    """Announce the room on the local network until the handle is closed."""
    try:
        from zeroconf import ServiceInfo, Zeroconf

        ip = host or lan_address()
        name = "".join(c for c in title if c.isalnum() or c in " -_")[:40].strip() or "Room"
        info = ServiceInfo(
            SERVICE, f"{name} {port}.{SERVICE}", port=port,
            addresses=[socket.inet_aton(ip)],
            properties={"title": title[:200], "code_length": str(len(code))},
            server=f"sameteam-{port}.local.")
        zc = Zeroconf()
        try:
            zc.register_service(info, allow_name_change=True)
        except Exception:
            zc.close()
            raise
        return _Advert(zc, info)
    except Exception as e:   # no network, no multicast, a missing package: the room runs
        log.warning("the room is not advertised on the local network (%s: %s); pairs type "
                    "its address", type(e).__name__, e)
        return _Nothing()


def browse(timeout: float = 1.5) -> list[Found]:
    """The rooms that answer on the local network within `timeout` seconds."""
    try:
        from zeroconf import ServiceBrowser, ServiceStateChange, Zeroconf
    except ImportError as e:
        log.warning("cannot look for rooms: %s", e)
        return []
    names: list[str] = []

    def seen(zeroconf: Any, service_type: str, name: str,
             state_change: ServiceStateChange) -> None:
        if state_change is ServiceStateChange.Added and name not in names:
            names.append(name)

    try:
        zc = Zeroconf()
    except Exception as e:
        log.warning("cannot look for rooms on this network (%s: %s)", type(e).__name__, e)
        return []
    found: list[Found] = []
    try:
        ServiceBrowser(zc, SERVICE, handlers=[seen])
        time.sleep(timeout)
        for name in list(names):
            info = zc.get_service_info(SERVICE, name, timeout=500)
            if info is None or not info.parsed_addresses():
                continue
            props = {k.decode(errors="replace"): (v or b"").decode(errors="replace")
                     for k, v in info.properties.items()}
            ip = info.parsed_addresses()[0]
            shown = f"[{ip}]" if ":" in ip else ip
            try:
                length = int(props.get("code_length", "0"))
            except ValueError:
                length = 0
            found.append(Found(props.get("title", name.split(".")[0]), f"{shown}:{info.port}",
                               length))
    except Exception as e:
        log.warning("looking for rooms failed (%s: %s)", type(e).__name__, e)
    finally:
        zc.close()
    return sorted(set(found), key=lambda f: (f.title, f.address))


__all__ = ["SERVICE", "Found", "Handle", "advertise", "browse", "lan_address"]
