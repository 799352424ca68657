"""Domain objects with every field filled in (builders.records with nothing left to its defaults), so a round trip
through storage exercises every column; and a minimal marketplace seeded with them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Protocol

from builders import records
from domain.coupons import Coupon
from domain.events import Actor, ActorRole
from domain.group_buys import GroupBuy, GroupBuyStatus
from domain.money import Money
from domain.orders import Order, OrderLine, OrderStatus
from domain.ports import UnitOfWork
from domain.products import Product
from domain.promotions import Promotion, PromotionKind
from domain.receipts import Adjustment, AdjustmentKind
from domain.reviews import Review
from domain.shops import Shop, ShopStatus, ShopType
from domain.tickets import Ticket, TicketKind, TicketReason, TicketStatus
from domain.users import AddressSnapshot, Language, User

T0 = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
# Times in another zone must come back as the same instant, in UTC.
BEIJING = timezone(timedelta(hours=8))
MERCHANT_ID = 7_000_000_001  # Telegram ids exceed 32 bits
BUYER_ID = 7_000_000_002


class Storage(Protocol):
    """A ``storage.database.Database``, or a contract test's store (tests/contract/store.py)."""

    def uow(self, read_only: bool = False) -> UnitOfWork: ...


def user(user_id: int = BUYER_ID, **changes: Any) -> User:
    fields: dict[str, Any] = {
        "first_name": "小明",
        "username": f"user{user_id}",
        "language": Language.ZH,
        "language_chosen": True,
        "is_admin": False,
        "unreachable": False,
        **changes,
    }
    return records.user(user_id, at=fields.pop("created_at", T0.astimezone(BEIJING)), **fields)


def shop(owner_id: int = MERCHANT_ID, **changes: Any) -> Shop:
    fields: dict[str, Any] = {
        "name": "数码旗舰店 Digital",
        "business_scope": "phones, 配件",
        "shop_type": ShopType.FLAGSHIP,
        "contact_phone": "+86 138 0000 0000",
        "documents": ["licence-file-id", "id-card-file-id"],
        "status": ShopStatus.ACTIVE,
        "agreement_accepted_at": T0 + timedelta(hours=2),
        "decided_at": T0 + timedelta(hours=1),
        "decided_by": 42,
        "deadline_at": T0 + timedelta(days=7),
        "deposit_paid_at": T0 + timedelta(hours=3),
        "deposit_balance": Money(9_500, "XTR"),
        "score": 97,
        "late_shipments": 1,
        "warned_at": T0 + timedelta(days=1),
        **changes,
    }
    return records.shop(
        owner_id, at=fields.pop("created_at", T0), deposit=fields.pop("deposit", Money(10_000, "XTR")), **fields
    )


def product(shop_id: int, **changes: Any) -> Product:
    fields: dict[str, Any] = {
        "title": "小米手机 14",
        "description": "A phone with a big battery",
        "category": "phones",
        "brand": "Xiaomi",
        "stock": 10,
        "photos": ["cover-file-id", "side-file-id"],
        "active": True,
        "sales_count": 5,
        "group_price": Money(349_900, "CNY"),
        "group_size": 3,
        **changes,
    }
    return records.product(
        shop_id, at=fields.pop("created_at", T0), price=fields.pop("price", Money(399_900, "CNY")), **fields
    )


def order(buyer_id: int, shop_id: int, product_id: int, **changes: Any) -> Order:
    fields: dict[str, Any] = {
        "id": 0,
        "buyer_id": buyer_id,
        "shop_id": shop_id,
        "status": OrderStatus.PENDING_PAYMENT,
        "lines": [
            OrderLine(product_id, "小米手机 14", Money(399_900, "CNY"), 2),
            OrderLine(product_id, "Case", Money(1_000, "CNY"), 1),
        ],
        "subtotal": Money(800_800, "CNY"),
        "discount": Money(20_000, "CNY"),
        "total": Money(780_800, "CNY"),
        "address": AddressSnapshot("王伟", "+86 139 1111 2222", "北京市朝阳区 1号"),
        "created_at": T0,
        "adjustments": [
            Adjustment(AdjustmentKind.SPEND_OFF, "满800减200", Money(20_000, "CNY"), promotion_id=None),
            Adjustment(AdjustmentKind.LIMITED_TIME, "Flash", Money(0, "CNY"), promotion_id=None, product_id=product_id),
        ],
        "deadline_at": T0 + timedelta(minutes=30),
        "reminder_at": T0 + timedelta(minutes=20),
        "payment_charge_id": None,
    }
    return Order(**{**fields, **changes})


