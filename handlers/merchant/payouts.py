"""Asking for a payout (提现) from /balance: all of the available balance or a typed amount, confirmed first.

The confirmation carries the amount and how many times the available balance had moved when it was shown, so
``request_payout`` refuses a second press of it (or a press after the balance moved) instead of asking twice. An
admin pays it outside Telegram (handlers/admin/payouts.py) and the merchant is told with the reference.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application

from domain.events import Actor
from domain.money import Money
from domain.routes import Press, Route
from domain.usecases.merchant_money import PayoutOffer, payout_offer, quote_payout, request_payout
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_merchant, services, user_id
from handlers.common.flows import DONE, Flow, Step, register_flow, start_flow
from handlers.common.reply import keyboard, label, send, show, text

PAYOUT_FLOW, AMOUNT = "merchant_payout", "amount"


def back_to_balance(context: Context) -> tuple[str, str]:
    return (label(context, "merchant.money.btn.balance"), Route.MERCHANT_BALANCE.data(0))


def confirm_markup(context: Context, offer: PayoutOffer, amount: Money) -> InlineKeyboardMarkup | None:
    yes = Route.MERCHANT_PAYOUT_CONFIRMED.data(offer.shop.id, amount.amount, offer.seen)
    return keyboard(
        [
            [(label(context, "merchant.money.btn.confirm_payout", amount=amount), yes)],
            [(label(context, "merchant.money.btn.cancel"), Route.MERCHANT_BALANCE.data(0))],
        ]
    )


def confirm_text(context: Context, offer: PayoutOffer, amount: Money) -> str:
    return text(context, "merchant.money.confirm_payout", amount=amount, available=offer.available)


@on_button(Route.MERCHANT_PAYOUT)
async def on_payout(update: Update, context: Context, press: Press) -> None:
    """How much: all of it, or a typed amount."""
    offer = await payout_offer(services(context), actor=as_merchant(update), shop_id=press.id())
    every = label(context, "merchant.money.btn.all", amount=offer.available)
    rows = [
        [(every, Route.MERCHANT_PAYOUT_ALL.with_id(offer.shop.id))],
        [(label(context, "merchant.money.btn.typed"), Route.MERCHANT_PAYOUT_TYPED.with_id(offer.shop.id))],
        [back_to_balance(context)],
    ]
    await show(update, context, text(context, "merchant.money.how_much", available=offer.available), keyboard(rows))


@on_button(Route.MERCHANT_PAYOUT_ALL)
async def on_payout_all(update: Update, context: Context, press: Press) -> None:
    offer = await payout_offer(services(context), actor=as_merchant(update), shop_id=press.id())
    body = confirm_text(context, offer, offer.available)
    await show(update, context, body, confirm_markup(context, offer, offer.available))


@on_button(Route.MERCHANT_PAYOUT_TYPED)
async def on_payout_typed(update: Update, context: Context, press: Press) -> None:
    """The next message is the amount."""
    offer = await payout_offer(services(context), actor=as_merchant(update), shop_id=press.id())
    await start_flow(update, context, PAYOUT_FLOW, AMOUNT, {"shop": offer.shop.id})
    await send(update, context, text(context, "merchant.money.type_amount", available=offer.available))


async def step_amount(step: Step) -> str:
    """An amount too large or not one is answered (the merchant may type again); a good one is confirmed."""
    actor = Actor.merchant(user_id(step.update))
    quote = await quote_payout(services(step.context), actor=actor, shop_id=int(step.data["shop"]), typed=step.text)
    body = confirm_text(step.context, quote.offer, quote.amount)
    await send(step.update, step.context, body, confirm_markup(step.context, quote.offer, quote.amount))
    return DONE


@on_button(Route.MERCHANT_PAYOUT_CONFIRMED)
async def on_payout_confirmed(update: Update, context: Context, press: Press) -> None:
    payout = await request_payout(
        services(context), actor=as_merchant(update), shop_id=press.id(), amount=press.id(1), seen=press.id(2)
    )
    body = text(context, "merchant.money.payout_requested", payout_id=payout.id, amount=payout.amount)
    await show(update, context, body, keyboard([[back_to_balance(context)]]))


register_flow(Flow(name=PAYOUT_FLOW, steps={AMOUNT: step_amount}, cancel_key="merchant.money.payout_cancelled"))


def register(app: Application) -> None:
    add_buttons(app, on_payout, on_payout_all, on_payout_typed, on_payout_confirmed)
