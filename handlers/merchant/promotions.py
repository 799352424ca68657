"""/promotions: the shop's promotions with Pause / Resume / End (asked first), and two guided flows to make one.

A limited-time discount: product (a page of the shop's products, or the whole shop) → percent or amount off →
the number → start → end → name → confirm. A spend-X-get-Y-off (满减): tiers typed as ``100-10, 200-25`` →
start → end → name → confirm. Times are UTC like every time the bot shows: quick buttons ("now", "+1 day",
"+7 days") or typed as ``YYYY-MM-DD HH:MM``. A typo is explained and the same question stays open.

The conversation lives in the database (flow ``p1.new``); its buttons are the ``PROMO_…`` routes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from domain.errors import DomainError
from domain.money import Money
from domain.products import Product
from domain.promotion_rules import parse_percent, parse_spend_tiers, validate_name, validate_window
from domain.promotions import Promotion, PromotionKind, PromotionStatus, SpendTier
from domain.routes import Press, Route
from domain.usecases import variants
from domain.usecases.conversations import FlowState
from domain.usecases.merchant_views import shop_product, shop_products
from domain.usecases.promotions_admin import (
    ShopPromotions,
    create_limited_time,
    create_spend_off,
    end_promotion,
    list_promotions,
    parse_amount_off,
    parse_time,
    pause_promotion,
    phase,
    resume_promotion,
    shop_for_promotions,
)
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_merchant, lang, services
from handlers.common.flows import DONE, STAY, Flow, Step, active_flow, advance_flow, buttons_only, register_flow
from handlers.common.reply import keyboard, label, send, show, text
from handlers.merchant._common import merchant_pager
from i18n import Markup, has, zone_of

FLOW = "p1.new"
PRODUCT, KIND, VALUE, TIERS, START, END, NAME, CONFIRM = (
    "product",
    "kind",
    "value",
    "tiers",
    "start",
    "end",
    "name",
    "confirm",
)
LIMITED, SPEND_OFF = "lt", "so"
PERCENT, AMOUNT = "pct", "amt"
PRODUCTS_PAGE = 6
ALL_SKUS = "all"  # a product with variants picked as a whole (every SKU), not one SKU
QUICK_STARTS = ("now", "1h", "tmr")
QUICK_ENDS = (1, 3, 7, 30)  # days after the start


def _money(context: Context, amount: int) -> Money:
    return Money(amount, services(context).policy.currency)


# ---- describing a promotion ---------------------------------------------------------------------------------


def describe(
    context: Context,
    *,
    kind: str,
    percent: int | None = None,
    amount: Money | None = None,
    product_title: str | None = None,
    tiers: Sequence[SpendTier] = (),
) -> Markup:
    """What it gives, in a line or two: "15% off Sweet mango", "spend ⭐ 100 get ⭐ 10 off; …"."""
    if kind == SPEND_OFF:
        parts = [text(context, "promo.tier", threshold=tier.threshold, off=tier.off) for tier in tiers]
        return Markup(text(context, "promo.what.spend_off", tiers=Markup("; ".join(parts))))
    off = (
        text(context, "promo.off.percent", percent=percent)
        if percent is not None
        else text(context, "promo.off.amount", amount=amount)
    )
    if product_title is None:
        return Markup(text(context, "promo.what.shop", off=Markup(off)))
    return Markup(text(context, "promo.what.product", off=Markup(off), title=product_title))


def describe_promotion(context: Context, promotion: Promotion, titles: dict[int, str]) -> Markup:
    kind = SPEND_OFF if promotion.kind is PromotionKind.SPEND_OFF else LIMITED
    title = None
    if promotion.product_id is not None:
        title = titles.get(promotion.product_id, f"#{promotion.product_id}")
    return describe(
        context,
        kind=kind,
        percent=promotion.percent_off,
        amount=promotion.amount_off,
        product_title=title,
        tiers=promotion.tiers,
    )


# ---- /promotions ------------------------------------------------------------------------------------------


def list_text(context: Context, listed: ShopPromotions) -> str:
    lines = [text(context, "promo.list.title", shop=listed.shop.name)]
    if not listed.promotions:
        lines.append(text(context, "promo.list.empty"))
    for number, promotion in enumerate(listed.promotions, start=1):
        lines.append(
            text(
                context,
                "promo.list.item",
                n=number,
                name=promotion.name,
                what=describe_promotion(context, promotion, listed.product_titles),
                phase=Markup(text(context, f"promo.phase.{phase(promotion, listed.now)}")),
                start=promotion.starts_at,
                end=promotion.ends_at,
            )
        )
    return "\n\n".join(lines)


def list_keyboard(context: Context, listed: ShopPromotions) -> Any:
    rows: list[list[Any]] = []
    for number, promotion in enumerate(listed.promotions, start=1):
        row = []
        if promotion.status is PromotionStatus.ACTIVE:
            row.append((text(context, "promo.btn.pause", n=number), Route.PROMO_PAUSE.with_id(promotion.id)))
        elif promotion.can_resume(listed.now):
            row.append((text(context, "promo.btn.resume", n=number), Route.PROMO_RESUME.with_id(promotion.id)))
        row.append((text(context, "promo.btn.end", n=number), Route.PROMO_END.with_id(promotion.id)))
        rows.append(row)
    rows.append([(text(context, "promo.btn.new_limited"), Route.PROMO_NEW_LIMITED.data())])
    rows.append([(text(context, "promo.btn.new_spend_off"), Route.PROMO_NEW_SPEND_OFF.data())])
    return keyboard(rows)


async def render_list(update: Update, context: Context, note: str = "") -> None:
    listed = await list_promotions(services(context), actor=as_merchant(update))
    body = list_text(context, listed)
    await show(update, context, f"{note}\n\n{body}" if note else body, list_keyboard(context, listed))


async def promotions_command(update: Update, context: Context) -> None:
    """/promotions"""
    await render_list(update, context)


@on_button(Route.PROMO_LIST)
async def on_list(update: Update, context: Context, press: Press) -> None:
    await render_list(update, context)


CHANGES = {
    # button → (use case, the key of the notice above the list)
    Route.PROMO_PAUSE: (pause_promotion, "promo.done.ps"),
    Route.PROMO_RESUME: (resume_promotion, "promo.done.rs"),
    Route.PROMO_END_CONFIRMED: (end_promotion, "promo.done.endy"),
}


@on_button(*CHANGES)
async def on_change(update: Update, context: Context, press: Press) -> None:
    """Pause, resume or end (once confirmed); the list again under what changed."""
    change, done_key = CHANGES[press.route]
    promotion = await change(services(context), actor=as_merchant(update), promotion_id=press.id())
    await render_list(update, context, text(context, done_key, name=promotion.name))


@on_button(Route.PROMO_END)
async def on_ask_end(update: Update, context: Context, press: Press) -> None:
    """Ending is for good: ask first."""
    promotion_id = press.id()
    listed = await list_promotions(services(context), actor=as_merchant(update))
    promotion = next((p for p in listed.promotions if p.id == promotion_id), None)
    if promotion is None:  # ended meanwhile, or not this merchant's
        await render_list(update, context)
        return
    body = text(
        context,
        "promo.end.confirm",
        name=promotion.name,
        what=describe_promotion(context, promotion, listed.product_titles),
    )
    rows = [
        [
            (text(context, "promo.btn.end_yes"), Route.PROMO_END_CONFIRMED.with_id(promotion.id)),
            (text(context, "promo.btn.keep"), Route.PROMO_LIST.data()),
        ]
    ]
    await show(update, context, body, keyboard(rows))


# ---- the guided flow ----------------------------------------------------------------------------------------


def explain(context: Context, error: DomainError) -> str | None:
    """A precise, localised explanation of why what the merchant typed does not work, when there is one."""
    params = error.params
    candidates = []
    if params.get("reason"):
        candidates.append(f"promo.err.{params['reason']}")
    if "position" in params:
        candidates.append(f"promo.err.{error.code.value}_tier")
    candidates.append(f"promo.err.{error.code.value}")
    for key in candidates:
        if has(key):
            try:
                return text(context, key, **{"zone": zone_of(lang(context)), **params})
            except (KeyError, IndexError):
                continue
    return None


async def _explain_or_raise(step: Step, error: DomainError) -> str:
    explanation = explain(step.context, error)
    if explanation is None:
        raise error
    await send(step.update, step.context, explanation)
    return STAY


async def _ask_sku(update: Update, context: Context, product: Product) -> None:
    """A product with variants: a discount of all its SKUs, or of one."""
    _, skus = await variants.merchant_skus(services(context), actor=as_merchant(update), product_id=product.id)
    rows: list[list[Any]] = [[(text(context, "promo.btn.all_skus"), Route.PROMO_PRODUCT.data(product.id, ALL_SKUS))]]
    rows += [[(sku.sku_label[:40], Route.PROMO_PRODUCT.with_id(sku.id))] for sku in skus]
    rows.append(_cancel_row(context))
    await send(update, context, text(context, "promo.ask.sku", title=product.title), keyboard(rows))


def _cancel_row(context: Context) -> list[Any]:
    return [(text(context, "merchant.btn.cancel"), Route.PROMO_CANCEL.data())]


async def ask(update: Update, context: Context, state: FlowState, step: str, *, offset: int = 0) -> str:
    """Ask the question of ``step`` (with its buttons); returns ``step`` for the flow to wait in."""
    data = state.data
    rows: list[list[Any]] = []
    args: dict[str, Any] = {}
    if step == PRODUCT:
        listed = await shop_products(services(context), actor=as_merchant(update), offset=offset, limit=PRODUCTS_PAGE)
        rows.append([(text(context, "promo.btn.whole_shop"), Route.PROMO_WHOLE_SHOP.data())])
        rows += [
            [(("" if p.active else "⏸ ") + p.title[:40], Route.PROMO_PRODUCT.with_id(p.id))] for p in listed.products
        ]
        rows.append(merchant_pager(listed.page, Route.PROMO_PRODUCTS_PAGE))
    elif step == KIND:
        rows.append([(text(context, "promo.btn.percent"), Route.PROMO_KIND.data(PERCENT))])
        rows.append([(text(context, "promo.btn.amount"), Route.PROMO_KIND.data(AMOUNT))])
        args["target"] = _target(context, data)
    elif step == VALUE:
        args["price"] = _money(context, int(data["list_price"])) if data.get("list_price") else None
        step_key = "value_pct" if data["off"] == PERCENT else "value_amt_product" if args["price"] else "value_amt"
        await send(update, context, text(context, f"promo.ask.{step_key}", **args), keyboard([_cancel_row(context)]))
        return step
    elif step == START:
        args["zone"] = zone_of(lang(context))
        rows.append(
            [(text(context, f"promo.btn.start_{quick}"), Route.PROMO_START.data(quick)) for quick in QUICK_STARTS]
        )
    elif step == END:
        rows.append(
            [(text(context, "promo.btn.days", days=days), Route.PROMO_END_AFTER.data(days)) for days in QUICK_ENDS]
        )
        args["start"] = datetime.fromisoformat(data["starts_at"])
        args["zone"] = zone_of(lang(context))
    elif step == NAME:
        data["suggested"] = _suggested_name(context, data)
        rows.append([(label(context, "promo.btn.use_name", name=data["suggested"]), Route.PROMO_SUGGESTED_NAME.data())])
    elif step == CONFIRM:
        rows.append([(text(context, "promo.btn.create"), Route.PROMO_CREATE.data()), *_cancel_row(context)])
        await send(update, context, _summary(context, data), keyboard(rows))
        return step
    rows.append(_cancel_row(context))
    await send(update, context, text(context, f"promo.ask.{step}", **args), keyboard(rows))
    return step


def _target(context: Context, data: dict[str, Any]) -> Markup:
    title = data.get("product_title")
    return Markup(text(context, "promo.target.product", title=title) if title else text(context, "promo.target.shop"))


def _suggested_name(context: Context, data: dict[str, Any]) -> str:
    if data["kind"] == SPEND_OFF:
        key, args = "promo.suggest.spend_off", {}
    elif data["off"] == PERCENT:
        key, args = "promo.suggest.percent", {"percent": data["value"]}
    else:
        key, args = "promo.suggest.amount", {"amount": _money(context, int(data["value"])).format()}
    return label(context, key, **args)  # a name as typed, not HTML: it is escaped wherever it is shown


def _tiers(context: Context, data: dict[str, Any]) -> list[SpendTier]:
    return [SpendTier(_money(context, threshold), _money(context, off)) for threshold, off in data.get("tiers", [])]


def _summary(context: Context, data: dict[str, Any]) -> str:
    if data["kind"] == SPEND_OFF:
        what = describe(context, kind=SPEND_OFF, tiers=_tiers(context, data))
    else:
        percent = int(data["value"]) if data["off"] == PERCENT else None
        amount = _money(context, int(data["value"])) if data["off"] == AMOUNT else None
        what = describe(context, kind=LIMITED, percent=percent, amount=amount, product_title=data.get("product_title"))
    return text(
        context,
        "promo.summary",
        name=data["name"],
        what=what,
        start=datetime.fromisoformat(data["starts_at"]),
        end=datetime.fromisoformat(data["ends_at"]),
    )


async def _flow_at(update: Update, context: Context, *steps: str) -> FlowState | None:
    """The merchant's promotion flow if it waits at one of ``steps``; otherwise the press is stale (said so)."""
    state = await active_flow(update, context, FLOW)
    if state is None or state.step not in steps:
        await send(update, context, text(context, "promo.stale"))
        return None
    return state


