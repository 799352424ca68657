"""One full buyer → merchant journey, driven update by update: the shared script of the reliability tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from builders import journeys
from domain.orders import Order, OrderStatus
from domain.products import Product
from domain.routes import Route
from domain.services import Services
from domain.shops import Shop
from sandbox import ADMIN_ADA_ID, BUYER_ALICE_ID, MERCHANT_BOB_ID
from tests.reliability.inprocess import Bot

BUYER = BUYER_ALICE_ID
MERCHANT = MERCHANT_BOB_ID
ADDRESS = ("Alice Zhang", "+8613800000000", "1 Nanjing Road, Shanghai")  # name, phone, where


@dataclass
class Market:
    shop: Shop
    product: Product


class HasServices(Protocol):
    @property
    def svc(self) -> Services: ...


async def open_market(bot: HasServices, owner_id: int = MERCHANT, *, stock: int = 10) -> Market:
    """An active shop with one product, made through the use cases (with fixed charge ids, so that two runs of a
    test make identical rows)."""
    shop = await journeys.open_shop(
        bot.svc,
        owner_id,
        admin_id=ADMIN_ADA_ID,
        name=f"Shop of {owner_id}",
        business_scope="Fresh fruit",
        contact_phone="+8613800000000",
        owner_name=f"User{owner_id}",
    )
    product = await journeys.list_product(
        bot.svc,
        shop,
        title="Sweet mango",
        price=120,
        stock=stock,
        category="Fruit",
        brand="Hainan",
        description="Ripe Hainan mangoes, 1 kg box",
    )
    return Market(shop, product)


async def type_address(bot: Bot, *answers: str) -> None:
    """The buyer types ``answers`` to the address questions; after all three (name, phone, where) she presses ✅ on
    the address read back to her, which takes her to the review."""
    for answer in answers:
        await bot.say(BUYER, answer)
    if len(answers) == len(ADDRESS):
        await bot.press(BUYER, Route.ADDRESS_CONFIRM.data())


async def check_out(bot: Bot, market: Market, *answers: str) -> None:
    """The buyer puts the market's product in her cart, checks out and types ``answers`` to the address questions
    (name, phone, where: all three take her to the review)."""
    await bot.press(BUYER, f"b1:add:{market.product.id}")
    await bot.press(BUYER, "b1:co")
    await type_address(bot, *answers)


async def buy_and_ship(bot: Bot, market: Market, *, charge_id: str = "charge-journey-1") -> Order:
    """Browse, add to cart, check out with a new address, pay; the merchant accepts and ships; the buyer tracks
    and confirms receipt. Returns the order as the buyer last saw it placed."""
    product = market.product
    await bot.say(BUYER, "/start")
    await bot.say(BUYER, "/browse")
    await bot.press(BUYER, f"b1:p:{product.id}")
    await bot.press(BUYER, f"b1:add:{product.id}")
    await bot.say(BUYER, "/cart")
    await bot.press(BUYER, "b1:co")
    await type_address(bot, *ADDRESS)
    nonce = (await bot.flow_data(BUYER)).get("nonce")
    assert nonce, "checkout did not reach its review"
    await bot.press(BUYER, f"b1:cfm:{nonce}")
    (order,) = await bot.orders_of(BUYER, OrderStatus.PENDING_PAYMENT)
    await bot.pay(BUYER, order, charge_id)
    await bot.press(MERCHANT, f"o1:acc:{order.id}")
    await bot.say(MERCHANT, f"/ship {order.id} SF Express SF1234567890")
    await bot.press(BUYER, f"o1:trk:{order.id}")
    await bot.press(BUYER, f"o1:cfm:{order.id}")
    await bot.press(BUYER, f"o1:cfm:{order.id}:y")
    return order
