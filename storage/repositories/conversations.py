"""Conversation state that survives a restart (flows, and the product lists buyers sorted or filtered), the ids of
updates already handled, and the updates given up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update

from domain.dead_letters import DeadLetter, DeadLetterKind
from domain.listing import Listing, ListingView, view_key
from domain.users import User
from storage.models import ConversationRow, DeadLetterUpdateRow, ListingViewRow, ProcessedUpdateRow, UserRow
from storage.repositories.base import Repository
from storage.repositories.mapping import RowMapper
from storage.repositories.users import USER

DEAD_LETTER = RowMapper(DeadLetter, DeadLetterUpdateRow)


class SqlConversationStore(Repository):
    async def get(self, user_id: int, *, for_update: bool = False) -> tuple[str, str, dict[str, Any]] | None:
        stmt = select(ConversationRow).where(ConversationRow.user_id == user_id)
        # A draft is consumed under this lock: a second press waits for the first to commit, then sees it used.
        row = await self.first(stmt.with_for_update() if for_update else stmt)
        return (row.flow, row.step, dict(row.data)) if row else None

    async def put(self, user_id: int, flow: str, step: str, data: dict[str, Any]) -> None:
        values = {"user_id": user_id, "flow": flow, "step": step, "data": data, "updated_at": self.clock.now()}
        await self.upsert(ConversationRow, values, keys=("user_id",))

    async def clear(self, user_id: int) -> None:
        await self.session.execute(delete(ConversationRow).where(ConversationRow.user_id == user_id))


# An update's start, built once: whether it was processed before, with its sender's row (or without, for a new
# sender). Prebuilt statements skip building the expression and its cache key again for every update.
_PROCESSED = select(ProcessedUpdateRow.update_id).where(ProcessedUpdateRow.update_id == bindparam("update_id")).exists()
_ARRIVAL = select(_PROCESSED.label("seen"), *UserRow.__table__.c).where(UserRow.id == bindparam("user_id"))
_SEEN = select(_PROCESSED)


class SqlProcessedUpdates(Repository):
    async def arrival(self, update_id: int, user_id: int | None) -> tuple[bool, User | None]:
        """Whether the update was processed before, and its sender, in one statement (two for a new sender)."""
        if user_id is not None:
            row = (await self.session.execute(_ARRIVAL, {"update_id": update_id, "user_id": user_id})).first()
            if row is not None:
                return bool(row.seen), USER.entity(row)
        return bool((await self.session.execute(_SEEN, {"update_id": update_id})).scalar()), None

    async def forget_before(self, when: datetime) -> int:
        result = await self.session.execute(delete(ProcessedUpdateRow).where(ProcessedUpdateRow.processed_at < when))
        return int(result.rowcount or 0)

    async def seen(self, update_id: int) -> bool:
        stmt = select(ProcessedUpdateRow.update_id).where(ProcessedUpdateRow.update_id == update_id)
        return (await self.session.execute(stmt)).first() is not None

    async def claim(self, update_id: int) -> bool:
        values = {"update_id": update_id, "processed_at": self.clock.now()}
        claimed = await self.insert_if_absent(ProcessedUpdateRow, values, unique="update_id", returning="update_id")
        return claimed is not None

    async def claim_many(self, update_ids: Sequence[int]) -> None:
        now = self.clock.now()
        rows = [{"update_id": update_id, "processed_at": now} for update_id in dict.fromkeys(update_ids)]
        await self.insert_many_if_absent(ProcessedUpdateRow, rows, unique="update_id")


class SqlDeadLetterUpdates(Repository):
    async def add(self, *, update_id: int, kind: DeadLetterKind, payload: str, error: str, attempts: int) -> bool:
        values = {
            "update_id": update_id,
            "kind": kind.value,
            "payload": payload,
            "error": error,
            "attempts": attempts,
            "created_at": self.clock.now(),
            "replayed_at": None,
            "replay_error": "",
        }
        return await self.insert_if_absent(DeadLetterUpdateRow, values, unique="update_id") is not None

    async def get(self, letter_id: int) -> DeadLetter | None:
        return await self.first_entity(
            DEAD_LETTER, select(DeadLetterUpdateRow).where(DeadLetterUpdateRow.id == letter_id)
        )

    async def latest(self, *, include_replayed: bool = False, limit: int = 50) -> list[DeadLetter]:
        stmt = select(DeadLetterUpdateRow).order_by(DeadLetterUpdateRow.id.desc()).limit(limit)
        if not include_replayed:
            stmt = stmt.where(DeadLetterUpdateRow.replayed_at.is_(None))
        return [DEAD_LETTER.entity(row) for row in (await self.session.execute(stmt)).scalars()]

    async def count_open(self) -> int:
        stmt = select(func.count()).select_from(DeadLetterUpdateRow).where(DeadLetterUpdateRow.replayed_at.is_(None))
        return int((await self.session.execute(stmt)).scalar_one())

    async def mark_replayed(self, letter_id: int) -> bool:
        stmt = (
            update(DeadLetterUpdateRow)
            .where(DeadLetterUpdateRow.id == letter_id, DeadLetterUpdateRow.replayed_at.is_(None))
            .values(replayed_at=self.clock.now(), replay_error="")
        )
        return bool((await self.session.execute(stmt)).rowcount)

    async def note_replay_failed(self, letter_id: int, error: str) -> None:
        stmt = update(DeadLetterUpdateRow).where(DeadLetterUpdateRow.id == letter_id).values(replay_error=error)
        await self.session.execute(stmt)


class SqlListingViews(Repository):
    async def forget_before(self, when: datetime) -> int:
        result = await self.session.execute(delete(ListingViewRow).where(ListingViewRow.created_at < when))
        return int(result.rowcount or 0)

    async def get(self, view_id: int) -> ListingView | None:
        row = await self.first(select(ListingViewRow).where(ListingViewRow.id == view_id))
        if row is None:
            return None
        return ListingView(row.id, row.user_id, Listing.from_key(row.key.split(" ", 1)[1]), row.created_at)

    async def save(self, user_id: int, listing: Listing) -> int:
        key = view_key(user_id, listing)
        values = {"user_id": user_id, "key": key, "created_at": self.clock.now()}
        made = await self.insert_if_absent(ListingViewRow, values, unique="key")
        if made is not None:
            return int(made)
        return int(
            (await self.session.execute(select(ListingViewRow.id).where(ListingViewRow.key == key))).scalar_one()
        )
