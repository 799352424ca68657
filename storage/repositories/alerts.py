"""Merchants' alert preferences (domain/alerts.py) in SQL, and the outbox's fan-out of a message to its channels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.alerts import (
    VERIFY_SMS_KEY,
    AlertPreferences,
    Channel,
    UnreachableMerchant,
    channel_dedupe_key,
    channels_for,
    group_of,
    quiet_until,
)
from domain.authorization import staff_buttons
from domain.clock import Clock
from domain.errors import DomainError, ErrorCode
from domain.notifications import Notification
from domain.shops import ShopStatus
from domain.staff import FOR_SHOP, StaffRole, alerted_roles, for_group_chat
from i18n import default_zone, is_zone
from storage.models import AlertPreferencesRow, OrderRow, ShopGroupRow, ShopRow, ShopStaffRow, UserRow
from storage.repositories.base import Repository
from storage.repositories.mapping import RowMapper

PREFERENCES = RowMapper(AlertPreferences, AlertPreferencesRow)


class SqlAlertPreferences(Repository):
    async def get(self, user_id: int, *, for_update: bool = False) -> AlertPreferences | None:
        stmt = select(AlertPreferencesRow).where(AlertPreferencesRow.user_id == user_id)
        if for_update:
            stmt = stmt.with_for_update()
        return await self.first_entity(PREFERENCES, stmt)

    async def of_many(self, user_ids: Sequence[int]) -> dict[int, AlertPreferences]:
        stmt = select(AlertPreferencesRow).where(AlertPreferencesRow.user_id.in_(list(user_ids)))
        return {row.user_id: PREFERENCES.entity(row) for row in await self.all(stmt)}

    async def save(self, prefs: AlertPreferences) -> None:
        """Insert a new row (version 0) or update it if nobody changed it since it was read; else CONFLICT."""
        values = PREFERENCES.values(prefs)
        if prefs.version == 0:
            row = {**values, "version": 1}
            if await self.insert_if_absent(AlertPreferencesRow, row, unique="user_id", returning="user_id") is None:
                raise DomainError(ErrorCode.CONFLICT, entity="alert_preferences", id=prefs.user_id)
        else:
            result = await self.session.execute(
                update(AlertPreferencesRow)
                .where(AlertPreferencesRow.user_id == prefs.user_id, AlertPreferencesRow.version == prefs.version)
                .values(**values, version=prefs.version + 1)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                raise DomainError(ErrorCode.CONFLICT, entity="alert_preferences", id=prefs.user_id)
        prefs.version += 1

    async def unreachable_merchants(self, statuses: Sequence[str], *, limit: int) -> list[UnreachableMerchant]:
        open_orders = func.count(OrderRow.id)
        stmt = (
            select(
                UserRow.id,
                UserRow.first_name,
                UserRow.username,
                ShopRow.id,
                ShopRow.name,
                open_orders,
                func.coalesce(func.max(AlertPreferencesRow.phone), ""),
                func.coalesce(func.max(AlertPreferencesRow.email), ""),
            )
            .join(ShopRow, ShopRow.owner_id == UserRow.id)
            .join(OrderRow, OrderRow.shop_id == ShopRow.id)
            .outerjoin(AlertPreferencesRow, AlertPreferencesRow.user_id == UserRow.id)
            .where(UserRow.unreachable, OrderRow.status.in_([str(s) for s in statuses]))
            .group_by(UserRow.id, UserRow.first_name, UserRow.username, ShopRow.id, ShopRow.name)
            .order_by(open_orders.desc(), ShopRow.id)
            .limit(limit)
        )
        return [UnreachableMerchant(*row) for row in await self.session.execute(stmt)]


Routed = tuple[Notification, datetime | None]  # a row to write and when it is due (None: at once)


async def fan_out(repo: Repository, notifications: Sequence[Notification]) -> list[Routed]:
    """Each message once per channel it goes by: merchant alerts look up the recipient's preferences (and whether
    the bot is blocked, for the fallback); every other message, and one already addressed, is kept as it is. An
    SMS falling in the merchant's quiet hours (in their zone) is due when they end."""
    alerts = [n for n in notifications if n.channel == Channel.TELEGRAM and group_of(n.key) is not None]
    if not alerts:
        return [(n, None) for n in notifications]
    shared = await _shop_copies(repo, alerts)
    chats = sorted({n.chat_id for n in alerts})
    prefs = await SqlAlertPreferences(repo.session, repo.clock).of_many(chats)
    users = {
        row.id: row
        for row in await repo.session.execute(
            select(UserRow.id, UserRow.unreachable, UserRow.language, UserRow.time_zone).where(UserRow.id.in_(chats))
        )
    }
    routed = {id(n) for n in alerts}
    out: list[Routed] = []
    for n in notifications:
        if id(n) not in routed:
            out.append((n, None))
            continue
        mine, user = prefs.get(n.chat_id), users.get(n.chat_id)
        unreachable = bool(user and user.unreachable)
        for channel in channels_for(n.key, mine, unreachable=unreachable, fallback=n.fallback):
            address = {Channel.EMAIL: mine.email, Channel.SMS: mine.phone}.get(channel, "") if mine else ""
            key = channel_dedupe_key(n.dedupe_key, channel)
            due = after_quiet(repo.clock.now(), mine, user) if channel is Channel.SMS and mine else None
            out.append((replace(n, channel=str(channel), address=address, dedupe_key=key, fallback=False), due))
        if not n.fallback:  # the staff and the group had their Telegram copies with the first alert
            out.extend((copy, None) for copy in shared.get(id(n), ()))
    return out


