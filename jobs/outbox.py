"""The outbox sender: drains queued notifications to Telegram within its flood limits.

Rows are claimed with a lease (their ``next_attempt_at`` moves ahead), so another worker, or this one after a
crash, takes a message over only once the lease has run out. Only the oldest pending message of each chat is
ever claimable: a chat's messages arrive in the order they were written, and a message waiting for its retry
holds back the rest of its chat, which is how a ``RetryAfter`` pauses exactly that chat.

Delivery is at least once: a row is marked sent right after the API call returns, so a crash between the two
re-sends one message on restart; nothing else ever sends a row twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from asyncio import FIRST_COMPLETED
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from telegram import BotCommand, BotCommandScopeChat
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from domain.alerts import CODE_KEYS, Channel, ChannelPort, Retryable, Undeliverable
from domain.clock import Clock
from domain.notifications import Notification, OutboxMessage
from i18n import Reader
from jobs.commands_menu import CommandsProvider, commands_for_chat
from jobs.rate import SendLimiter
from jobs.rendering import Rendered, RenderError, render

log = logging.getLogger(__name__)

COMMANDS_KEY = "@commands"  # not a message: "refresh this chat's command menu" (args: {"roles": [...]})

# Bad requests that mean the chat is gone for us rather than that the message was wrong.
_GONE = ("chat not found", "user not found", "bot was blocked", "user is deactivated", "peer_id_invalid")
# Bad requests to an edit that mean there is nothing left to do: it says so already, or the message is gone.
_EDIT_DONE = ("message is not modified", "message to edit not found", "message can't be edited")


class OutboxStore(Protocol):
    async def claim(self, now: datetime, limit: int, lease: timedelta) -> list[OutboxMessage]:
        """Lease up to ``limit`` due rows, each the oldest pending one of its chat, with the recipient's language.

        Rows of recipients already known unreachable are skipped on the way and not returned.
        """
        ...

    async def mark_sent(
        self, message_id: int, at: datetime, telegram_message_id: int | None = None, *, forget_args: bool = False
    ) -> None:
        """``forget_args``: clear the row's arguments too (a verification code, not to be kept once delivered)."""
        ...

    async def sent_message_id(self, chat_id: int, dedupe_key: str) -> int | None:
        """The Telegram id of the message sent for the row ``dedupe_key`` (None: not sent, or sent before ids were
        kept)."""
        ...

    async def retry_later(self, message_id: int, at: datetime, error: str, *, count_attempt: bool = True) -> None: ...
    async def dead_letter(
        self, message_id: int, error: str, *, count_attempt: bool = True, forget_args: bool = False
    ) -> None: ...
    async def mark_unreachable(self, chat_id: int, reason: str) -> int:
        """Flag the user unreachable and skip every pending row of the chat; returns how many were skipped."""
        ...


class Transport(Protocol):
    """The part of ``telegram.Bot`` the sender uses."""

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> Any: ...
    async def send_photo(self, chat_id: int, photo: Any, **kwargs: Any) -> Any: ...
    async def edit_message_text(self, text: str, chat_id: int | None = None, **kwargs: Any) -> Any: ...
    async def set_my_commands(self, commands: Sequence[BotCommand], **kwargs: Any) -> Any: ...


@dataclass(frozen=True)
class SenderConfig:
    rate: float = 30.0  # messages a second overall
    chat_rate: float = 1.0  # messages a second into one chat
    burst: int = 1  # tokens the buckets may hold: 1 paces evenly and never trips a stricter server
    chat_burst: int = 1
    max_attempts: int = 8
    lease: timedelta = timedelta(seconds=30)
    backoff_base: timedelta = timedelta(seconds=2)
    backoff_cap: timedelta = timedelta(minutes=5)
    default_language: str = "en"
    poll_interval: float = 0.2  # how often to look for newly due rows while draining
    record_send_times: bool = False  # keep each send's time in the report (benchmarks)

    @property
    def max_in_flight(self) -> int:
        # Two seconds of the overall budget: enough to keep the pipe full, little enough to send within the lease.
        return max(2, int(self.rate * 2))

    def backoff(self, attempts: int) -> timedelta:
        """Wait before the next try after ``attempts`` failed ones: 2 s, 4 s, 8 s ... capped."""
        return min(self.backoff_cap, self.backoff_base * (2 ** max(0, attempts - 1)))


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0  # transient failures, back in the queue with a backoff
    rate_limited: int = 0  # 429s received (the server's RetryAfter was honoured)
    dead: int = 0
    skipped_chats: int = 0  # recipients found unreachable during this drain
    sent_at: list[float] = field(default_factory=list, repr=False)  # monotonic send times, if recorded


def retry_after_seconds(exc: RetryAfter) -> float:
    # The private timedelta avoids PTB's int-or-timedelta deprecation warning on every 429.
    value = getattr(exc, "_retry_after", None)
    if not isinstance(value, timedelta):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = exc.retry_after
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    return max(0.0, seconds)


