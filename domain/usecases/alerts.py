"""A merchant's alert settings (/notifications): an e-mail address verified by a 6-digit code sent to it, the
channels per event group, and the unsubscribe link of every e-mail. The code's e-mail goes through the outbox like
every other message, written in the same transaction as the pending address."""

from __future__ import annotations

from dataclasses import dataclass

from domain.alerts import (
    CODE_ATTEMPTS,
    CODE_TTL,
    VERIFY_KEY,
    AlertPreferences,
    Channel,
    CodeCheck,
    EventGroup,
    check_code,
    hash_code,
    new_code,
    read_unsubscribe_token,
    unsubscribe,
    valid_email,
)
from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.notifications import Notification
from domain.ports import UnitOfWork
from domain.services import Services


@dataclass(frozen=True)
class AlertSettings:
    email: str
    pending_email: str
    chosen: dict[EventGroup, frozenset[Channel]]


def _settings(prefs: AlertPreferences) -> AlertSettings:
    unverified = set() if prefs.email else {Channel.EMAIL}
    chosen = {group: frozenset(prefs.chosen(group) - unverified) for group in EventGroup}
    return AlertSettings(prefs.email, prefs.pending_email, chosen)


async def _mine(uow: UnitOfWork, svc: Services, actor: Actor, *, for_update: bool = False) -> AlertPreferences:
    """The merchant's settings (new ones if none yet), after checking they run a shop."""
    if actor.user_id is None:
        raise DomainError(ErrorCode.FORBIDDEN, action=Action.MANAGE_ALERTS.value, role=actor.role.value)
    shop = await uow.shops.latest_for_owner(actor.user_id)
    await authorize(uow, svc.policy, Action.MANAGE_ALERTS, actor, shop=shop)
    found = await uow.alerts.get(actor.user_id, for_update=for_update)
    return found or AlertPreferences(user_id=actor.user_id)


async def alert_settings(svc: Services, *, actor: Actor) -> AlertSettings:
    async with svc.uow(read_only=True) as uow:
        return _settings(await _mine(uow, svc, actor))


async def ask_email_code(svc: Services, *, actor: Actor, typed: str) -> str:
    """Keep ``typed`` as the pending address and e-mail it a new 6-digit code; returns the address. A bad address
    raises INVALID_EMAIL and changes nothing."""
    address = valid_email(typed)
    if address is None:
        raise DomainError(ErrorCode.INVALID_EMAIL, value=typed.strip()[:80])
    code = new_code()
    async with svc.uow() as uow:
        prefs = await _mine(uow, svc, actor, for_update=True)
        prefs.pending_email, prefs.code_hash = address, hash_code(prefs.user_id, code)
        prefs.code_expires_at, prefs.code_attempts = svc.clock.now() + CODE_TTL, 0
        await uow.alerts.save(prefs)
        await uow.outbox.add(
            Notification(
                chat_id=prefs.user_id,
                key=VERIFY_KEY,
                dedupe_key=f"alerts:{prefs.user_id}:verify:{prefs.version}",
                args={"code": code},
                channel=str(Channel.EMAIL),
                address=address,
            )
        )
        await uow.commit()
    return address


@dataclass(frozen=True)
class CodeResult:
    check: CodeCheck
    email: str
    attempts_left: int


async def confirm_email_code(svc: Services, *, actor: Actor, typed: str) -> CodeResult:
    """Check a typed code: OK verifies the pending address; a wrong one counts (a few tries), an expired one
    asks for a new code."""
    async with svc.uow() as uow:
        prefs = await _mine(uow, svc, actor, for_update=True)
        pending = prefs.pending_email
        result = check_code(prefs, typed, svc.clock.now())
        if result in (CodeCheck.OK, CodeCheck.WRONG, CodeCheck.TOO_MANY):
            await uow.alerts.save(prefs)
            await uow.commit()
    return CodeResult(result, prefs.email if result is CodeCheck.OK else pending, CODE_ATTEMPTS - prefs.code_attempts)


async def choose_channel(
    svc: Services, *, actor: Actor, group: EventGroup, channel: Channel, on: bool
) -> AlertSettings:
    """Turn one channel of one event group on or off (the state wanted: a doubled press changes nothing). E-mail
    needs a verified address first."""
    async with svc.uow() as uow:
        prefs = await _mine(uow, svc, actor, for_update=True)
        if channel is Channel.EMAIL and on and not prefs.email:
            raise DomainError(ErrorCode.INVALID_EMAIL, value="")
        if (channel in prefs.chosen(group)) != on:
            prefs.choose(group, channel, on)
            await uow.alerts.save(prefs)
            await uow.commit()
        return _settings(prefs)


async def unsubscribe_by_link(svc: Services, *, secret: str, token: str) -> bool | None:
    """An unsubscribe link followed: None for a token that is not ours, else whether anything changed."""
    found = read_unsubscribe_token(secret, token)
    if found is None:
        return None
    user_id, target = found
    async with svc.uow() as uow:
        prefs = await uow.alerts.get(user_id, for_update=True)
        if prefs is None or not unsubscribe(prefs, target):
            return False
        await uow.alerts.save(prefs)
        await uow.commit()
    return True