async def _move(update: Update, context: Context, state: FlowState, step: str, **kwargs: Any) -> None:
    await advance_flow(update, context, state, await ask(update, context, state, step, **kwargs))


@on_button(Route.PROMO_NEW_LIMITED, Route.PROMO_NEW_SPEND_OFF)
async def on_new(update: Update, context: Context, press: Press) -> None:
    """Start making a promotion, if the shop may run one now (else the press's alert says why)."""
    await shop_for_promotions(services(context), actor=as_merchant(update))
    kind = LIMITED if press.route is Route.PROMO_NEW_LIMITED else SPEND_OFF
    first = PRODUCT if kind == LIMITED else TIERS
    await _move(update, context, FlowState(FLOW, first, {"kind": kind}), first)


FLOW_BUTTONS = (
    Route.PROMO_CANCEL,
    Route.PROMO_PRODUCTS_PAGE,
    Route.PROMO_WHOLE_SHOP,
    Route.PROMO_PRODUCT,
    Route.PROMO_KIND,
    Route.PROMO_START,
    Route.PROMO_END_AFTER,
    Route.PROMO_SUGGESTED_NAME,
    Route.PROMO_CREATE,
)


@on_button(*FLOW_BUTTONS)
async def on_flow_button(update: Update, context: Context, press: Press) -> None:
    """Every button inside the flow; a mistake is explained in a message, a refusal in the press's alert."""
    try:
        await _flow_button(update, context, press)
    except DomainError as error:
        explanation = explain(context, error)
        if explanation is None:
            raise
        await send(update, context, explanation)


