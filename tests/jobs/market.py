"""A marketplace on a real database (SQLite or PostgreSQL) and short-cuts through the journeys that set deadlines."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from builders import journeys, records
from builders.journeys import order_in
from domain.clock import ManualClock
from domain.events import Actor
from domain.money import Money
from domain.notifications import Notification
from domain.orders import Order, OrderStatus
from domain.policy import Policy
from domain.products import Product
from domain.services import Services
from domain.shops import Shop
from domain.users import Language
from storage.database import Database
from storage.models import AuditEventRow, OutboxRow

ADMIN = 1
MERCHANT = 100
BUYERS = (200, 201, 202)
BUYER = BUYERS[0]
ADDRESS = journeys.ADDRESS


@dataclass
class Market:
    database: Database
    clock: ManualClock
    svc: Services
    shop: Shop
    product: Product
    group_product: Product
    _charges: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def money(self, amount: int) -> Money:
        return Money(amount, "XTR")

    async def buy(self, *, buyer: int = BUYER, product: Product | None = None) -> Order:
        return await order_in(self.svc, product or self.product, OrderStatus.PENDING_PAYMENT, buyer_id=buyer)

    async def pay(self, order: Order) -> Order:
        from domain.usecases.orders import pay_order

        return await pay_order(
            self.svc,
            order_id=order.id,
            payer_id=order.buyer_id,
            charge_id=f"charge-{next(self._charges)}",
            amount=order.to_pay.amount,
            currency=order.total.currency,
        )

    async def paid_order(self, *, buyer: int = BUYER) -> Order:
        return await self.pay(await self.buy(buyer=buyer))

    async def shipped_order(self, *, buyer: int = BUYER) -> Order:
        charge = f"charge-{next(self._charges)}"
        return await order_in(self.svc, self.product, OrderStatus.SHIPPED, buyer_id=buyer, charge_id=charge)

    async def group_order(self, *, buyer: int, group_id: int | None = None) -> Order:
        from domain.usecases.orders import place_group_order

        order = await place_group_order(
            self.svc,
            actor=Actor.buyer(buyer),
            product_id=self.group_product.id,
            group_buy_id=group_id,
            address=ADDRESS,
        )
        return await self.pay(order)

    async def order(self, order_id: int) -> Order:
        async with self.database.uow(read_only=True) as uow:
            found = await uow.orders.get(order_id)
        assert found is not None
        return found

    async def messages(self) -> list[tuple[int, str, str]]:
        """(chat, key, dedupe key) of every queued notification, oldest first."""
        async with self.database.uow(read_only=True) as uow:
            rows = await uow.session.execute(
                select(OutboxRow.chat_id, OutboxRow.key, OutboxRow.dedupe_key).order_by(OutboxRow.id)
            )
            return [tuple(row) for row in rows]  # type: ignore[misc]

    async def transitions(self, entity: str, entity_id: int) -> list[tuple[str, str]]:
        async with self.database.uow(read_only=True) as uow:
            events = await uow.audit.for_entity(entity, entity_id)
        return [(e.src, e.dst) for e in events]

    async def count(self, row: Any, *where: Any) -> int:
        async with self.database.uow(read_only=True) as uow:
            return int(await uow.session.scalar(select(func.count()).select_from(row).where(*where)) or 0)

    async def audit_rows(self) -> int:
        return await self.count(AuditEventRow)


def policy() -> Policy:
    return Policy(currency="XTR", root_admin_ids=frozenset({ADMIN}))


async def open_market(database: Database, clock: ManualClock, *, stock: int = 1000) -> Market:
    """An active shop selling tea (also as a group buy of 2), a merchant, three buyers and an admin."""
    svc = Services(uow=database.uow, clock=clock, policy=policy())
    now = clock.now()
    price = Money(100, "XTR")
    async with database.uow() as uow:
        for user_id, language in ((ADMIN, Language.EN), (MERCHANT, Language.ZH), *((b, Language.EN) for b in BUYERS)):
            await uow.users.add(records.user(user_id, at=now, language=language))
        shop = await uow.shops.add(records.shop(MERCHANT, at=now, deposit=Money(1000, "XTR")))
        product = await uow.products.add(records.product(shop.id, at=now, price=price, stock=stock))
        group_product = await uow.products.add(
            records.product(
                shop.id, at=now, price=price, title="Oolong", stock=stock, group_price=Money(80, "XTR"), group_size=2
            )
        )
        await uow.commit()
    return Market(database, clock, svc, shop, product, group_product)


def notification(chat_id: int, key: str = "jobs.menu.help", dedupe: str | None = None, **args: Any) -> Notification:
    return Notification(chat_id=chat_id, key=key, dedupe_key=dedupe or f"{chat_id}:{key}:{id(args)}", args=args)
