"""/coupons (and 🎟 Coupons on the dashboard): the shop's coupons (优惠券), issued and ended.

The screen lists the live coupons with 🔚 End buttons and two to start a new one (amount off over a minimum spend,
or a percent off with a cap). The terms are typed as one line of numbers (flow ``m1.cpn``), read back with
✅ Create and ✖️ Cancel; only Create issues the coupon, once. Bad input is answered and changes nothing.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from domain.errors import DomainError, ErrorCode
from domain.routes import Press, Route
from domain.usecases.coupons import AMOUNT, PERCENT, CouponTerms, create_coupon_draft, end_coupon, parse_terms
from domain.usecases.coupons import shop_coupons as shop_coupons_uc
from handlers.common import flows
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_merchant, lang, services
from handlers.common.flows import STAY, Flow, Step, buttons_only
from handlers.common.reply import error_text, keyboard, label, send, show, text
from i18n.coupons import coupon_terms

FLOW = "m1.cpn"
CONFIRM = "confirm"
KINDS = (AMOUNT, PERCENT)


async def show_coupons(update: Update, context: Context, *, note: str = "") -> None:
    shop, coupons = await shop_coupons_uc(services(context), actor=as_merchant(update))
    lines = [text(context, "coupons.card", shop=shop.name)]
    lines += [
        text(
            context,
            "coupons.item",
            code=c.code,
            terms=coupon_terms(lang(context), c),
            left=c.left,
            total=c.total,
            per_user=c.per_user,
            ends=c.ends_at,
        )
        for c in coupons
    ] or [text(context, "coupons.none")]
    rows: list[list[Any]] = [
        [(label(context, "coupons.btn.end", code=c.code), Route.MERCHANT_COUPON_END.data(c.id))] for c in coupons
    ]
    rows.append([(label(context, f"coupons.btn.new_{kind}"), Route.MERCHANT_COUPON_NEW.data(kind)) for kind in KINDS])
    body = "\n".join(lines)
    await show(update, context, f"{note}\n\n{body}" if note else body, keyboard(rows))


@on_button(Route.MERCHANT_COUPONS)
async def on_view(update: Update, context: Context, press: Press) -> None:
    """The coupons as they are; also the Cancel of a draft (the draft is dropped)."""
    await flows.drop_flow(update, context, FLOW)
    await show_coupons(update, context)


@on_button(Route.MERCHANT_COUPON_NEW)
async def on_new(update: Update, context: Context, press: Press) -> None:
    kind = press.arg(0)
    if kind not in KINDS:
        await show_coupons(update, context)
        return
    await shop_coupons_uc(services(context), actor=as_merchant(update))  # the owner only, before asking anything
    await flows.start_flow(update, context, FLOW, kind, {})
    await _ask_terms(update, context, kind)


@on_button(Route.MERCHANT_COUPON_END)
async def on_end(update: Update, context: Context, press: Press) -> None:
    coupon = await end_coupon(services(context), actor=as_merchant(update), coupon_id=press.id())
    await show_coupons(update, context, note=text(context, "coupons.ended", code=coupon.code))


async def _ask_terms(update: Update, context: Context, kind: str, *, note: str = "") -> None:
    """The question for the terms (after ``note``, what was wrong with the last answer)."""
    cancel = [[(label(context, "merchant.btn.cancel"), Route.MERCHANT_COUPONS.data())]]
    ask = text(context, f"coupons.ask.{kind}")
    await send(update, context, f"{note}\n\n{ask}" if note else ask, keyboard(cancel))


async def _read_back(update: Update, context: Context, terms: CouponTerms) -> None:
    svc = services(context)
    coupon = terms.coupon(0, svc.policy.currency, svc.clock.now())
    rows = [
        [(label(context, "coupons.btn.create"), Route.MERCHANT_COUPON_CREATE.data())],
        [(label(context, "merchant.btn.cancel"), Route.MERCHANT_COUPONS.data())],
    ]
    body = text(
        context,
        "coupons.read_back",
        terms=coupon_terms(lang(context), coupon),
        total=terms.total,
        per_user=terms.per_user,
        days=terms.days,
    )
    await send(update, context, body, keyboard(rows))


async def terms_step(step: Step) -> str:
    """The typed numbers of the new coupon; read back, or answered and asked again."""
    svc = services(step.context)
    kind = step.state.step
    try:
        terms = parse_terms(kind, step.text, svc.policy.currency, svc.clock.now())
    except DomainError as error:
        if error.code is ErrorCode.INVALID_NUMBER:
            note = text(step.context, "coupons.bad", value=step.text[:40])
        elif error.code in (ErrorCode.INVALID_COUPON, ErrorCode.INVALID_PERCENT):
            note = error_text(step.context, error)
        else:
            raise
        await _ask_terms(step.update, step.context, kind, note=note)
        return STAY
    step.data["terms"] = terms.to_data()
    await _read_back(step.update, step.context, terms)
    return CONFIRM


@on_button(Route.MERCHANT_COUPON_CREATE)
async def on_create(update: Update, context: Context, press: Press) -> None:
    """✅ Create: the coupon read back is issued, once; pressed again (or replayed), the same list."""
    made = await create_coupon_draft(services(context), actor=as_merchant(update), flow=FLOW, steps=(CONFIRM,))
    coupon = await flows.made_by_draft(update, context, made, flow=FLOW, gone_key="coupons.stale", ask=_ask)
    if coupon is not None:
        await show_coupons(update, context, note=text(context, "coupons.created", code=coupon.code))


async def _ask(update: Update, context: Context, step: str, data: dict[str, Any]) -> None:
    if step == CONFIRM:
        await _read_back(update, context, CouponTerms.from_data(data["terms"]))
    else:
        await _ask_terms(update, context, step)


def register(app: Application) -> None:
    steps = {AMOUNT: terms_step, PERCENT: terms_step, CONFIRM: buttons_only("coupons.use_buttons")}
    flows.register_flow(Flow(FLOW, steps, cancel_key="coupons.cancelled"))
    app.add_handler(CommandHandler("coupons", lambda update, context: show_coupons(update, context)))
    add_buttons(app, on_view, on_new, on_end, on_create)