async def _flow_button(update: Update, context: Context, data: Press) -> None:
    action, arg = data.route, data.arg(0)
    if action is Route.PROMO_CANCEL:
        state = await active_flow(update, context, FLOW)
        if state is not None:
            await advance_flow(update, context, state, DONE)
        await send(update, context, text(context, "promo.cancelled"))
    elif action is Route.PROMO_PRODUCTS_PAGE and (state := await _flow_at(update, context, PRODUCT)):
        await _move(update, context, state, PRODUCT, offset=data.number(0) or 0)
    elif action is Route.PROMO_WHOLE_SHOP and (state := await _flow_at(update, context, PRODUCT)):
        state.data.update(product_id=None, product_title=None, list_price=None)
        await _move(update, context, state, KIND)
    elif (
        action is Route.PROMO_PRODUCT
        and (product_id := data.number(0))
        and (state := await _flow_at(update, context, PRODUCT))
    ):
        product = await shop_product(services(context), actor=as_merchant(update), product_id=product_id)
        if product.has_options and data.arg(1) != ALL_SKUS:  # the whole product, or one of its SKUs
            await _ask_sku(update, context, product)
            return
        state.data.update(product_id=product.id, product_title=product.title, list_price=product.price.amount)
        await _move(update, context, state, KIND)
    elif action is Route.PROMO_KIND and arg in (PERCENT, AMOUNT) and (state := await _flow_at(update, context, KIND)):
        state.data["off"] = arg
        await _move(update, context, state, VALUE)
    elif action is Route.PROMO_START and arg in QUICK_STARTS:
        if state := await _flow_at(update, context, START):
            state.data["starts_at"] = _quick_start(services(context).clock.now(), arg).isoformat()
            await _move(update, context, state, END)
    elif (
        action is Route.PROMO_END_AFTER
        and (days := data.number(0)) in QUICK_ENDS
        and (state := await _flow_at(update, context, END))
    ):
        start = datetime.fromisoformat(state.data["starts_at"])
        await _set_end(update, context, state, start + timedelta(days=days or 0))
    elif action is Route.PROMO_SUGGESTED_NAME and (state := await _flow_at(update, context, NAME)):
        state.data["name"] = validate_name(str(state.data.get("suggested", "")))
        await _move(update, context, state, CONFIRM)
    elif action is Route.PROMO_CREATE and (state := await _flow_at(update, context, CONFIRM)):
        promotion = await _create(update, context, state.data)
        await advance_flow(update, context, state, DONE)
        await render_list(update, context, text(context, "promo.created", name=promotion.name))


