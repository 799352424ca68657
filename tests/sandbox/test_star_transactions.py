"""getStarTransactions: the bot's own record of Stars paid and refunded, in Telegram's shapes, paged, and parsed
by python-telegram-bot; and a payment whose update is lost on purpose still shows up there."""

from __future__ import annotations

from telegram import TransactionPartnerUser
from telegram.ext import Application

from sandbox import BUYER_ALICE_ID, BUYER_XIAOMING_ID, SandboxDriver
from tests.sandbox.conftest import RawApi

ALICE = BUYER_ALICE_ID
XIAOMING = BUYER_XIAOMING_ID


async def buy(driver: SandboxDriver, user_id: int, payload: str, *, lose_update: bool = False) -> str:
    await driver.send_text(user_id, f"/buy {payload}")
    await driver.wait_for_message(user_id, lambda m: m["invoice"] is not None and not m["invoice"]["paid"])
    outcome = await driver.pay_invoice(user_id, lose_update=lose_update)
    assert outcome["status"] == "paid"
    return str(outcome["telegram_payment_charge_id"])


async def test_payments_come_in_from_their_buyers_and_refunds_go_out_to_them(
    echo_app: Application, driver: SandboxDriver
) -> None:
    # Given Alice and Xiaoming each paid an invoice and Alice's payment was refunded
    alice_charge = await buy(driver, ALICE, "order-a")
    await driver.wait_for_message(ALICE, alice_charge)
    xiaoming_charge = await buy(driver, XIAOMING, "order-x")
    await driver.wait_for_message(XIAOMING, xiaoming_charge)
    assert await echo_app.bot.refund_star_payment(ALICE, alice_charge) is True

    # When the bot asks for its transactions
    found = (await echo_app.bot.get_star_transactions()).transactions

    # Then python-telegram-bot reads three, oldest first: two payments in, one refund out, keyed by charge id
    assert [(t.id, t.amount, t.source is not None, t.receiver is not None) for t in found] == [
        (alice_charge, 25, True, False),
        (xiaoming_charge, 25, True, False),
        (alice_charge, 25, False, True),
    ]
    partners = [t.source or t.receiver for t in found]
    assert all(isinstance(p, TransactionPartnerUser) for p in partners)
    assert [(p.user.id, p.invoice_payload, p.transaction_type) for p in partners] == [  # type: ignore[union-attr]
        (ALICE, "order-a", "invoice_payment"),
        (XIAOMING, "order-x", "invoice_payment"),
        (ALICE, "order-a", "invoice_payment"),
    ]
    assert found[0].date.year >= 2024


async def test_transactions_are_paged_by_offset_and_limit(
    echo_app: Application, driver: SandboxDriver, raw: RawApi
) -> None:
    charges = [await buy(driver, ALICE, f"order-{n}") for n in range(3)]

    first = await echo_app.bot.get_star_transactions(offset=0, limit=2)
    rest = await echo_app.bot.get_star_transactions(offset=2, limit=2)
    beyond = await echo_app.bot.get_star_transactions(offset=3)

    assert [t.id for t in first.transactions] == charges[:2]
    assert [t.id for t in rest.transactions] == charges[2:]
    assert beyond.transactions == ()
    status, body = await raw.call("getStarTransactions", limit=500)
    assert status == 200 and len(body["result"]["transactions"]) == 3  # a limit over 100 is held to 100


async def test_a_payment_whose_update_is_lost_is_charged_but_never_reaches_the_bot(
    echo_app: Application, driver: SandboxDriver
) -> None:
    # Given one payment delivered normally, then one whose update Telegram loses
    delivered = await buy(driver, ALICE, "order-1")
    await driver.wait_for_message(ALICE, delivered)
    lost = await buy(driver, ALICE, "order-2", lose_update=True)
    await driver.send_text(ALICE, "still there?")
    await driver.wait_for_message(ALICE, "still there?")  # the echo: every update before it was handled

    # Then the bot settled only the first, yet its Stars record lists both
    assert echo_app.bot_data["charges"] == [delivered]
    listed = (await echo_app.bot.get_star_transactions()).transactions
    assert [t.id for t in listed] == [delivered, lost]
