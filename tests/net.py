"""Ports for servers that tests start in other processes (bots, ``shopbot sandbox``), safe with tests running in
parallel.

A server in the test's own process binds port 0 and asks what it got. A subprocess needs its port in advance, and a
crash test restarts it on the same port, so the port is taken from below the kernel's ephemeral range: the ports
the kernel hands out to outgoing connections (to PostgreSQL, to the sandbox) and to ``bind(0)`` never land there,
so nothing else on the machine can take the port while the bot is down. Picked at random and checked free, so
workers of one run, and runs side by side, do not pick the same one.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

LOCALHOST = "127.0.0.1"
EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
LOWEST = 10_000
TRIES = 200


def _ephemeral_start() -> int | None:
    try:
        return int(EPHEMERAL_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((LOCALHOST, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on, outside the kernel's ephemeral range where there is room below it."""
    start = _ephemeral_start()
    if start is not None and start > LOWEST + TRIES:
        rng = random.SystemRandom()
        for _ in range(TRIES):
            port = rng.randrange(LOWEST, start)
            if _bindable(port):
                return port
    with socket.socket() as sock:  # no room below the ephemeral range: any free port the kernel gives
        sock.bind((LOCALHOST, 0))
        return int(sock.getsockname()[1])
