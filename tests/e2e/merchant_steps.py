"""Steps the merchant journeys share: the /open_shop dialogue, photos, forged button presses, order set-up."""

from __future__ import annotations

import struct
import zlib
from typing import Any

from domain.events import Actor
from domain.orders import Order
from domain.products import Product
from domain.shops import Shop
from domain.usecases.orders import buy_now
from domain.users import AddressSnapshot
from sandbox import ADMIN_ADA_ID, BUYER_ALICE_ID, MERCHANT_BOB_ID
from sandbox.actions import user_chat
from tests.e2e import factories
from tests.e2e.harness import Stack

BOB, ALICE, ADA = MERCHANT_BOB_ID, BUYER_ALICE_ID, ADMIN_ADA_ID
CAROL = 2002  # a second merchant, with her own shop
ADDRESS = AddressSnapshot("Li Lei", "+8613800000000", "1 Tea Street, Hangzhou")
Message = dict[str, Any]


def png(width: int = 2, height: int = 2) -> bytes:
    """A small valid PNG (grey pixels), so photo handling sees a real image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def text_of(message: Message | None) -> str:
    return ((message or {}).get("text") or (message or {}).get("caption") or "") if message else ""


def button_data(message: Message | None) -> list[str]:
    return [b.get("callback_data", "") for row in (message or {}).get("inline_keyboard") or [] for b in row]


# Notifications travel through the outbox, which the bot's own scheduler may be sending while the test settles:
# waiting for what the user should see (rather than reading the chat once) keeps the journeys deterministic.


async def find(stack: Stack, user_id: int, needle: str) -> Message:
    """The newest bot message containing ``needle`` (waiting a little for it to arrive)."""
    await stack.driver.wait_for_message(user_id, needle, since=0)
    for message in reversed(await stack.driver.bot_messages(user_id)):
        if needle in text_of(message):
            return message
    raise AssertionError(f"no bot message with {needle!r} for {user_id}")


async def with_button(stack: Stack, user_id: int, prefix: str) -> Message:
    """The newest bot message carrying a button whose callback data starts with ``prefix``."""

    def has_it(message: Message) -> bool:
        return any(data.startswith(prefix) for data in button_data(message))

    await stack.driver.wait_for_message(user_id, has_it, since=0)
    return next(m for m in reversed(await stack.driver.bot_messages(user_id)) if has_it(m))


async def message(stack: Stack, user_id: int, message_id: int) -> Message:
    """A message as it looks now (edits included)."""
    return next(m for m in await stack.driver.bot_messages(user_id) if m["message_id"] == message_id)


async def menu(stack: Stack, user_id: int) -> list[str]:
    return [command["command"] for command in await stack.driver.command_menu(user_id)]


async def wait_for_menu(stack: Stack, user_id: int, first: str) -> list[str]:
    """The user's command menu once it leads with ``first``."""

    def leads(chat: dict[str, Any]) -> list[str] | None:
        names = [command["command"] for command in chat["commands"]]
        return names if names[:1] == [first] else None

    return await stack.driver.wait_for(user_id, leads, what=f"a menu starting with /{first}")


async def forge_press(stack: Stack, user_id: int, data: str) -> None:
    """Press a button whose callback data the user's client made up (as a modified client can)."""
    chat = user_chat(stack.sandbox.ctx, user_id)
    message = next(m for m in reversed(chat.messages.values()) if m.from_bot and not m.deleted)
    message.reply_markup = {"inline_keyboard": [[{"text": "forged", "callback_data": data}]]}
    await stack.driver.press_button(user_id, callback_data=data, message_id=message.message_id)
    await stack.settle()


async def apply_for_shop_in_chat(stack: Stack, user_id: int, name: str) -> None:
    """The whole /open_shop dialogue as a merchant types and presses it, ending with Submit."""
    await stack.say(user_id, "/open_shop")
    await stack.say(user_id, name)
    await stack.say(user_id, "Green, white and oolong tea from Fujian")
    await stack.press(user_id, "Individual")
    await stack.say(user_id, "+86 138 0000 0000")
    await stack.driver.send_photo(user_id, png(), caption=None)
    await stack.settle()
    await stack.press(user_id, "Done")
    await stack.press(user_id, "I accept")
    await stack.press(user_id, "Submit")


async def shop(stack: Stack, owner_id: int = BOB, name: str = "Bob's Tea") -> Shop:
    """An open shop; its owner has been told (so that message cannot arrive in the middle of a test)."""
    opened = await factories.active_shop(stack, owner_id, name=name)
    await stack.settle()
    await stack.driver.wait_for_message(owner_id, "open for business", since=0)
    return opened


async def product(stack: Stack, shop_: Shop, **fields: Any) -> Product:
    return await factories.product(stack, shop_, **fields)


async def placed_order(stack: Stack, product_: Product, buyer: int = ALICE, quantity: int = 1) -> Order:
    """An unpaid order made through the use case (placing it is the buyer engineer's journey)."""
    await stack.say(buyer, "/start")  # the buyer has talked to the bot, as anyone who orders has
    return await buy_now(
        stack.svc, actor=Actor.buyer(buyer), product_id=product_.id, quantity=quantity, address=ADDRESS
    )


async def paid_order(stack: Stack, product_: Product, buyer: int = ALICE, quantity: int = 1) -> Order:
    """A placed order the buyer pays through the invoice flow, as in the chat."""
    order = await placed_order(stack, product_, buyer, quantity)
    # The buyer's Pay button for this order (their order list shows it; finding it there is not this test's job).
    await forge_press(stack, buyer, f"o1:pay:{order.id}")
    result = await stack.driver.pay_invoice(buyer)
    assert result["status"] == "paid", result
    await stack.settle()
    return order


async def products_of(stack: Stack, shop_id: int) -> list[Product]:
    async with stack.svc.uow(read_only=True) as uow:
        return await uow.products.for_shop(shop_id, limit=100_000)


async def order_now(stack: Stack, order_id: int) -> Order:
    async with stack.svc.uow(read_only=True) as uow:
        found = await uow.orders.get(order_id)
    assert found is not None
    return found
