"""What people see and type: help and menus per role (en and zh), a deep link's welcome for a newcomer, names,
phone numbers and addresses checked and read back, the default address, editing an address, the next step's
buttons once the shop is open, and the CSV help's own example importing as shown (in Stars and in yuan)."""

from __future__ import annotations

import html
import re

import pytest

from domain.events import Actor
from domain.usecases.product_import import COLUMNS
from domain.usecases.shops import reject_shop
from tests.e2e import merchant_steps as steps
from tests.e2e.buyer_steps import ALICE, XIAOMING, labels, last, product, reply_keyboard, shop, text_of
from tests.e2e.harness import Stack
from tests.e2e.import_steps import send_csv
from tests.e2e.merchant_steps import ADA, BOB

pytestmark = pytest.mark.usefixtures("machine_speed")

NEWCOMER = 3001


# --- help and menus per role ------------------------------------------------------------------------------------


async def test_help_has_a_section_for_each_role_the_user_holds(stack: Stack) -> None:
    # Given Bob runs a shop, 小明 (Chinese) only buys, and Ada is an admin
    await shop(stack)

    # A buyer sees only the buyer's help, in their language
    alice = await stack.answer(ALICE, "/help")
    assert "/search" in alice and "/orders" in alice
    assert "/shop_orders" not in alice and "/admin" not in alice
    xiaoming = await stack.answer(XIAOMING, "/help")
    assert "/search" in xiaoming and "您的店铺" not in xiaoming and "管理员" not in xiaoming

    # A merchant sees the buyer's section and the shop's, with both order lists told apart
    bob = await stack.answer(BOB, "/help")
    assert "/search" in bob and "Your shop" in bob
    assert "/shop_orders" in bob and "/orders is what you bought" in bob and "/admin" not in bob
    bob_start = await stack.answer(BOB, "/start")
    assert "Welcome" in bob_start and "/shop_orders" in bob_start

    # An admin sees the admin's section, and after /start their "/" menu has /admin
    ada = await stack.answer(ADA, "/help")
    assert "/search" in ada and "/admin" in ada and "/shop_orders" not in ada
    assert "/admin" in await stack.answer(ADA, "/start")
    assert (await steps.wait_for_menu(stack, ADA, "admin"))[0] == "admin"

    # In Chinese too
    await stack.say(ADA, "/language")
    await stack.press(ADA, "中文")
    ada_zh = await stack.answer(ADA, "/help")
    assert "管理员" in ada_zh and "/admin" in ada_zh and "您可以" in ada_zh
    await steps.shop(stack, XIAOMING, name="小明的茶铺")
    xiaoming_merchant = await stack.answer(XIAOMING, "/help")
    assert "您的店铺" in xiaoming_merchant and "/shop_orders" in xiaoming_merchant


async def test_a_buyer_who_is_also_a_merchant_reaches_both_order_lists(stack: Stack) -> None:
    # Given Bob's shop has a paid order, and Bob himself buys from Carol's shop
    bobs = await shop(stack)
    tea = await product(stack, bobs, title="Oolong tea")
    shop_order = await steps.paid_order(stack, tea, ALICE)
    carols = await shop(stack, steps.CAROL, name="Carol's Kitchen")
    pot = await product(stack, carols, title="Teapot")
    await steps.paid_order(stack, pot, BOB)

    # /orders is what Bob bought; /shop_orders is his shop's; the menu has both
    mine = await stack.answer(BOB, "/orders")
    assert "Teapot" in mine and "Oolong" not in mine
    shops = await stack.answer(BOB, "/shop_orders")
    assert "To handle: 1" in shops and "Teapot" not in shops
    # an order number of his shop typed to /orders points him to /shop_orders
    assert f"/shop_orders {shop_order.id}" in await stack.answer(BOB, f"/orders {shop_order.id}")
    menu = await steps.wait_for_menu(stack, BOB, "shop")
    assert {"orders", "shop_orders"} <= set(menu)


# --- deep links -------------------------------------------------------------------------------------------------


async def test_a_deep_link_welcomes_a_newcomer_with_the_menu_then_opens_the_product(stack: Stack) -> None:
    mango = await product(stack, await shop(stack), title="Sweet mango")
    await stack.driver.create_user(NEWCOMER, "Newcomer", language_code="en")

    # When someone who never talked to the bot follows a product's link
    await stack.driver.open_deep_link(NEWCOMER, f"p{mango.id}")
    await stack.settle()

    # Then they are welcomed with the menu keyboard, and the product opens after the welcome
    texts = await stack.texts(NEWCOMER)
    assert "Welcome, Newcomer" in texts[0] and "Sweet mango" in texts[-1]
    assert {"🛍 Browse", "🛒 Cart", "📦 My orders"} <= set(await reply_keyboard(stack, NEWCOMER))

    # A second link opens the product without another welcome
    await stack.driver.open_deep_link(NEWCOMER, f"p{mango.id}")
    await stack.settle()
    assert sum("Welcome" in text for text in await stack.texts(NEWCOMER)) == 1
    assert "Sweet mango" in text_of(await last(stack, NEWCOMER))


