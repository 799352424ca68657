"""A bot process that queues alerts and is killed (SIGKILL) before it sends them.

``python -m tests.jobs.dying_bot DATABASE_URL WHEN CHAT...``; WHEN is ``after-commit`` (the use case's transaction
committed, the sender never ran) or ``after-claim`` (the sender leased the rows for one second, then died).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import timedelta

from domain.clock import SystemClock
from domain.notifications import Notification
from storage.database import Database
from storage.outbox_store import SqlOutboxStore

LEASE = timedelta(seconds=1)


async def queue_and_die(url: str, when: str, chats: list[int]) -> None:
    clock = SystemClock()
    database = Database.open(url, clock=clock)
    async with database.uow() as uow:
        for chat in chats:
            await uow.outbox.add(Notification(chat, "jobs.menu.help", f"dying:{when}:{chat}", args={"chat": chat}))
        await uow.commit()
    if when == "after-claim":
        claimed = await SqlOutboxStore(database.engine).claim(clock.now(), len(chats), LEASE)
        assert len(claimed) == len(chats)
    print("queued", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    asyncio.run(queue_and_die(sys.argv[1], sys.argv[2], [int(c) for c in sys.argv[3:]]))
