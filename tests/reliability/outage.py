"""The database going out from under a running bot, on purpose, and coming back.

- SQLite: another connection takes the write lock (``BEGIN IMMEDIATE``) and keeps it; the bot's writes wait out
  ``busy_timeout`` (shortened by the test) and fail with "database is locked".
- PostgreSQL: the bot reaches the server through ``TcpProxy``; cutting it severs every open connection and
  refuses new ones, as a server that went away does.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from typing import Protocol

from sqlalchemy.engine import make_url

LOCALHOST = "127.0.0.1"


class Outage(Protocol):
    url: str  # what the bot is to connect to

    async def begin(self) -> None: ...
    async def end(self) -> None: ...
    async def close(self) -> None: ...


class SqliteWriteLock:
    """Someone else holds SQLite's write lock from ``begin`` to ``end``."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._path = make_url(url).database or ""
        self._holder: sqlite3.Connection | None = None

    async def begin(self) -> None:
        self._holder = sqlite3.connect(self._path, isolation_level=None, timeout=5.0)
        self._holder.execute("BEGIN IMMEDIATE")

    async def end(self) -> None:
        if self._holder is not None:
            self._holder.execute("ROLLBACK")
            self._holder.close()
            self._holder = None

    async def close(self) -> None:
        await self.end()


class TcpProxy:
    """A TCP relay in front of PostgreSQL that can be cut (connections severed and refused) and restored."""

    def __init__(self, url: str) -> None:
        target = make_url(url)
        self._target = (target.host or LOCALHOST, target.port or 5432)
        self._target_url = target
        self._server: asyncio.Server | None = None
        self._port = 0
        self._pipes: set[asyncio.StreamWriter] = set()
        self.url = ""

    async def start(self) -> TcpProxy:
        await self._listen()
        self.url = self._target_url.set(host=LOCALHOST, port=self._port).render_as_string(hide_password=False)
        return self

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._relay, LOCALHOST, self._port)
        self._port = self._server.sockets[0].getsockname()[1]

    async def _relay(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self._target)
        except OSError:
            client_writer.close()
            return
        self._pipes |= {client_writer, server_writer}
        await asyncio.gather(_pump(client_reader, server_writer), _pump(server_reader, client_writer))
        self._pipes -= {client_writer, server_writer}

    async def begin(self) -> None:
        """The server goes away: nothing is listening on the port, every open connection is cut."""
        server, self._server = self._server, None
        if server is not None:
            server.close()  # stop listening first, so nothing new gets in while the open ones are cut
        for writer in list(self._pipes):
            writer.transport.abort()
        if server is not None:
            await server.wait_closed()

    async def end(self) -> None:
        if self._server is None:
            await self._listen()

    async def close(self) -> None:
        await self.begin()


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, asyncio.IncompleteReadError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()
