"""Reading money off the fake world: balances, the kinds booked for an order, and the ledger check."""

from __future__ import annotations

from domain.ledger import Account, References, TransactionKind
from domain.usecases.ledger_check import check_ledger
from tests.fakes import World


async def balance(world: World, account: Account) -> int:
    async with world.db.uow(read_only=True) as uow:
        return (await uow.ledger.balance(account)).amount


async def credit_of(world: World, user_id: int) -> int:
    return await balance(world, Account.buyer_credit(user_id, "XTR"))


async def kinds_for(world: World, order_id: int) -> list[TransactionKind]:
    async with world.db.uow(read_only=True) as uow:
        return [tx.kind for tx in await uow.ledger.transactions_for(References(order_id=order_id))]


async def assert_ledger_clean(world: World) -> None:
    report = await check_ledger(world.db.uow)
    assert report.clean, [str(finding) for finding in report.findings]
