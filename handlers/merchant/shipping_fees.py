"""/shipping (and 🚚 Shipping on the dashboard): the shop's shipping template (运费模板), read back and changed.

The screen shows the template as buyers are charged it. A button changes one part of a draft (flow ``m1.ship``):
free shipping at once, or a typed flat fee, free-over amount, fee per extra item, or region fees (``广东 12``);
after each change the whole draft is read back with ✅ Save and ✖️ Cancel. Only Save changes the shop, once (a
second press answers the same); bad input is answered and changes nothing.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from domain.errors import DomainError, ErrorCode
from domain.money import Money
from domain.regions import region_name
from domain.routes import Press, Route
from domain.shipping import ShippingTemplate, parse_fee, parse_region_fees
from domain.usecases.shipping import save_shipping_draft, shop_shipping
from handlers.common import flows
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_merchant, lang, services
from handlers.common.flows import STAY, Flow, Step, buttons_only
from handlers.common.reply import keyboard, send, show, text

FLOW = "m1.ship"
CONFIRM = "confirm"
FREE, FEE, OVER, EXTRA, REGIONS = "free", "fee", "over", "extra", "regions"
TYPED = (FEE, OVER, EXTRA, REGIONS)


def template_text(context: Context, template: ShippingTemplate | None) -> str:
    """The template, one rule a line, as buyers are charged it."""
    if template is None or template.is_free:
        return text(context, "shipping.rule.free")
    currency = services(context).policy.currency
    lines = [text(context, "shipping.rule.fee", fee=Money(template.fee, currency))]
    lines += [
        text(context, "shipping.rule.region", region=region_name(code, lang(context)), fee=Money(fee, currency))
        for code, fee in sorted(template.regions.items())
    ]
    if template.per_extra_item:
        lines.append(text(context, "shipping.rule.extra", fee=Money(template.per_extra_item, currency)))
    if template.free_over is not None:
        lines.append(text(context, "shipping.rule.over", amount=Money(template.free_over, currency)))
    return "\n".join(lines)


def _edit_rows(context: Context) -> list[list[Any]]:
    def button(part: str) -> tuple[str, str]:
        return text(context, f"shipping.btn.{part}"), Route.MERCHANT_SHIPPING_EDIT.data(part)

    return [[button(FREE), button(FEE)], [button(OVER), button(EXTRA)], [button(REGIONS)]]


async def show_shipping(update: Update, context: Context, *, note: str = "") -> None:
    shop = await shop_shipping(services(context), actor=as_merchant(update))
    body = text(context, "shipping.card", shop=shop.name) + "\n" + template_text(context, shop.shipping)
    await show(update, context, f"{note}\n\n{body}" if note else body, keyboard(_edit_rows(context)))


async def shipping_command(update: Update, context: Context) -> None:
    """/shipping"""
    await show_shipping(update, context)


@on_button(Route.MERCHANT_SHIPPING)
async def on_view(update: Update, context: Context, press: Press) -> None:
    """The template as it is; also the Cancel of a draft (the draft is dropped)."""
    await flows.drop_flow(update, context, FLOW)
    await show_shipping(update, context)


@on_button(Route.MERCHANT_SHIPPING_EDIT)
async def on_edit(update: Update, context: Context, press: Press) -> None:
    """Change one part of the draft (started from the shop's template): free at once, the others typed."""
    part = press.arg(0)
    if part not in (FREE, *TYPED):
        await show_shipping(update, context)
        return
    state = await flows.active_flow(update, context, FLOW)
    if state is None:
        shop = await shop_shipping(services(context), actor=as_merchant(update))
        draft = (shop.shipping or ShippingTemplate()).to_data()
    else:
        draft = state.data["draft"]
    if part == FREE:
        await flows.start_flow(update, context, FLOW, CONFIRM, {"draft": ShippingTemplate().to_data()})
        await _read_back(update, context, ShippingTemplate())
        return
    await flows.start_flow(update, context, FLOW, part, {"draft": draft})
    await _ask_part(update, context, part)


async def _ask_part(update: Update, context: Context, part: str) -> None:
    cancel = [[(text(context, "merchant.btn.cancel"), Route.MERCHANT_SHIPPING.data())]]
    await send(update, context, text(context, f"shipping.ask.{part}"), keyboard(cancel))


async def _read_back(update: Update, context: Context, draft: ShippingTemplate) -> None:
    rows = [
        [(text(context, "shipping.btn.save"), Route.MERCHANT_SHIPPING_SAVE.data())],
        *_edit_rows(context),
        [(text(context, "merchant.btn.cancel"), Route.MERCHANT_SHIPPING.data())],
    ]
    body = text(context, "shipping.read_back") + "\n" + template_text(context, draft)
    await send(update, context, body, keyboard(rows))


async def typed_step(step: Step) -> str:
    """A typed amount (or region fees) for the part being changed; read the draft back."""
    currency = services(step.context).policy.currency
    data = dict(step.data["draft"])
    part = step.state.step
    try:
        if part == REGIONS:
            data["regions"] = parse_region_fees(step.text, currency)
        else:
            amount = parse_fee(step.text, currency).amount
            field = {FEE: "fee", OVER: "free_over", EXTRA: "per_extra_item"}[part]
            data[field] = None if part == OVER and amount == 0 else amount
        draft = ShippingTemplate.from_data(data) or ShippingTemplate()
    except DomainError as error:
        if error.code is not ErrorCode.INVALID_AMOUNT:
            raise
        await step.say(f"shipping.bad.{part}", value=step.text[:40])
        return STAY
    step.data["draft"] = draft.to_data()
    await _read_back(step.update, step.context, draft)
    return CONFIRM


@on_button(Route.MERCHANT_SHIPPING_SAVE)
async def on_save(update: Update, context: Context, press: Press) -> None:
    """✅ Save: the draft read back becomes the shop's template, once; pressed again (or replayed), the same card."""
    saved = await save_shipping_draft(services(context), actor=as_merchant(update), flow=FLOW, steps=(CONFIRM,))
    shop = await flows.made_by_draft(update, context, saved, flow=FLOW, gone_key="shipping.stale", ask=_ask)
    if shop is not None:
        await show_shipping(update, context, note=text(context, "shipping.saved"))


async def _ask(update: Update, context: Context, step: str, data: dict[str, Any]) -> None:
    """The draft's question again: its read-back, or the amount being typed."""
    if step == CONFIRM:
        await _read_back(update, context, ShippingTemplate.from_data(data["draft"]) or ShippingTemplate())
    else:
        await _ask_part(update, context, step)


def register(app: Application) -> None:
    steps = {part: typed_step for part in TYPED}
    flows.register_flow(
        Flow(FLOW, {**steps, CONFIRM: buttons_only("shipping.use_buttons")}, cancel_key="shipping.cancelled")
    )
    app.add_handler(CommandHandler("shipping", shipping_command))
    add_buttons(app, on_view, on_edit, on_save)
