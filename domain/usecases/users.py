"""Registering users as they first talk to the bot, and their language choice."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from zoneinfo import available_timezones

from domain.errors import DomainError, ErrorCode
from domain.ports import UnitOfWork
from domain.services import Services
from domain.usecases.menus import queue_menu_refresh, roles_now
from domain.usecases.units import forget_older_than
from domain.users import Language, Role, User


async def register_user(
    svc: Services, *, user_id: int, first_name: str, username: str | None, language_code: str | None
) -> User:
    """Create the user on first contact; refresh name and (unless chosen) language afterwards."""
    async with svc.uow() as uow:
        user = await _upsert_user(svc, uow, user_id, first_name, username, language_code)
        await uow.commit(idempotent=True)  # registered again: the same row (domain/update_effects.py)
        return user


async def mark_unreachable(svc: Services, *, user_id: int) -> None:
    """The user blocked the bot: stop sending until they talk to us again."""
    async with svc.uow() as uow:
        user = await uow.users.get(user_id)
        if user is not None and not user.unreachable:
            user.unreachable = True
            await uow.users.save(user)
            await uow.commit()


async def begin_update(
    svc: Services,
    *,
    update_id: int,
    user_id: int | None,
    first_name: str = "",
    username: str | None = None,
    language_code: str | None = None,
) -> tuple[bool, User | None]:
    """Check an incoming update was not processed already (False: a redelivery) and register its sender.

    The update is recorded as processed only once it has been (``finish_update``), so an update whose processing
    was cut short by a crash is processed again when Telegram delivers it again.
    """
    # Most updates come from a known user whose name and language did not change: a read, no write lock, and (one
    # statement) no transaction either.
    async with svc.uow(read_only=True, transaction=False) as uow:
        seen, user = await uow.processed_updates.arrival(update_id, user_id)
    if seen or user_id is None or (user is not None and _is_current(svc, user, first_name, username, language_code)):
        return not seen, user
    return True, await register_user(
        svc, user_id=user_id, first_name=first_name, username=username, language_code=language_code
    )


async def finish_update(svc: Services, *, update_id: int) -> bool:
    """Record an update as processed; a later delivery of it is skipped. False if it was recorded already."""
    async with svc.uow() as uow:
        recorded = await uow.processed_updates.claim(update_id)
        await uow.commit()
        return recorded


# Telegram keeps an undelivered update for at most 24 hours; a week of records skips every redelivery.
KEEP_PROCESSED_UPDATES = timedelta(days=7)


async def forget_processed_updates(svc: Services) -> int:
    """The daily clean-up of processed-update records older than a week; returns how many went."""
    return await forget_older_than(svc, KEEP_PROCESSED_UPDATES, lambda uow: uow.processed_updates)


def _language_for(svc: Services, user: User, language_code: str | None) -> Language:
    default = Language(svc.policy.default_language)
    return user.language if user.language_chosen else Language.from_telegram(language_code, default)


def _is_current(svc: Services, user: User, first_name: str, username: str | None, language_code: str | None) -> bool:
    """Nothing to refresh: same name, username and language, and reachable."""
    language = _language_for(svc, user, language_code)
    return (user.first_name, user.username, user.language, user.unreachable) == (
        first_name[:64],
        username,
        language,
        False,
    )


async def _upsert_user(
    svc: Services, uow: UnitOfWork, user_id: int, first_name: str, username: str | None, language_code: str | None
) -> User:
    default = Language(svc.policy.default_language)
    name = first_name[:64]
    user = await uow.users.get(user_id)
    if user is None:
        user = User(
            id=user_id,
            first_name=name,
            username=username,
            language=Language.from_telegram(language_code, default),
            created_at=svc.clock.now(),
        )
        return await uow.users.add(user)
    if not _is_current(svc, user, first_name, username, language_code):
        user.first_name, user.username = name, username
        user.language = _language_for(svc, user, language_code)
        user.unreachable = False  # they are talking to us, so they can be reached again
        await uow.users.save(user)
    return user


async def choose_language(svc: Services, *, user_id: int, language: Language) -> User:
    async with svc.uow() as uow:
        user = await uow.users.get(user_id)
        if user is None:
            raise DomainError(ErrorCode.NOT_FOUND, user_id=user_id)
        user.language = language
        user.language_chosen = True
        await uow.users.save(user)
        await uow.commit()
        return user


@cache
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def parse_time_zone(text: str) -> str:
    """An IANA time zone name as typed (any case, spaces for underscores: "asia/shanghai", "America/New York")."""
    folded = "_".join(text.strip().split()).casefold()
    name = _zones_by_folded_name().get(folded)
    if name is None or not text.strip():
        raise DomainError(ErrorCode.UNKNOWN_TIME_ZONE, value=text.strip()[:64])
    return name


async def choose_time_zone(svc: Services, *, user_id: int, zone: str) -> User:
    """The user's own time zone from now on (an IANA name; anything else is refused and nothing changes)."""
    name = parse_time_zone(zone)
    async with svc.uow() as uow:
        user = await uow.users.get(user_id)
        if user is None:
            raise DomainError(ErrorCode.NOT_FOUND, user_id=user_id)
        user.time_zone = name
        await uow.users.save(user)
        await uow.commit()
        return user


async def roles_of(svc: Services, user_id: int) -> set[Role]:
    """Everyone is a buyer; owning a live shop makes a merchant; settings or appointment make an admin."""
    roles = {Role.BUYER}
    async with svc.uow() as uow:
        if await uow.shops.live_for_owner(user_id) is not None:
            roles.add(Role.MERCHANT)
        user = await uow.users.get(user_id)
    if user_id in svc.policy.root_admin_ids or (user is not None and user.is_admin):
        roles.add(Role.ADMIN)
    return roles


async def roles_for_help(svc: Services, user_id: int) -> list[str]:
    """The roles whose sections /start and /help show the user, the buyer's first, then merchant, each staff role
    (``staff_orders`` …) and admin (``roles_now``).

    Someone holding more than the buyer's role also gets their command menu for those roles queued (once per set
    of roles): an admin named in the settings, or a user who was already a merchant before menus were per role,
    has no other moment at which it would be installed.
    """
    async with svc.uow() as uow:
        held = await roles_now(uow, svc.policy, user_id)
        if len(held) > 1 and await queue_menu_refresh(uow, svc.policy, user_id, because="help:" + "+".join(held)):
            await uow.commit()
    return held


async def welcome_once(svc: Services, *, user_id: int) -> bool:
    """True the first time a user is welcomed (then the welcome and the menu keyboard are due), False after."""
    async with svc.uow() as uow:
        user = await uow.users.get(user_id)
        if user is None or user.welcomed_at is not None:
            return False
        user.welcomed_at = svc.clock.now()
        await uow.users.save(user)
        await uow.commit()
        return True
