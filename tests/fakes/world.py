"""A small marketplace on the fake database: people, a shop, products, and short-cuts through common journeys."""

from __future__ import annotations

import copy
import itertools
from typing import Any

from builders import journeys, records
from domain.clock import ManualClock
from domain.events import Actor, StateChanged
from domain.group_buys import GroupBuy
from domain.money import Money
from domain.notifications import Notification
from domain.orders import Order, OrderStatus
from domain.payments import Payment, Refund
from domain.policy import Policy
from domain.products import CartItem, Product
from domain.promotions import Promotion
from domain.services import Services
from domain.shops import Shop, ShopStatus, ShopType
from domain.users import Address, User
from tests.fakes.database import FakeDatabase

ADMIN = 1  # listed in the settings
APPOINTED_ADMIN = 2  # appointed by an admin (users.is_admin)
MERCHANT = 100
OTHER_MERCHANT = 101
BUYER = 200
OTHER_BUYER = 201
THIRD_BUYER = 202
STRANGER = 300  # a registered user with no role in anything

ADDRESS = journeys.ADDRESS


class World:
    def __init__(self, *, for_update: str = "block", currency: str = "XTR", policy: Policy | None = None):
        self.clock = ManualClock()
        self.currency = currency
        self.db = FakeDatabase(clock=self.clock, for_update=for_update)
        self.policy = policy or Policy(currency=currency, root_admin_ids=frozenset({ADMIN}))
        self.svc = Services(uow=self.db.uow, clock=self.clock, policy=self.policy)
        self._charges = itertools.count(1)
        for user_id in (ADMIN, MERCHANT, OTHER_MERCHANT, BUYER, OTHER_BUYER, THIRD_BUYER, STRANGER):
            self.add_user(user_id)
        self.add_user(APPOINTED_ADMIN, is_admin=True)

    # --- set-up ----------------------------------------------------------------------------------------------
    def money(self, amount: int) -> Money:
        return Money(amount, self.currency)

    def add_user(self, user_id: int, *, is_admin: bool = False) -> User:
        return self.db.insert("users", records.user(user_id, at=self.clock.now(), is_admin=is_admin))

    def add_shop(
        self,
        owner_id: int = MERCHANT,
        *,
        status: ShopStatus = ShopStatus.ACTIVE,
        name: str = "Tea House",
        shop_type: ShopType = ShopType.INDIVIDUAL,
        **fields: Any,
    ) -> Shop:
        shop = records.shop(
            owner_id,
            at=self.clock.now(),
            deposit=self.policy.deposit_for(shop_type),
            status=status,
            name=name,
            shop_type=shop_type,
            **fields,
        )
        return self.db.insert("shops", shop)

    def add_product(
        self,
        shop: Shop,
        *,
        title: str = "Green tea",
        price: int = 1000,
        stock: int = 10,
        active: bool = True,
        group_price: int | None = None,
        group_size: int | None = None,
        category: str = "tea",
        **fields: Any,
    ) -> Product:
        product = records.product(
            shop.id,
            at=self.clock.now(),
            price=self.money(price),
            title=title,
            stock=stock,
            category=category,
            active=active,
            group_price=self.money(group_price) if group_price is not None else None,
            group_size=group_size,
            **fields,
        )
        return self.db.insert("products", product)

    def add_address(self, user_id: int = BUYER) -> Address:
        return self.db.insert(
            "addresses", Address(0, user_id, ADDRESS.name, ADDRESS.phone, ADDRESS.text, self.clock.now())
        )

    def add_to_cart(self, user_id: int, product: Product, quantity: int) -> None:
        item = CartItem(user_id, product.id, quantity, self.clock.now())
        self.db.insert("carts", item, key=(user_id, product.id))

    def add_promotion(self, promotion: Promotion) -> Promotion:
        return self.db.insert("promotions", promotion)

    # --- committed state -----------------------------------------------------------------------------------------
    def order(self, order_id: int) -> Order:
        return self.db.get("orders", order_id)

    def shop(self, shop_id: int) -> Shop:
        return self.db.get("shops", shop_id)

    def product(self, product_id: int) -> Product:
        return self.db.get("products", product_id)

    def group(self, group_id: int) -> GroupBuy:
        return self.db.get("group_buys", group_id)

    def messages(self, chat_id: int | None = None) -> list[Notification]:
        rows = self.db.rows("outbox", lambda row: chat_id is None or row.notification.chat_id == chat_id)
        return [row.notification for row in rows]

    def sent(self, chat_id: int | None = None) -> list[str]:
        """Message keys queued (for ``chat_id``, or anyone), oldest first."""
        return [message.key for message in self.messages(chat_id)]

    def message(self, chat_id: int, key: str) -> Notification:
        found = [message for message in self.messages(chat_id) if message.key == key]
        assert len(found) == 1, f"expected one {key!r} to {chat_id}, got {self.sent(chat_id)}"
        return found[0]

    def refunds(self, order_id: int | None = None) -> list[Refund]:
        return self.db.rows("refunds", lambda refund: order_id is None or refund.order_id == order_id)

    def payments(self) -> list[Payment]:
        return self.db.rows("payments")

    def audit(self, entity: str, entity_id: int) -> list[StateChanged]:
        return self.db.rows("audit", lambda event: (event.entity, event.entity_id) == (entity, entity_id))

    def state(self) -> dict[str, dict[Any, Any]]:
        """Everything committed, for asserting that a refused action changed nothing."""
        return {table: copy.deepcopy(rows) for table, rows in self.db.tables.items() if rows}

    # --- short-cuts through journeys --------------------------------------------------------------------------
    def charge_id(self) -> str:
        return f"charge-{next(self._charges)}"

    async def buy(self, product: Product, quantity: int = 1, *, buyer: int = BUYER) -> Order:
        return await journeys.order_in(
            self.svc, product, OrderStatus.PENDING_PAYMENT, buyer_id=buyer, quantity=quantity, address=ADDRESS
        )

    async def pay(self, order: Order, *, charge_id: str | None = None, amount: int | None = None) -> Order:
        from domain.usecases.orders import pay_order

        return await pay_order(
            self.svc,
            order_id=order.id,
            payer_id=order.buyer_id,
            charge_id=charge_id or self.charge_id(),
            amount=order.to_pay.amount if amount is None else amount,
            currency=order.total.currency,
        )

    async def paid_order(self, product: Product, quantity: int = 1, *, buyer: int = BUYER) -> Order:
        return await self.pay(await self.buy(product, quantity, buyer=buyer))

    async def order_in(self, product: Product, status: OrderStatus, *, buyer: int = BUYER) -> Order:
        """An order taken through the use cases to ``status`` (see builders.journeys.order_in)."""
        return await journeys.order_in(self.svc, product, status, buyer_id=buyer, charge_id=self.charge_id())

    async def shipped_order(self, product: Product, *, buyer: int = BUYER) -> Order:
        return await self.order_in(product, OrderStatus.SHIPPED, buyer=buyer)

    async def join_group(self, product: Product, group_id: int | None, *, buyer: int) -> Order:
        from domain.usecases.orders import place_group_order

        return await place_group_order(
            self.svc, actor=Actor.buyer(buyer), product_id=product.id, group_buy_id=group_id, address=ADDRESS
        )
