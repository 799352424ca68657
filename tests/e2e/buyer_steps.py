"""Steps the buyer journeys share: reading what a user sees, and set-up that is not the point of a test.

Set-up that belongs to other roles (a merchant shipping, a promotion, a review) goes through their use cases;
everything the buyer does goes through the sandbox driver, as a person would.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from builders import journeys, records
from domain.events import Actor
from domain.money import Money
from domain.orders import Order
from domain.products import Product
from domain.promotions import Promotion, PromotionKind, SpendTier
from domain.shops import Shop
from domain.usecases.orders import buy_now, confirm_receipt, pay_order, ship_order
from domain.usecases.reviews import reply_to_review
from domain.usecases.users import register_user
from domain.users import AddressSnapshot
from sandbox import BUYER_ALICE_ID, BUYER_XIAOMING_ID, MERCHANT_BOB_ID
from sandbox.files import store_bytes
from tests.e2e import factories
from tests.e2e.harness import Stack

ALICE, XIAOMING, BOB = BUYER_ALICE_ID, BUYER_XIAOMING_ID, MERCHANT_BOB_ID
CAROL = 2002  # a second merchant
ALICES_ADDRESS = ("Alice", "13800000000", "1 Orchard Lane")
Message = dict[str, Any]


def text_of(message: Message | None) -> str:
    if not message:
        return ""
    return message.get("text") or message.get("caption") or ""


def labels(message: Message | None) -> list[str]:
    return [button["text"] for row in (message or {}).get("inline_keyboard") or [] for button in row]


def callback_data(message: Message | None) -> list[str]:
    return [button.get("callback_data", "") for row in (message or {}).get("inline_keyboard") or [] for button in row]


async def last(stack: Stack, user_id: int) -> Message:
    message = await stack.driver.last_bot_message(user_id)
    assert message is not None, f"no bot message for {user_id}"
    return message


async def message(stack: Stack, user_id: int, message_id: int) -> Message:
    """A message as it looks now (edits included)."""
    found = [m for m in await stack.driver.bot_messages(user_id) if m["message_id"] == message_id]
    assert found, f"no message {message_id} for {user_id}"
    return found[0]


async def find(stack: Stack, user_id: int, needle: str, *, wait: float = 10.0) -> Message:
    """The newest bot message containing ``needle``, waiting a little for it: notifications go out through the
    outbox, whose per-chat pacing may still be holding one back when the bot itself is already idle."""

    def newest(chat: dict[str, Any]) -> Message | None:
        bot = [m for m in chat["messages"] if m.get("from_bot") and needle in text_of(m)]
        return bot[-1] if bot else None

    return await stack.driver.wait_for(user_id, newest, timeout=wait, what=f"a message with {needle!r}")


async def reply_keyboard(stack: Stack, user_id: int) -> list[str]:
    markup = (await stack.driver.chat(user_id))["reply_keyboard"] or {}
    rows = markup.get("keyboard", []) if isinstance(markup, dict) else markup
    return [button["text"] if isinstance(button, dict) else str(button) for row in rows for button in row]


async def invoices(stack: Stack, user_id: int) -> list[Message]:
    return [m for m in await stack.driver.bot_messages(user_id) if m.get("invoice")]


async def alerts(stack: Stack, user_id: int) -> list[str]:
    return [m["text"] for m in await stack.driver.toasts(user_id)]


def photo(stack: Stack, name: str = "cover.jpg") -> str:
    """A photo file the sandbox knows, as if a merchant had uploaded it."""
    return store_bytes(
        stack.sandbox.world, b"not really a jpeg", file_name=name, mime_type="image/jpeg", as_photo=True
    ).file_id


def money(stack: Stack, amount: int) -> Money:
    return Money(amount, stack.settings.currency)


async def shop(stack: Stack, owner_id: int = BOB, name: str = "Bob's Fruit") -> Shop:
    if owner_id == CAROL:  # not one of the sandbox's default users: she needs a chat to be alerted in
        await stack.driver.create_user(CAROL, "Merchant Carol", language_code="en")
    return await factories.active_shop(stack, owner_id, name=name)


async def product(stack: Stack, shop_: Shop, **fields: Any) -> Product:
    return await factories.product(stack, shop_, **fields)


async def promotion(stack: Stack, promo: Promotion) -> Promotion:
    async with stack.svc.uow() as uow:
        saved = await uow.promotions.add(promo)
        await uow.commit()
    return saved


async def _running_promotion(stack: Stack, shop_: Shop, kind: PromotionKind, name: str, **terms: Any) -> Promotion:
    """A promotion of ``shop_`` that started an hour ago and runs for two more days."""
    now = stack.clock.now()
    window = {"starts_at": now - timedelta(hours=1), "ends_at": now + timedelta(days=2)}
    return await promotion(stack, records.promotion(shop_.id, kind, at=now, name=name, **window, **terms))


async def discount(stack: Stack, shop_: Shop, *, percent: int, product_id: int | None = None, name: str = "Flash sale"):
    return await _running_promotion(
        stack, shop_, PromotionKind.LIMITED_TIME, name, product_id=product_id, percent_off=percent
    )


async def spend_off(stack: Stack, shop_: Shop, *, threshold: int, off: int, name: str = "Spend & save"):
    tiers = [SpendTier(money(stack, threshold), money(stack, off))]
    return await _running_promotion(stack, shop_, PromotionKind.SPEND_OFF, name, tiers=tiers)


ADDRESS = AddressSnapshot("Zhang Wei", "+8613900000000", "8 Garden Road, Shanghai")


async def registered(stack: Stack, user_id: int) -> None:
    """The user as if they had talked to the bot before (their language from the sandbox's profile)."""
    profile = await stack.driver.get_user(user_id)
    await register_user(
        stack.svc,
        user_id=user_id,
        first_name=profile.get("first_name", ""),
        username=profile.get("username"),
        language_code=profile.get("language_code"),
    )


async def placed_order(stack: Stack, product_: Product, buyer: int = XIAOMING, quantity: int = 1) -> Order:
    """An unpaid order of another buyer, made directly (it is not what the test is about)."""
    await registered(stack, buyer)
    return await buy_now(
        stack.svc, actor=Actor.buyer(buyer), product_id=product_.id, quantity=quantity, address=ADDRESS
    )


_charges = iter(range(1, 10**9))


async def paid_order(stack: Stack, product_: Product, buyer: int = XIAOMING, quantity: int = 1) -> Order:
    order = await placed_order(stack, product_, buyer, quantity)
    return await pay_order(
        stack.svc,
        order_id=order.id,
        payer_id=buyer,
        charge_id=f"steps-{next(_charges)}",
        amount=order.to_pay.amount,
        currency=order.total.currency,
    )


async def ship(stack: Stack, order_id: int, *, owner_id: int = BOB, carrier: str = "sandbox") -> Order:
    shipped = await ship_order(
        stack.svc, actor=Actor.merchant(owner_id), order_id=order_id, carrier=carrier, tracking_number="SBX-0001"
    )
    await stack.settle()
    return shipped


async def completed_order(stack: Stack, product_: Product, buyer: int, *, owner_id: int = BOB) -> Order:
    """``buyer``'s paid order of one ``product_``, shipped by the shop's owner and confirmed received."""
    order = await paid_order(stack, product_, buyer)
    await ship(stack, order.id, owner_id=owner_id)
    completed = await confirm_receipt(stack.svc, actor=Actor.buyer(buyer), order_id=order.id)
    await stack.settle()
    return completed


async def reviewed(stack: Stack, product_: Product, *, buyer: int, scores: tuple[int, int, int], text: str, reply: str):
    """A completed order of ``buyer`` with a review and the merchant's answer."""
    order = await paid_order(stack, product_, buyer)
    await ship_order(stack.svc, actor=Actor.merchant(BOB), order_id=order.id, carrier="SF", tracking_number="SF0001")
    await confirm_receipt(stack.svc, actor=Actor.buyer(buyer), order_id=order.id)
    review = await journeys.reviewed(stack.svc, order, scores=scores, text=text)
    return await reply_to_review(stack.svc, actor=Actor.merchant(BOB), review_id=review.id, text=reply)


async def answered(stack: Stack, user_id: int, *typed_and_answers: tuple[str, str]) -> None:
    """The user types each text in turn, and each time the bot's answer says what is expected of it."""
    for typed, answer in typed_and_answers:
        assert answer in await stack.answer(user_id, typed), typed


async def in_chinese(stack: Stack, *user_ids: int) -> None:
    """Each user switches the bot to Chinese with /language."""
    for user_id in user_ids:
        await stack.say(user_id, "/language")
        await stack.press(user_id, "中文")


async def buy_one_now(stack: Stack, user_id: int, product_id: int) -> None:
    """The buyer opens the product's page by its deep link, presses Buy now and picks one: checkout asks where to."""
    await stack.say(user_id, f"/start p{product_id}")
    await stack.press(user_id, "⚡ Buy now")
    await stack.press(user_id, "1")


async def typed_address(stack: Stack, user_id: int, answers: tuple[str, str, str] = ALICES_ADDRESS) -> str:
    """At checkout's address questions, the buyer types a name, a phone and where, and presses ✅ on the address
    read back to them; the review they are shown."""
    for answer in answers:
        await stack.say(user_id, answer)
    await stack.press(user_id, "✅ Correct")
    return await stack.last_text(user_id)


async def review_to_saved_address(stack: Stack, item: Product) -> str:
    """Alice buys one ``item`` now to her saved address; the review she is shown before Confirm."""
    await buy_one_now(stack, ALICE, item.id)
    await stack.press(ALICE, "📍 Alice")
    return text_of(await last(stack, ALICE))


async def pay_all(stack: Stack, user_id: int) -> list[dict[str, Any]]:
    """Pay every unpaid invoice in the chat, oldest first."""
    results = []
    for invoice in await invoices(stack, user_id):
        if not invoice["invoice"]["paid"]:
            results.append(await stack.driver.pay_invoice(user_id, invoice["message_id"]))
            await stack.settle()
    return results