def _quick_start(now: datetime, quick: str) -> datetime:
    if quick == "1h":
        return now + timedelta(hours=1)
    if quick == "tmr":
        return (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return now


async def _set_end(update: Update, context: Context, state: FlowState, ends_at: datetime) -> None:
    validate_window(datetime.fromisoformat(state.data["starts_at"]), ends_at, services(context).clock.now())
    state.data["ends_at"] = ends_at.isoformat()
    await _move(update, context, state, NAME)


async def _create(update: Update, context: Context, data: dict[str, Any]) -> Promotion:
    svc, actor = services(context), as_merchant(update)
    window = {
        "name": str(data["name"]),
        "starts_at": datetime.fromisoformat(data["starts_at"]),
        "ends_at": datetime.fromisoformat(data["ends_at"]),
    }
    if data["kind"] == SPEND_OFF:
        return await create_spend_off(svc, actor=actor, tiers=_tiers(context, data), **window)
    value = int(data["value"])
    return await create_limited_time(
        svc,
        actor=actor,
        product_id=data.get("product_id"),
        percent_off=value if data["off"] == PERCENT else None,
        amount_off=_money(context, value) if data["off"] == AMOUNT else None,
        **window,
    )


# Typed steps: each reads the text, explains a mistake (staying put) or asks the next question.


async def value_step(step: Step) -> str:
    """The percent (1-99) or the amount off per item (below the product's price)."""
    try:
        if step.data["off"] == PERCENT:
            step.data["value"] = parse_percent(step.text)
        else:
            currency = services(step.context).policy.currency
            price = _money(step.context, int(step.data["list_price"])) if step.data.get("list_price") else None
            step.data["value"] = parse_amount_off(step.text, currency, price).amount
    except DomainError as error:
        return await _explain_or_raise(step, error)
    return await ask(step.update, step.context, step.state, START)


async def tiers_step(step: Step) -> str:
    """Spend-off tiers such as ``100-10, 200-25``."""
    try:
        tiers = parse_spend_tiers(step.text, services(step.context).policy.currency)
    except DomainError as error:
        return await _explain_or_raise(step, error)
    step.data["tiers"] = [[tier.threshold.amount, tier.off.amount] for tier in tiers]
    return await ask(step.update, step.context, step.state, START)


async def start_step(step: Step) -> str:
    """A typed start time (a time already past means "from now")."""
    try:
        step.data["starts_at"] = parse_time(step.text, zone_of(lang(step.context))).isoformat()
    except DomainError as error:
        return await _explain_or_raise(step, error)
    return await ask(step.update, step.context, step.state, END)


async def end_step(step: Step) -> str:
    """A typed end time: after the start and in the future."""
    try:
        ends_at = parse_time(step.text, zone_of(lang(step.context)))
        validate_window(datetime.fromisoformat(step.data["starts_at"]), ends_at, services(step.context).clock.now())
    except DomainError as error:
        return await _explain_or_raise(step, error)
    step.data["ends_at"] = ends_at.isoformat()
    return await ask(step.update, step.context, step.state, NAME)


async def name_step(step: Step) -> str:
    """The name buyers see on the product page and their receipt."""
    try:
        step.data["name"] = validate_name(step.text)
    except DomainError as error:
        return await _explain_or_raise(step, error)
    return await ask(step.update, step.context, step.state, CONFIRM)


def register(app: Application) -> None:
    steps = {
        PRODUCT: buttons_only("promo.use_buttons"),
        KIND: buttons_only("promo.use_buttons"),
        VALUE: value_step,
        TIERS: tiers_step,
        START: start_step,
        END: end_step,
        NAME: name_step,
        CONFIRM: buttons_only("promo.use_buttons"),
    }
    register_flow(Flow(FLOW, steps, restart_step=CONFIRM, cancel_key="promo.cancelled"))
    app.add_handler(CommandHandler("promotions", promotions_command))
    add_buttons(app, on_list, on_change, on_ask_end, on_new, on_flow_button)
