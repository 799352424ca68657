"""Which database transactions the running task holds open, so a network call made inside one can be caught.

A unit of work registers its session here while its block runs (``SqlUnitOfWork.__aenter__``/``__aexit__``); the
Bot API request object (bot/guarded_request.py) asks ``check()`` before every call. A transaction is open while its
session is in one: before the first statement and after the commit nothing is held, so sending after
``await uow.commit()`` inside the block is fine.

``GuardMode``: ``off`` (production), ``warn`` (the sandbox: a log line with the stack), ``raise`` (the test suite:
the call fails with ``NetworkInTransaction`` and is remembered in ``violations`` for the suite to report).
"""

from __future__ import annotations

import logging
import traceback
from contextvars import ContextVar, Token
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger("shopbot.transaction_guard")


class GuardMode(StrEnum):
    OFF = "off"
    WARN = "warn"
    RAISE = "raise"


class NetworkInTransaction(RuntimeError):
    """A network call (``what``) was about to be made while a database transaction is open."""


_SESSIONS: ContextVar[tuple[AsyncSession, ...]] = ContextVar("shopbot_open_sessions", default=())

violations: list[str] = []  # what raise mode refused, for the test suite's report


def enter(session: AsyncSession) -> Token[tuple[AsyncSession, ...]]:
    """A unit of work's block starts in this task."""
    return _SESSIONS.set((*_SESSIONS.get(), session))


def leave(token: Token[tuple[AsyncSession, ...]]) -> None:
    """It ends (in the task that entered it)."""
    try:
        _SESSIONS.reset(token)
    except ValueError:  # left in another context than it was entered in: forget just that session
        sessions = _SESSIONS.get()
        _SESSIONS.set(sessions[:-1])


def open_transactions() -> int:
    """How many units of work of this task hold a database transaction right now."""
    return sum(1 for session in _SESSIONS.get() if session.in_transaction())


def check(what: str, mode: GuardMode) -> None:
    """Before a network call: complain (per ``mode``) if this task holds a transaction open."""
    if mode is GuardMode.OFF or not open_transactions():
        return
    where = "".join(traceback.format_stack(limit=12)[:-2])
    message = f"{what} called while a database transaction is open"
    if mode is GuardMode.WARN:
        log.warning("%s\n%s", message, where)
        return
    violations.append(f"{message}\n{where}")
    raise NetworkInTransaction(message)
