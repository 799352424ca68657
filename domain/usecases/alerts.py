"""A merchant's alert settings (/notifications): an e-mail address and a phone, each verified by a 6-digit code
sent to it, the channels per event group, the quiet hours of SMS, and the unsubscribe link of every e-mail. The
code's message goes through the outbox like every other message, written in the same transaction as the pending
address or phone."""

from __future__ import annotations

from dataclasses import dataclass

from domain.alerts import (
    CODE_ATTEMPTS,
    VERIFY_KEY,
    VERIFY_SMS_KEY,
    AlertPreferences,
    Channel,
    CodeCheck,
    EventGroup,
    UnreachableMerchant,
    attempts_of,
    check_code,
    new_code,
    parse_quiet_hours,
    pending_of,
    read_unsubscribe_token,
    set_code,
    unsubscribe,
    valid_email,
)
from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.notifications import Notification
from domain.orders import OPEN_STATES
from domain.ports import UnitOfWork
from domain.services import Services
from domain.validation import parse_phone


@dataclass(frozen=True)
class AlertSettings:
    email: str
    pending_email: str
    chosen: dict[EventGroup, frozenset[Channel]]
    phone: str = ""
    pending_phone: str = ""
    shop_phone: str = ""  # the contact phone given at /open_shop, offered for verification
    quiet: tuple[int, int] = (0, 0)  # SMS quiet hours, minutes of the day (equal: none)


def _settings(prefs: AlertPreferences, shop_phone: str = "") -> AlertSettings:
    chosen = {group: frozenset(c for c in prefs.chosen(group) if prefs.verified(c)) for group in EventGroup}
    return AlertSettings(
        prefs.email,
        prefs.pending_email,
        chosen,
        prefs.phone,
        prefs.pending_phone,
        shop_phone,
        (prefs.quiet_from, prefs.quiet_to),
    )


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
        prefs = await _mine(uow, svc, actor)
        shop = await uow.shops.latest_for_owner(prefs.user_id)
        return _settings(prefs, shop.contact_phone if shop is not None else "")


async def ask_email_code(svc: Services, *, actor: Actor, typed: str) -> str:
    """Keep ``typed`` as the pending address and e-mail it a new 6-digit code; returns the address. A bad address
    raises INVALID_EMAIL and changes nothing."""
    address = valid_email(typed)
    if address is None:
        raise DomainError(ErrorCode.INVALID_EMAIL, value=typed.strip()[:80])
    return await _ask_code(svc, actor, Channel.EMAIL, address)


async def ask_phone_code(svc: Services, *, actor: Actor, typed: str | None) -> str:
    """Keep the phone (``typed``, else the shop's contact phone) as the pending one and text it a new 6-digit code;
    returns it in E.164. A bad number raises INVALID_PHONE and changes nothing."""
    if typed is None:
        async with svc.uow(read_only=True) as uow:
            await _mine(uow, svc, actor)
            shop = await uow.shops.latest_for_owner(actor.user_id or 0)
            typed = shop.contact_phone if shop is not None else ""
    return await _ask_code(svc, actor, Channel.SMS, parse_phone(typed))


async def _ask_code(svc: Services, actor: Actor, channel: Channel, target: str) -> str:
    """The code's message goes through the outbox, written in the transaction that keeps the pending target."""
    code = new_code()
    async with svc.uow() as uow:
        prefs = await _mine(uow, svc, actor, for_update=True)
        set_code(prefs, channel, target, code, svc.clock.now())
        await uow.alerts.save(prefs)
        key = VERIFY_KEY if channel is Channel.EMAIL else VERIFY_SMS_KEY
        await uow.outbox.add(
            Notification(
                chat_id=prefs.user_id,
                key=key,
                dedupe_key=f"alerts:{prefs.user_id}:verify:{prefs.version}"
                + ("" if channel is Channel.EMAIL else "#sms"),
                args={"code": code},
                channel=str(channel),
                address=target,
            )
        )
        await uow.commit()
    return target


@dataclass(frozen=True)
class CodeResult:
    check: CodeCheck
    email: str  # the address (or phone) verified, or still pending
    attempts_left: int