class OutboxSender:
    def __init__(
        self,
        store: OutboxStore,
        bot: Transport,
        clock: Clock,
        config: SenderConfig | None = None,
        *,
        commands: CommandsProvider | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        channels: Mapping[str, ChannelPort] | None = None,
    ) -> None:
        self.store = store
        self.bot = bot
        self.clock = clock
        self.config = config or SenderConfig()
        self.limiter = SendLimiter(
            self.config.rate,
            self.config.chat_rate,
            burst=self.config.burst,
            chat_burst=self.config.chat_burst,
            clock=monotonic,
        )
        self._commands = commands
        self._monotonic = monotonic
        self.channels = dict(channels or {})  # beyond Telegram, by Channel value: each with its own send limits
        self._limiters = {str(Channel.TELEGRAM): self.limiter}
        self._stopping = False
        self.totals = DeliveryReport()  # since start-up, for operators and tests (send times are not kept)

    def stop(self) -> None:
        """Claim nothing more; messages already in flight are finished by the running drain."""
        self._stopping = True

    async def drain(self) -> DeliveryReport:
        """Send everything that is due; return once nothing is claimable and nothing is in flight."""
        report = DeliveryReport()
        in_flight: set[asyncio.Task[None]] = set()
        cap = self.config.max_in_flight
        loop = asyncio.get_running_loop()
        try:
            while True:
                if not self._stopping and len(in_flight) < cap:
                    batch = await self.store.claim(self.clock.now(), cap - len(in_flight), self.config.lease)
                    for message in batch:
                        in_flight.add(asyncio.create_task(self._deliver(message, report)))
                if not in_flight:
                    break
                # Claiming is a write: claim again once half the pipe is free after a send, or after a poll
                # interval (a sent message makes its chat's next one claimable), not after every single send.
                next_claim = loop.time() + self.config.poll_interval
                while in_flight and (timeout := next_claim - loop.time()) > 0:
                    done, in_flight = await asyncio.wait(in_flight, timeout=timeout, return_when=FIRST_COMPLETED)
                    if done and len(in_flight) <= cap // 2:
                        break
        finally:
            if in_flight:  # cancelled: leave the rows leased, a later drain takes them over
                for task in in_flight:
                    task.cancel()
                await asyncio.gather(*in_flight, return_exceptions=True)
            for name in ("sent", "retried", "rate_limited", "dead", "skipped_chats"):
                setattr(self.totals, name, getattr(self.totals, name) + getattr(report, name))
        return report

    async def _deliver(self, message: OutboxMessage, report: DeliveryReport) -> None:
        try:
            await self._attempt(message, report)
        except Exception:
            # Recording the outcome failed (the database is away): the row stays leased and is taken over when
            # the lease ends, so at worst this one message goes twice.
            log.exception("outbox message %s: could not record what happened to it", message.id)

    async def _attempt(self, message: OutboxMessage, report: DeliveryReport) -> None:
        chat_id = message.notification.chat_id
        try:
            await self._send_waiting_as_told(message, report)
        except RetryAfter as exc:  # a wait too long to hold the message: back in the queue, due when Telegram said
            wait = retry_after_seconds(exc)
            await self.store.retry_later(
                message.id, self.clock.now() + timedelta(seconds=wait), f"retry after {wait:g} s", count_attempt=False
            )
        except Forbidden as exc:
            await self._unreachable(chat_id, exc, report)
        except ChatMigrated as exc:
            report.dead += 1
            await self.store.dead_letter(message.id, f"chat migrated to {exc.new_chat_id}")
        except BadRequest as exc:  # before TelegramError: PTB makes BadRequest a NetworkError
            if any(marker in exc.message.lower() for marker in _GONE):
                await self._unreachable(chat_id, exc, report)
            else:
                report.dead += 1
                log.error("outbox message %s (%s) rejected: %s", message.id, message.notification.key, exc.message)
                await self.store.dead_letter(message.id, f"bad request: {exc.message}")
        except (RenderError, Undeliverable) as exc:
            report.dead += 1
            log.error("outbox message %s: %s", message.id, exc)
            await self.store.dead_letter(message.id, str(exc), forget_args=_has_code(message))
        except (TelegramError, OSError, Retryable) as exc:
            await self._failed(message, f"{type(exc).__name__}: {exc}", report)
        except Exception as exc:  # a bug must not stop the other messages; it dead-letters after N tries
            log.exception("outbox message %s failed unexpectedly", message.id)
            await self._failed(message, f"{type(exc).__name__}: {exc}", report)
        else:
            report.sent += 1
            if self.config.record_send_times:
                report.sent_at.append(self._monotonic())

    async def _send_waiting_as_told(self, message: OutboxMessage, report: DeliveryReport) -> None:
        """On a 429, wait exactly as long as Telegram says and try the same message again.

        The message stays leased and at the head of its chat meanwhile, so that chat pauses and no other worker
        takes it; the wait is real time, whatever clock the domain runs on. Only a wait longer than half the
        lease goes back to the queue (the RetryAfter is re-raised for that).
        """
        while True:
            try:
                await self._send(message)
                return
            except RetryAfter as exc:
                wait = retry_after_seconds(exc)
                report.rate_limited += 1
                log.warning("telegram asked to wait %.0f s before chat %s", wait, message.notification.chat_id)
                if wait > self.config.lease.total_seconds() / 2:
                    raise
                await asyncio.sleep(wait)

    async def _send(self, message: OutboxMessage) -> None:
        notification = message.notification
        # The recipient's language and zone (never the sender's): the times in the text are in their zone.
        lang = Reader(message.language or self.config.default_language, message.time_zone)
        sent_id: int | None = None
        if notification.channel != Channel.TELEGRAM:
            await self._deliver_by_channel(message, lang)
        elif notification.key == COMMANDS_KEY:
            await self._refresh_commands(notification.chat_id, notification.args, lang)
        else:
            rendered = render(notification, lang)
            await self.limiter.acquire(notification.chat_id)
            edited = await self._edit(notification, rendered) if notification.edits else None
            sent = edited if edited is not None else await self._post(notification.chat_id, rendered)
            sent_id = _message_id(sent)
        # Shielded: once Telegram has the message, a cancellation must not leave the row to be sent again.
        done = self.store.mark_sent(message.id, self.clock.now(), sent_id, forget_args=_has_code(message))
        await asyncio.shield(done)

    async def _post(self, chat_id: int, rendered: Rendered) -> Any:
        if rendered.photo is not None:
            return await self.bot.send_photo(
                chat_id, rendered.photo, caption=rendered.text, parse_mode=ParseMode.HTML, reply_markup=rendered.markup
            )
        return await self.bot.send_message(
            chat_id, rendered.text, parse_mode=ParseMode.HTML, reply_markup=rendered.markup
        )

    async def _edit(self, notification: Notification, rendered: Rendered) -> Any | None:
        """Edit the earlier message in place; None when there is none to edit (never sent): send it anew then."""
        chat_id = notification.chat_id
        target = await self.store.sent_message_id(chat_id, notification.edits)
        if target is None:
            return None
        try:
            await self.bot.edit_message_text(
                rendered.text,
                chat_id=chat_id,
                message_id=target,
                parse_mode=ParseMode.HTML,
                reply_markup=rendered.markup,
            )
        except BadRequest as exc:
            if not any(marker in exc.message.lower() for marker in _EDIT_DONE):
                raise
        return target

    async def _deliver_by_channel(self, message: OutboxMessage, lang: Reader) -> None:
        """E-mail and other channels: their adapter sends it (a permanent refusal raises ``Undeliverable``)."""
        channel = message.notification.channel
        port = self.channels.get(channel)
        if port is None:
            raise Undeliverable(f"no {channel} channel configured")
        limiter = self._limiters.get(channel)
        if limiter is None:
            config = self.config
            limiter = SendLimiter(
                config.rate, config.chat_rate, burst=config.burst, chat_burst=config.chat_burst, clock=self._monotonic
            )
            self._limiters[channel] = limiter
        await limiter.acquire(message.notification.chat_id)
        await port.deliver(replace(message, language=str(lang)))

    async def _refresh_commands(self, chat_id: int, args: dict[str, Any], lang: str) -> None:
        roles = [str(role) for role in args.get("roles", ())] or ["buyer"]
        commands = commands_for_chat(roles, lang, self._commands)
        # A command menu is not a message: Telegram does not count it against the sending limits.
        await self.bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))

    async def _unreachable(self, chat_id: int, exc: TelegramError, report: DeliveryReport) -> None:
        report.skipped_chats += 1
        log.info("chat %s is unreachable (%s); its messages are skipped", chat_id, exc.message)
        await self.store.mark_unreachable(chat_id, f"unreachable: {exc.message}")

    async def _failed(self, message: OutboxMessage, reason: str, report: DeliveryReport) -> None:
        attempts = message.attempts + 1
        if attempts >= self.config.max_attempts:
            report.dead += 1
            log.error("outbox message %s dead after %s attempts: %s", message.id, attempts, reason)
            await self.store.dead_letter(message.id, reason, forget_args=_has_code(message))
        else:
            report.retried += 1
            await self.store.retry_later(message.id, self.clock.now() + self.config.backoff(attempts), reason)


def _has_code(message: OutboxMessage) -> bool:
    """A verification code's message: its row forgets the code once sent or dead."""
    return message.notification.key in CODE_KEYS


def _message_id(sent: Any) -> int | None:
    """The id of the message Telegram returned (a ``Message``, or the id itself after an edit)."""
    if isinstance(sent, int):
        return sent
    found = getattr(sent, "message_id", None)
    return found if isinstance(found, int) else None


async def drain_quietly(sender: OutboxSender) -> None:
    """The scheduled job: a failing database must not kill the job, only show up in the log."""
    try:
        await sender.drain()
    except Exception:
        log.exception("outbox drain failed; retrying on the next tick")
