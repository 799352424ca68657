"""Two admins mark the same provider refund done at the same moment: one wins, the other is told, and the money
is booked once (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from domain.clock import ManualClock
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.ledger import Account, References, TransactionKind
from domain.money import Money
from domain.payments import Payment, PaymentPurpose, Refund, RefundMethod, RefundStatus
from domain.policy import Policy
from domain.services import Services
from domain.usecases.provider_refunds import finish_provider_refund
from storage.database import Database
from tests.integration import builders as b

ADMINS = (9_000_000_001, 9_000_000_002)


async def _provider_refund(database: Database) -> int:
    market = await b.seed(database)
    async with database.uow() as uow:
        payment = Payment(
            0, PaymentPurpose.ORDER, b.BUYER_ID, Money(1250, "CNY"), "tg-cny-1", b.T0, provider_charge_id="p-1"
        )
        assert await uow.payments.record(payment)
        refund = await uow.payments.add_refund(
            Refund(
                0,
                payment.id,
                None,
                b.BUYER_ID,
                payment.amount,
                "cancelled",
                RefundMethod.RECORDED,
                RefundStatus.PENDING,
                b.T0,
                charge_id=payment.charge_id,
            )
        )
        await uow.commit()
    assert market.shop_id  # the buyer exists
    return refund.id


async def test_two_admins_marking_one_provider_refund_at_once_one_wins(database: Database) -> None:
    refund_id = await _provider_refund(database)
    svc = Services(
        uow=database.uow, clock=ManualClock(b.T0), policy=Policy(currency="CNY", root_admin_ids=frozenset(ADMINS))
    )

    async def mark(admin: int) -> str:
        try:
            await finish_provider_refund(svc, actor=Actor.admin(admin), refund_id=refund_id, reference=f"REF-{admin}")
        except DomainError as error:
            return error.code.value
        return "done"

    results = await asyncio.gather(*(mark(admin) for admin in ADMINS))

    assert sorted(results) == sorted(["done", ErrorCode.ALREADY_DONE.value])
    winner = ADMINS[results.index("done")]
    async with database.uow(read_only=True) as uow:
        refund = await uow.refund_queries.get(refund_id)
        booked = await uow.ledger.transactions_for(References(refund_id=refund_id))
        assert await uow.ledger.balance(Account.refunds_out("CNY")) == Money(1250, "CNY")
        history = await uow.audit.for_entity("refund", refund_id)
        told = [m.notification.key for m in await uow.outbox.pending(b.T0 + timedelta(days=1), 50)]
    assert refund is not None and refund.status is RefundStatus.DONE
    assert [tx.kind for tx in booked] == [TransactionKind.REFUND_TO_CHARGE]
    assert f"REF-{winner}" in booked[0].memo
    assert [(event.actor_id, event.data["reference"]) for event in history] == [(winner, f"REF-{winner}")]
    assert told.count("notify.refund.provider_done") == 1
