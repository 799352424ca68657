"""What the outbox sender needs from the database, beyond the domain's ``Outbox.add``.

Claiming leases rows: their ``next_attempt_at`` moves ``lease`` ahead, so no other sender (nor this one, on its
next claim) takes them while they are being sent; if the sender dies, they come due again when the lease ends.
Only the oldest pending row of each chat is claimable, which keeps a chat's messages in order and lets a row
waiting for a retry hold back the rest of its chat. On PostgreSQL the claim also locks with ``SKIP LOCKED`` so
two senders claiming at the same instant split the rows instead of waiting for each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.alerts import CODE_KEYS, Channel, group_of
from domain.clock import Clock, SystemClock
from domain.notifications import OutboxMessage, OutboxStatus
from domain.usecases.operations import DeadLetter, OutboxBacklog
from storage.engine import read_only_engine
from storage.models import OutboxRow, ShopGroupRow, ShopRow, UserRow
from storage.repositories.alerts import sms_retry_at
from storage.repositories.outbox import SqlOutbox
from storage.repositories.outbox import message as as_message

PENDING = str(OutboxStatus.PENDING)
TELEGRAM = str(Channel.TELEGRAM)
SMS = str(Channel.SMS)
UNREACHABLE_REASON = "recipient unreachable"
# A verification code's row forgets its arguments once sent, dead or skipped: what the merchant types back is
# checked against the hash in ``alert_preferences``, so the code is not left readable in the database.
_FORGET: dict[str, object] = {"args": {}}


class SqlOutboxStore:
    def __init__(self, engine: AsyncEngine, clock: Clock | None = None) -> None:
        self.engine = engine
        self.clock = clock or SystemClock()
        self.reader = read_only_engine(engine)
        self.is_postgres = engine.dialect.name == "postgresql"

    def _session(self) -> AsyncSession:
        return AsyncSession(self.engine, expire_on_commit=False, autoflush=False)

    async def anything_due(self, now: datetime) -> bool:
        """A read that takes no lock: the sender polls often, and an empty outbox must not cost a write."""
        probe = select(
            exists().where(
                OutboxRow.status == PENDING,
                or_(OutboxRow.next_attempt_at.is_(None), OutboxRow.next_attempt_at <= now),
            )
        )
        async with self.reader.connect() as conn:
            found = bool(await conn.scalar(probe))
            await conn.rollback()
        return found

    async def claim(self, now: datetime, limit: int, lease: timedelta) -> list[OutboxMessage]:
        if not await self.anything_due(now):
            return []
        # An SMS not due yet (held for the merchant's quiet hours, or waiting for its retry) does not hold back the
        # chat's later SMS: a verification code asked for at night must not wait for the morning.
        due = or_(OutboxRow.next_attempt_at.is_(None), OutboxRow.next_attempt_at <= now)
        heads = (
            select(func.min(OutboxRow.id))
            .where(OutboxRow.status == PENDING, or_(OutboxRow.channel != SMS, due))
            .group_by(OutboxRow.chat_id, OutboxRow.channel)
        )
        stmt = (
            select(OutboxRow)
            .where(
                OutboxRow.id.in_(heads),
                OutboxRow.status == PENDING,
                due,
            )
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        if self.is_postgres:
            stmt = stmt.with_for_update(skip_locked=True, of=OutboxRow)
        async with self._session() as session, session.begin():
            rows = list(await session.scalars(stmt))
            if not rows:
                return []
            chats = {row.chat_id for row in rows}
            people = {
                user_id: (language, unreachable, zone)
                for user_id, language, unreachable, zone in await session.execute(
                    select(UserRow.id, UserRow.language, UserRow.unreachable, UserRow.time_zone).where(
                        UserRow.id.in_(chats)
                    )
                )
            }
            groups = [chat for chat in chats if chat < 0 and chat not in people]
            if groups:  # a shop's group chat reads its alerts in the language (and zone) of the shop's owner
                for chat_id, language, zone in await session.execute(
                    select(ShopGroupRow.chat_id, UserRow.language, UserRow.time_zone)
                    .join(ShopRow, ShopRow.id == ShopGroupRow.shop_id)
                    .join(UserRow, UserRow.id == ShopRow.owner_id)
                    .where(ShopGroupRow.chat_id.in_(groups))
                ):
                    people[chat_id] = (language, False, zone)
            gone = [chat for chat in chats if people.get(chat, ("", False, None))[1]]
            if gone:
                await self._skip_chats(session, gone, UNREACHABLE_REASON)
            claimed = [row for row in rows if row.chat_id not in gone or row.channel != TELEGRAM]
            if claimed:
                await session.execute(
                    update(OutboxRow)
                    .where(OutboxRow.id.in_([row.id for row in claimed]))
                    .values(next_attempt_at=now + lease)
                    .execution_options(synchronize_session=False)
                )
            messages = []
            for row in claimed:
                message = as_message(row)
                message.language, _, message.time_zone = people.get(row.chat_id, (None, False, None))
                message.language = message.language or None
                messages.append(message)
            return messages

    async def mark_sent(
        self, message_id: int, at: datetime, telegram_message_id: int | None = None, *, forget_args: bool = False
    ) -> None:
        await self._update(
            message_id,
            status=str(OutboxStatus.SENT),
            sent_at=at,
            next_attempt_at=None,
            telegram_message_id=telegram_message_id,
            **_FORGET if forget_args else {},
        )

    async def sent_message_id(self, chat_id: int, dedupe_key: str) -> int | None:
        """The Telegram id of the message sent for the row ``dedupe_key`` into ``chat_id`` (None: never sent)."""
        stmt = select(OutboxRow.telegram_message_id).where(
            OutboxRow.dedupe_key == dedupe_key, OutboxRow.chat_id == chat_id
        )
        async with self.reader.connect() as conn:
            found = await conn.scalar(stmt)
            await conn.rollback()
        return int(found) if found is not None else None

    async def retry_later(self, message_id: int, at: datetime, error: str, *, count_attempt: bool = True) -> None:
        """Due again at ``at``; an SMS alert whose retry would fall in the merchant's quiet hours waits for their
        end instead."""
        async with self._session() as session:
            row = (
                await session.execute(
                    select(OutboxRow.chat_id, OutboxRow.key, OutboxRow.channel).where(OutboxRow.id == message_id)
                )
            ).first()
            if row is not None and row.channel == SMS:
                at = await sms_retry_at(session, self.clock, row.chat_id, row.key, at)
        values = {"next_attempt_at": at, "last_error": error[:1000]}
        if count_attempt:
            values["attempts"] = OutboxRow.attempts + 1
        await self._update(message_id, only_pending=True, **values)

    async def dead_letter(
        self, message_id: int, error: str, *, count_attempt: bool = True, forget_args: bool = False
    ) -> None:
        values = {"status": str(OutboxStatus.DEAD), "last_error": error[:1000], "next_attempt_at": None}
        if forget_args:
            values.update(_FORGET)
        if count_attempt:
            values["attempts"] = OutboxRow.attempts + 1
        await self._update(message_id, only_pending=True, **values)

    async def mark_unreachable(self, chat_id: int, reason: str) -> int:
        """The user blocked the bot (or the chat is gone): flag them and skip whatever Telegram still had queued for
        them. Merchant alerts skipped so are queued again, in the same transaction, by whatever channel an
        unreachable merchant's alert goes (``domain.alerts.channels_for``: a new paid order by verified e-mail)."""
        async with self._session() as session, session.begin():
            await session.execute(
                update(UserRow)
                .where(UserRow.id == chat_id, UserRow.unreachable.is_(False))
                .values(unreachable=True, version=UserRow.version + 1)  # a stale copy being saved must conflict
                .execution_options(synchronize_session=False)
            )
            queued = select(OutboxRow).where(
                OutboxRow.chat_id == chat_id, OutboxRow.status == PENDING, OutboxRow.channel == TELEGRAM
            )
            alerts = [as_message(row).notification for row in await session.scalars(queued) if group_of(row.key)]
            skipped = await self._skip_chats(session, [chat_id], reason)
            if alerts:
                await SqlOutbox(session, self.clock).add_many(alerts)
            return skipped

    async def skip_pending(self, reason: str) -> int:
        """Mark everything still queued as skipped (the sandbox's demo seed must not announce itself)."""
        async with self._session() as session, session.begin():
            result = await session.execute(
                update(OutboxRow)
                .where(OutboxRow.status == PENDING)
                .values(status=str(OutboxStatus.SKIPPED), last_error=reason[:1000], next_attempt_at=None)
                .execution_options(synchronize_session=False)
            )
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.key.in_(CODE_KEYS), OutboxRow.status != PENDING)
                .values(**_FORGET)
                .execution_options(synchronize_session=False)
            )
            return int(result.rowcount or 0)

    async def _skip_chats(self, session: AsyncSession, chat_ids: Sequence[int], reason: str) -> int:
        result = await session.execute(
            update(OutboxRow)
            .where(OutboxRow.chat_id.in_(list(chat_ids)), OutboxRow.status == PENDING, OutboxRow.channel == TELEGRAM)
            .values(status=str(OutboxStatus.SKIPPED), last_error=reason[:1000], next_attempt_at=None)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)

    async def _update(self, message_id: int, *, only_pending: bool = False, **values: object) -> None:
        stmt = update(OutboxRow).where(OutboxRow.id == message_id)
        if only_pending:
            stmt = stmt.where(OutboxRow.status == PENDING)
        async with self._session() as session, session.begin():
            await session.execute(stmt.values(**values).execution_options(synchronize_session=False))

    # What operators see (``shopbot jobs``).

    async def backlog(self, now: datetime) -> OutboxBacklog:
        pending = OutboxRow.status == PENDING
        due = or_(OutboxRow.next_attempt_at.is_(None), OutboxRow.next_attempt_at <= now)
        async with self._session() as session:
            counts = await session.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status))
            due_now = await session.scalar(select(func.count()).where(pending, due))
            oldest = await session.scalar(select(func.min(OutboxRow.created_at)).where(pending))
        return OutboxBacklog({status: int(n) for status, n in counts}, int(due_now or 0), oldest)

    async def dead_letters(self, limit: int = 10) -> list[DeadLetter]:
        stmt = (
            select(OutboxRow)
            .where(OutboxRow.status == str(OutboxStatus.DEAD))
            .order_by(OutboxRow.id.desc())
            .limit(limit)
        )
        async with self._session() as session:
            rows = list(await session.scalars(stmt))
        return [DeadLetter(r.id, r.chat_id, r.key, r.attempts, r.created_at, r.last_error) for r in rows]