async def confirm_email_code(
    svc: Services, *, actor: Actor, typed: str, channel: Channel = Channel.EMAIL
) -> CodeResult:
    """Check a typed code: OK verifies the pending address (or phone); a wrong one counts (a few tries), an expired
    one asks for a new code."""
    async with svc.uow() as uow:
        prefs = await _mine(uow, svc, actor, for_update=True)
        pending = pending_of(prefs, channel)
        result = check_code(prefs, typed, svc.clock.now(), channel)
        if result in (CodeCheck.OK, CodeCheck.WRONG, CodeCheck.TOO_MANY):
            await uow.alerts.save(prefs)
            await uow.commit()
    return CodeResult(result, pending, CODE_ATTEMPTS - attempts_of(prefs, channel))


async def set_quiet_hours(svc: Services, *, actor: Actor, typed: str) -> AlertSettings:
    """SMS quiet hours from "22:00-08:00" (or "off"); anything else raises INVALID_QUIET_HOURS and changes
    nothing."""
    found = parse_quiet_hours(typed)
    if found is None:
        raise DomainError(ErrorCode.INVALID_QUIET_HOURS, value=typed.strip()[:40])
    async with svc.uow() as uow:
        prefs = await _mine(uow, svc, actor, for_update=True)
        if (prefs.quiet_from, prefs.quiet_to) != found:
            prefs.quiet_from, prefs.quiet_to = found
            await uow.alerts.save(prefs)
            await uow.commit()
        return _settings(prefs)


async def choose_channel(
    svc: Services, *, actor: Actor, group: EventGroup, channel: Channel, on: bool
) -> AlertSettings:
    """Turn one channel of one event group on or off (the state wanted: a doubled press changes nothing). E-mail
    needs a verified address first, SMS a verified phone."""
    async with svc.uow() as uow:
        prefs = await _mine(uow, svc, actor, for_update=True)
        if on and not prefs.verified(channel):
            code = ErrorCode.INVALID_EMAIL if channel is Channel.EMAIL else ErrorCode.PHONE_NOT_VERIFIED
            raise DomainError(code, value="")
        if (channel in prefs.chosen(group)) != on:
            prefs.choose(group, channel, on)
            await uow.alerts.save(prefs)
            await uow.commit()
        return _settings(prefs)


async def remove_contact(svc: Services, *, actor: Actor, channel: Channel) -> AlertSettings:
    """Remove the e-mail address (or phone), verified or pending: nothing goes there any more, not even what was
    still queued for it. Done twice, the second changes nothing."""
    async with svc.uow() as uow:
        prefs = await _mine(uow, svc, actor, for_update=True)
        if prefs.verified(channel) or pending_of(prefs, channel):
            prefs.forget(channel)
            await uow.alerts.save(prefs)
            await uow.outbox.drop_pending(prefs.user_id, str(channel), f"{channel} removed by the merchant")
            await uow.commit()
        shop = await uow.shops.latest_for_owner(prefs.user_id)
        return _settings(prefs, shop.contact_phone if shop is not None else "")


async def alert_addresses(svc: Services, user_id: int) -> tuple[list[str], list[str]]:
    """Where a user's alerts go, verified or waiting for their code: (e-mail addresses, phones). For the sandbox's
    inboxes, which show a user what was sent there."""
    async with svc.uow(read_only=True) as uow:
        prefs = await uow.alerts.get(user_id)
    if prefs is None:
        return [], []
    emails = [address for address in (prefs.email, prefs.pending_email) if address]
    return emails, [phone for phone in (prefs.phone, prefs.pending_phone) if phone]


UNREACHABLE_SHOWN = 50


async def unreachable_merchants(svc: Services, *, actor: Actor | None) -> list[UnreachableMerchant]:
    """Merchants who blocked the bot while their shop has open orders (most first): for the admins (``actor``; None
    is the operator's CLI, which has the database already)."""
    async with svc.uow(read_only=True) as uow:
        if actor is not None:
            await authorize(uow, svc.policy, Action.VIEW_PLATFORM, actor)
        return await uow.alerts.unreachable_merchants(sorted(OPEN_STATES), limit=UNREACHABLE_SHOWN)


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