# --- names, phones, addresses -----------------------------------------------------------------------------------


async def _typed_and_confirmed(stack: Stack, *answers: str) -> list[str]:
    """Alice types a name, a phone and an address, and presses ✅ on the read-back; what her chat shows then."""
    for answer in answers:
        await stack.say(ALICE, answer)
    await stack.press(ALICE, "✅ Correct")
    return await stack.texts(ALICE)


async def _add_address(stack: Stack, name: str, phone: str, where: str) -> None:
    """Alice adds an address from /addresses."""
    await stack.say(ALICE, "/addresses")
    await stack.press(ALICE, "➕ Add an address")
    await _typed_and_confirmed(stack, name, phone, where)


async def test_names_phones_and_addresses_are_checked_and_read_back(stack: Stack) -> None:
    await stack.say(ALICE, "/addresses")
    await stack.press(ALICE, "➕ Add an address")

    # Too short a name, a phone that is not one, an address of one letter: each refused with the reason
    assert "too short" in await stack.answer(ALICE, "C")
    await stack.say(ALICE, "Alice Li")
    assert "is not a phone number" in await stack.answer(ALICE, "12345")
    await stack.say(ALICE, "138 0013 8000")
    assert "at least 10 characters" in await stack.answer(ALICE, "x")

    # A real address is read back, the phone in international form, before anything is saved
    read_back = await stack.answer(ALICE, "1 Orchard Lane, Singapore")
    assert "Please check the address" in read_back and "+8613800138000" in read_back and "Orchard" in read_back
    assert labels(await last(stack, ALICE)) == ["✅ Correct", "✏️ Edit", "🗺 Change region"]
    assert "Shipping region: Other" in read_back  # no province named: the region is "other" unless one is picked

    # Typing the address line again (as people do) is understood: it replaces the one read back
    again = await stack.answer(ALICE, "2 Orchard Lane, Singapore 238800")
    assert "didn't understand" not in again and "2 Orchard Lane, Singapore 238800" in again

    # ✏️ starts over; ✅ saves
    await stack.press(ALICE, "✏️ Edit")
    assert "step 1 of 3" in await stack.last_text(ALICE)
    saved = await _typed_and_confirmed(stack, "Alice Li", "+65 6123 4567", "2 Orchard Lane, Singapore 238800")
    assert any("Address saved" in text and "+6561234567" in text for text in saved)
    assert "⭐ default" in saved[-1]  # her first address is her default


async def test_default_address_is_offered_first_and_can_be_changed(stack: Stack) -> None:
    mango = await product(stack, await shop(stack), title="Mango")
    await _add_address(stack, "Alice Li", "13800138000", "1 Orchard Lane, Singapore")
    await _add_address(stack, "Alice at work", "13900139000", "88 Market Street, Singapore")

    # The list marks the first as the default; she makes the second her default
    listing = await stack.answer(ALICE, "/addresses")
    assert "1. Alice Li" in listing and "⭐ default" in listing.split("2.")[0]
    await stack.press(ALICE, "⭐ Make 2 default")
    listing = await stack.last_text(ALICE)
    assert listing.index("Alice at work") < listing.index("Alice Li") and "⭐ default" in listing.split("2.")[0]
    assert "⭐ Make 1 default" not in labels(await last(stack, ALICE))

    # Checkout offers the default first
    await stack.say(ALICE, f"/start p{mango.id}")
    await stack.press(ALICE, "⚡ Buy now")
    await stack.press(ALICE, "1", exact=True)
    choices = labels(await last(stack, ALICE))
    assert choices[0].startswith("📍 Alice at work") and choices[1].startswith("📍 Alice Li")


async def test_editing_an_address_reads_it_back_and_replaces_it(stack: Stack) -> None:
    await _add_address(stack, "Alice Li", "13800138000", "1 Orchard Lane, Singapore")

    await stack.say(ALICE, "/addresses")
    await stack.press(ALICE, "✏️ Edit 1")
    assert "Editing this address" in await stack.last_text(ALICE)
    updated = await _typed_and_confirmed(stack, "Alice Li", "+86 139 0013 9000", "9 Garden Road, Shanghai")
    assert any("Address updated" in text and "9 Garden Road" in text for text in updated)
    listing = await stack.answer(ALICE, "/addresses")
    assert "9 Garden Road, Shanghai" in listing and "+8613900139000" in listing and "Orchard" not in listing


