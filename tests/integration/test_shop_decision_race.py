"""Two admins approving one application at the same instant, on SQLite and PostgreSQL: one decision is taken, the
other admin is told who took it, the merchant hears once, and only the loser's copy of the alert is edited."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from builders import journeys
from domain.clock import ManualClock
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.shops import ShopStatus
from domain.usecases.shops import approve_shop
from domain.usecases.users import register_user
from storage.database import Database
from tests.integration import builders as b
from tests.integration.test_merchant_money import ADMINS, outcome, services

NAMES = {ADMINS[0]: ("Ada", "ada"), ADMINS[1]: ("Eve", None)}


async def test_two_admins_approving_at_once_make_one_decision_and_the_other_is_told_who(
    database: Database, clock: ManualClock
) -> None:
    svc = services(database, clock)
    for admin, (name, username) in NAMES.items():
        await register_user(svc, user_id=admin, first_name=name, username=username, language_code="en")
    await register_user(svc, user_id=b.MERCHANT_ID, first_name="Bob", username="bob", language_code="en")
    shop = await journeys.apply(svc, Actor.merchant(b.MERCHANT_ID))

    results = await asyncio.gather(
        *(outcome(approve_shop(svc, actor=Actor.admin(admin), shop_id=shop.id)) for admin in ADMINS),
    )

    won = [admin for admin, result in zip(ADMINS, results, strict=True) if not isinstance(result, ErrorCode)]
    assert len(won) == 1 and ErrorCode.ALREADY_DONE in results, results
    winner, loser = won[0], next(admin for admin in ADMINS if admin not in won)
    try:
        await approve_shop(svc, actor=Actor.admin(loser), shop_id=shop.id)
        raise AssertionError("a second decision was taken")
    except DomainError as told:
        assert told.code is ErrorCode.ALREADY_DONE
        assert told.params["decided_by"] == winner and not told.params["mine"]
        assert told.params["decider"] == ("Ada (@ada)" if winner == ADMINS[0] else "Eve")

    async with database.uow(read_only=True) as uow:
        decided = await uow.shops.get(shop.id)
        queued = await uow.outbox.pending(clock.now() + timedelta(days=1), 100)
    assert decided is not None and decided.status is ShopStatus.AWAITING_DEPOSIT and decided.decided_by == winner
    told_merchant = [m for m in queued if m.notification.key == "notify.shop.approved"]
    edits = [m.notification for m in queued if m.notification.edits]
    assert len(told_merchant) == 1
    assert [(e.chat_id, e.key) for e in edits] == [(loser, "notify.shop.decided.awaiting_deposit.admin")]
    alert = next(
        m.notification
        for m in queued
        if m.notification.key == "notify.shop.applied.admin" and m.notification.chat_id == loser
    )
    assert edits[0].edits == alert.dedupe_key