async def _shop_copies(repo: Repository, alerts: Sequence[Notification]) -> dict[int, list[Notification]]:
    """An owner's alert also goes, by Telegram, to the shop's staff whose role it concerns (``alerted_roles``) and
    to the shop's linked group chat when its alerts are on (``for_group_chat``); each copy has its own dedupe key.
    A staff member's copy names the shop (``FOR_SHOP``) and keeps only the buttons the table lets their role use
    (``staff_buttons``)."""
    owners = sorted({n.chat_id for n in alerts})
    staff_rows = await repo.session.execute(
        select(ShopRow.owner_id, ShopRow.name, ShopStaffRow.user_id, ShopStaffRow.role)
        .join(ShopStaffRow, ShopStaffRow.shop_id == ShopRow.id)
        .where(ShopRow.owner_id.in_(owners), ShopRow.status != ShopStatus.CLOSED.value)
        .order_by(ShopStaffRow.user_id)
    )
    staff: dict[int, list[tuple[int, StaffRole, str]]] = {}
    for owner, shop_name, user, role in staff_rows:
        staff.setdefault(owner, []).append((user, StaffRole(role), shop_name))
    group_rows = await repo.session.execute(
        select(ShopRow.owner_id, ShopGroupRow.chat_id)
        .join(ShopGroupRow, ShopGroupRow.shop_id == ShopRow.id)
        .where(ShopRow.owner_id.in_(owners), ShopGroupRow.alerts.is_(True))
    )
    groups = dict(group_rows.tuples().all())
    copies: dict[int, list[Notification]] = {}
    for n in alerts:
        roles = alerted_roles(n.key)
        mine = copies[id(n)] = []
        for user, role, shop_name in staff.get(n.chat_id, ()):
            if role in roles:
                tag = f"#staff:{user}"
                mine.append(
                    replace(
                        _copy(n, user, tag),
                        args={**n.args, FOR_SHOP: shop_name},
                        buttons=staff_buttons(role, n.buttons),
                    )
                )
        if n.chat_id in groups and for_group_chat(n.key):
            mine.append(_copy(n, groups[n.chat_id], "#group"))
    return copies


def _copy(n: Notification, chat_id: int, tag: str) -> Notification:
    return replace(n, chat_id=chat_id, dedupe_key=n.dedupe_key + tag, edits=n.edits + tag if n.edits else "")


def after_quiet(now: datetime, prefs: AlertPreferences, user: object) -> datetime | None:
    """The end of the merchant's SMS quiet hours if ``now`` falls in them (their chosen zone, else their
    language's)."""
    chosen = getattr(user, "time_zone", None)
    zone = chosen if chosen and is_zone(chosen) else default_zone(getattr(user, "language", "en"))
    return quiet_until(now.astimezone(ZoneInfo(zone)), prefs.quiet_from, prefs.quiet_to)


async def sms_retry_at(session: AsyncSession, clock: Clock, chat_id: int, key: str, at: datetime) -> datetime:
    """When an SMS alert that failed is tried again: ``at`` (the backoff's), or the end of the merchant's quiet
    hours if ``at`` falls in them. A verification code is never held back."""
    if key == VERIFY_SMS_KEY:
        return at
    prefs = await SqlAlertPreferences(session, clock).get(chat_id)
    user = (await session.execute(select(UserRow.language, UserRow.time_zone).where(UserRow.id == chat_id))).first()
    end = after_quiet(at, prefs, user) if prefs is not None else None
    return end or at
