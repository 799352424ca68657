"""Telegram's side of long polling, for tests that drive ``bot.polling.poll`` without a sandbox."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any


@dataclass
class TelegramQueue:
    """Hands out what is queued from the last confirmed offset on (raw JSON, as ``getUpdates`` answers); every
    other call goes to ``real``, a real Bot.

    ``polled`` is set at each poll; ``confirmed`` once a poll finds nothing left. A poll with nothing queued waits
    ``empty_wait`` seconds (a short long poll, so updates queued later are found), or, when None, until the poller
    stops."""

    real: Any
    queued: list[dict[str, Any]] = field(default_factory=list)
    empty_wait: float | None = 0.01
    offsets: list[int] = field(default_factory=list)
    polled: asyncio.Event = field(default_factory=asyncio.Event)
    confirmed: asyncio.Event = field(default_factory=asyncio.Event)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    async def delete_webhook(self, **_: Any) -> bool:
        return True

    async def _post(self, endpoint: str, data: dict[str, Any], **_: Any) -> list[dict[str, Any]]:
        assert endpoint == "getUpdates"
        offset = data.get("offset")
        if offset:
            self.offsets.append(offset)
            self.queued = [u for u in self.queued if u["update_id"] >= offset]
        self.polled.set()
        if not self.queued:
            self.confirmed.set()
            if self.empty_wait is None:
                await asyncio.Event().wait()  # only the poller stopping ends this poll
            else:
                await asyncio.sleep(self.empty_wait)
        return list(self.queued)

    def confirmed_past(self, update_id: int) -> bool:
        return any(offset > update_id for offset in self.offsets)
