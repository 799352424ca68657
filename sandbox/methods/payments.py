"""Invoices, pre-checkout answers and Stars refunds."""

from __future__ import annotations

from typing import Any

from sandbox import stars
from sandbox.checkout import STARS, answer_pre_checkout, refund_star_payment
from sandbox.context import SandboxContext
from sandbox.errors import QUERY_TOO_OLD, bad_request
from sandbox.methods.common import deliver, reply_markup, reply_to, target_chat
from sandbox.methods.registry import api_method
from sandbox.params import Params
from sandbox.serialize import message_json
from sandbox.state import Invoice


def _prices(p: Params) -> list[dict[str, Any]]:
    prices = p.json("prices")
    if not isinstance(prices, list) or not prices:
        raise bad_request("prices must be a non-empty array of LabeledPrice")
    for price in prices:
        if not isinstance(price, dict) or not isinstance(price.get("label"), str) or "amount" not in price:
            raise bad_request("can't parse prices JSON object")
    return [{"label": p_["label"], "amount": int(p_["amount"])} for p_ in prices]


@api_method("sendInvoice")
async def send_invoice(ctx: SandboxContext, p: Params) -> dict[str, Any]:
    chat = target_chat(ctx, p)
    title = p.req_str("title")
    description = p.req_str("description")
    payload = p.req_str("payload")
    currency = p.req_str("currency").upper()
    provider_token = p.str("provider_token", "") or ""
    prices = _prices(p)
    if currency == STARS:
        if len(prices) != 1:
            raise bad_request("STARS_INVOICE_INVALID")
        if provider_token:
            raise bad_request("PAYMENT_PROVIDER_INVALID")
    elif not provider_token:
        raise bad_request("PAYMENT_PROVIDER_INVALID")
    if not 1 <= len(payload.encode("utf-8")) <= 128:
        raise bad_request("INVOICE_PAYLOAD_INVALID")
    if sum(price["amount"] for price in prices) <= 0:
        raise bad_request("CURRENCY_TOTAL_AMOUNT_INVALID")
    markup = reply_markup(p)
    message = deliver(ctx, chat, markup=markup, reply_to_message_id=reply_to(p, chat))
    message.invoice = Invoice(
        chat_id=chat.id,
        message_id=message.message_id,
        title=title,
        description=description,
        payload=payload,
        currency=currency,
        prices=prices,
        provider_token=provider_token,
        start_parameter=p.str("start_parameter"),
    )
    ctx.world.changed(chat, message)
    return message_json(ctx.world, message)


@api_method("answerPreCheckoutQuery")
async def answer_pre_checkout_query(ctx: SandboxContext, p: Params) -> bool:
    query = ctx.world.queries.get(p.req_str("pre_checkout_query_id"))
    if query is None or query.kind != "pre_checkout_query" or query.answered or query.expired:
        raise bad_request(QUERY_TOO_OLD)
    ok = p.bool("ok")
    error_message = p.str("error_message")
    if not ok and not error_message:
        raise bad_request("error_message is empty")
    answer_pre_checkout(ctx, query, ok, error_message)
    return True


@api_method("refundStarPayment")
async def refund_star_payment_method(ctx: SandboxContext, p: Params) -> bool:
    refund_star_payment(ctx, p.req_int("user_id"), p.req_str("telegram_payment_charge_id"))
    return True


@api_method("getStarTransactions")
async def get_star_transactions(ctx: SandboxContext, p: Params) -> dict[str, Any]:
    return stars.transactions_json(ctx.world, p.int("offset", 0) or 0, p.int("limit", stars.MAX_LIMIT) or 0)
