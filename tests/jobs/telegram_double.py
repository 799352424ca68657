"""A stand-in for ``telegram.Bot`` that records what the jobs sent and fails on cue."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import StarTransactions
from telegram.error import TelegramError


@dataclass
class Sent:
    chat_id: int
    text: str
    markup: Any = None
    photo: Any = None
    at: float = 0.0  # monotonic
    message_id: int = 0
    edited: int = 0  # how many times it was edited since


@dataclass
class RecordingBot:
    sent: list[Sent] = field(default_factory=list)
    menus: list[tuple[int, list[str]]] = field(default_factory=list)  # (chat, command names)
    refunds: list[tuple[int, str]] = field(default_factory=list)  # (user, charge id)
    # chat id -> errors to raise on the next sends to it, in order; a callable decides per call
    failures: dict[int, list[TelegramError]] = field(default_factory=lambda: defaultdict(list))
    refund_failures: list[TelegramError] = field(default_factory=list)
    on_send: Callable[[int], None] | None = None

    def fail(self, chat_id: int, *errors: TelegramError) -> None:
        self.failures[chat_id].extend(errors)

    def _maybe_fail(self, chat_id: int) -> None:
        if self.on_send is not None:
            self.on_send(chat_id)
        if self.failures.get(chat_id):
            raise self.failures[chat_id].pop(0)

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> Sent:
        self._maybe_fail(chat_id)
        message = Sent(chat_id, text, kwargs.get("reply_markup"), at=time.monotonic(), message_id=len(self.sent) + 1)
        self.sent.append(message)
        return message

    async def edit_message_text(self, text: str, chat_id: int | None = None, **kwargs: Any) -> bool:
        """Edits a sent message in place (as Telegram does: no new message)."""
        assert chat_id is not None
        self._maybe_fail(chat_id)
        message = next(m for m in self.sent if m.chat_id == chat_id and m.message_id == kwargs["message_id"])
        message.text, message.markup, message.edited = text, kwargs.get("reply_markup"), message.edited + 1
        return True

    async def send_photo(self, chat_id: int, photo: Any, **kwargs: Any) -> None:
        self._maybe_fail(chat_id)
        self.sent.append(Sent(chat_id, kwargs.get("caption", ""), kwargs.get("reply_markup"), photo, time.monotonic()))

    async def set_my_commands(self, commands: Any, **kwargs: Any) -> None:
        scope = kwargs["scope"]
        self.menus.append((scope.chat_id, [c.command for c in commands]))

    async def refund_star_payment(self, user_id: int, telegram_payment_charge_id: str, **kwargs: Any) -> bool:
        if self.refund_failures:
            raise self.refund_failures.pop(0)
        self.refunds.append((user_id, telegram_payment_charge_id))
        return True

    async def get_star_transactions(self, offset: int | None = None, **kwargs: Any) -> StarTransactions:
        return StarTransactions([])  # no Stars have moved: the reconciler has nothing to repair

    async def shutdown(self) -> None:
        return None

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [s.text for s in self.sent if chat_id is None or s.chat_id == chat_id]