def ticket(order_id: int, shop_id: int, **changes: Any) -> Ticket:
    fields: dict[str, Any] = {
        "id": 0,
        "order_id": order_id,
        "buyer_id": BUYER_ID,
        "shop_id": shop_id,
        "kind": TicketKind.REFUND_ONLY,
        "reason": TicketReason.QUALITY,
        "text": "One phone is dead",
        "status": TicketStatus.REQUESTED,
        "created_at": T0,
    }
    return Ticket(**{**fields, **changes})


def promotion(shop_id: int, **changes: Any) -> Promotion:
    """A day's limited-time offer (change ``kind`` and give ``tiers`` for a spend-and-save one)."""
    fields: dict[str, Any] = {
        "id": 0,
        "shop_id": shop_id,
        "kind": PromotionKind.LIMITED_TIME,
        "name": "限时 Flash",
        "starts_at": T0,
        "ends_at": T0 + timedelta(days=1),
        "created_at": T0,
    }
    return Promotion(**{**fields, **changes})


def coupon(shop_id: int | None, **changes: Any) -> Coupon:
    """A week's "1 off" coupon of the shop (``None``: a platform coupon), 5 copies."""
    fields: dict[str, Any] = {
        "id": 0,
        "shop_id": shop_id,
        "code": "SAVE0001",
        "min_spend": Money(0, "CNY"),
        "amount_off": Money(100, "CNY"),
        "percent_off": None,
        "cap": None,
        "total": 5,
        "claimed": 0,
        "per_user": 1,
        "starts_at": T0,
        "ends_at": T0 + timedelta(days=7),
        "created_at": T0,
    }
    return Coupon(**{**fields, **changes})


def group_buy(product_id: int, shop_id: int, leader_id: int, **changes: Any) -> GroupBuy:
    fields: dict[str, Any] = {
        "id": 0,
        "product_id": product_id,
        "shop_id": shop_id,
        "leader_id": leader_id,
        "size": 3,
        "price": Money(349_900, "CNY"),
        "status": GroupBuyStatus.OPEN,
        "created_at": T0,
        "deadline_at": T0 + timedelta(hours=24),
        "member_count": 1,
        "reminder_at": T0 + timedelta(hours=22),
    }
    return GroupBuy(**{**fields, **changes})


def system() -> Actor:
    return Actor.system()


def buyer_actor() -> Actor:
    return Actor(BUYER_ID, ActorRole.BUYER)


class Marketplace:
    """Ids of a minimal world: a merchant with an active shop and one product, and a buyer."""

    def __init__(self, shop_id: int, product_id: int) -> None:
        self.merchant_id = MERCHANT_ID
        self.buyer_id = BUYER_ID
        self.shop_id = shop_id
        self.product_id = product_id


async def seed(db: Storage, **product_changes: Any) -> Marketplace:
    async with db.uow() as uow:
        await uow.users.add(user(MERCHANT_ID, first_name="Merchant"))
        await uow.users.add(user(BUYER_ID))
        new_shop = await uow.shops.add(shop(MERCHANT_ID))
        new_product = await uow.products.add(product(new_shop.id, **product_changes))
        await uow.commit()
    return Marketplace(new_shop.id, new_product.id)


async def seed_product(db: Storage, shop_id: int, **changes: Any) -> Product:
    async with db.uow() as uow:
        added = await uow.products.add(product(shop_id, **changes))
        await uow.commit()
    return added


async def seed_review(db: Storage, clock: Any = None) -> Review:
    """A completed order of the minimal world with one review and no reply yet."""
    world = await seed(db)
    async with db.uow() as uow:
        placed = await uow.orders.add(order(BUYER_ID, world.shop_id, world.product_id, status=OrderStatus.COMPLETED))
        review = await uow.reviews.add(
            Review(0, placed.id, world.product_id, BUYER_ID, world.shop_id, 5, 4, 3, "good", T0)
        )
        await uow.commit()
    return review