# --- the merchant's next steps and price examples ---------------------------------------------------------------


async def test_once_the_deposit_is_paid_the_next_steps_are_buttons(stack: Stack) -> None:
    await steps.apply_for_shop_in_chat(stack, BOB, "Bob's Tea")
    application = await steps.with_button(stack, ADA, "a1:ap:")
    await stack.press(ADA, callback_data=next(d for d in steps.button_data(application) if d.startswith("a1:ap:")))
    await stack.press(ADA, "✅ Yes, approve", message_id=application["message_id"])
    approval = await steps.with_button(stack, BOB, "m1:dep:")
    await stack.press(BOB, callback_data=next(d for d in steps.button_data(approval) if d.startswith("m1:dep:")))
    assert (await stack.driver.pay_invoice(BOB))["status"] == "paid"
    await stack.settle()

    opened = await steps.find(stack, BOB, "open for business")
    assert labels(opened) == ["➕ Add a product", "📥 Import CSV"]
    await stack.press(BOB, "📥 Import CSV", message_id=opened["message_id"])
    assert "Import products from a CSV file" in await stack.last_text(BOB)
    await stack.say(BOB, "/cancel")
    await stack.press(BOB, "➕ Add a product", message_id=opened["message_id"])
    assert "1/7" in await stack.last_text(BOB)


async def test_a_rejected_applicant_can_apply_again_with_a_button(stack: Stack) -> None:
    await steps.apply_for_shop_in_chat(stack, BOB, "Bob's Tea")
    application = await steps.with_button(stack, ADA, "a1:ap:")
    shop_id = int(next(d for d in steps.button_data(application) if d.startswith("a1:ap:")).rsplit(":", 1)[1])
    await reject_shop(stack.svc, actor=Actor.admin(ADA), shop_id=shop_id, reason="Documents unreadable")
    await stack.settle()

    rejected = await steps.find(stack, BOB, "was not approved")
    assert labels(rejected) == ["📝 Apply again"]
    await stack.press(BOB, "📝 Apply again", message_id=rejected["message_id"])
    assert "What is your shop called?" in await stack.last_text(BOB)
    assert "Documents unreadable" in text_of(await steps.message(stack, BOB, rejected["message_id"]))


def _example_csv(help_text: str) -> tuple[str, bytes]:
    """The example row the CSV help shows, and a file of the help's header and that row."""
    plain = html.unescape(help_text)
    assert ",".join(COLUMNS) in plain
    row = next(
        line for line in re.findall(r"(?:<code>)?([^<\n]*,[^<\n]*,[^<\n]*)(?:</code>)?", plain) if "Lao Cha" in line
    )
    return row, f"{','.join(COLUMNS)}\n{row}\n".encode()


async def _csv_example_imports(market: Stack, *, price: str, example: str, amount: int) -> None:
    bobs = await steps.shop(market)
    help_text = await market.answer(BOB, "/import_products")
    row, data = _example_csv(help_text)
    assert row.split(",")[4] == price and f"price like {example}," in help_text

    await send_csv(market, data)
    await steps.find(market, BOB, "1 product added")
    [tea] = await steps.products_of(market, bobs.id)
    assert (tea.title, tea.price.amount, tea.stock) == ("Jasmine tea 250 g", amount, 120)


async def test_the_csv_helps_own_example_imports_as_shown_in_stars(stack: Stack) -> None:
    await _csv_example_imports(stack, price="39", example="12", amount=39)


async def test_the_csv_helps_own_example_imports_as_shown_in_yuan(provider_stack: Stack) -> None:
    await _csv_example_imports(provider_stack, price="39.50", example="12.50", amount=3950)


async def test_price_questions_give_examples_in_the_marketplace_currency(stack: Stack) -> None:
    tea = await product(stack, await shop(stack), title="Oolong tea")
    await stack.say(BOB, "/products")
    await stack.press(BOB, "Oolong tea")
    await stack.press(BOB, "✏️ Edit")
    await stack.press(BOB, "💰 Price")
    asked = await stack.last_text(BOB)
    assert "like 12" in asked and "12.50" not in asked
    refused = await stack.answer(BOB, "39.90")
    assert "“39.90” is not a price" in refused and "like 12." in refused and "12.50" not in refused
    assert tea.price.currency == "XTR"
