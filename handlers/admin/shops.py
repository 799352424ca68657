"""Shops for admins: lists by status, search by name, a shop's page with its score, Suspend / Reinstate / Close,
and running the shop evaluation (店铺评估) on demand.

Suspending asks for a reason (preset, stored in both languages, or typed in the ``admin_suspend`` flow). Closing is
confirmed first; a shop with open orders is not closed unless the admin confirms a second time that its open orders
are cancelled and refunded. Every move is the use case's: it re-checks the admin, tells the merchant and audits it.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application

from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.routes import Press, Route
from domain.shops import Shop, ShopStatus
from domain.usecases.admin_console import (
    ShopList,
    ShopOverview,
    admin_overview,
    list_shops,
    shop_overview,
)
from domain.usecases.evaluation import (
    SUSPENSION_LINE,
    WARNING_LINE,
    WINDOW,
    Outcome,
    ShopEvaluation,
    Standing,
    evaluate_shops,
)
from domain.usecases.shops import close_shop, reinstate_shop, suspend_shop
from handlers.admin._common import (
    CLOSE_REASON,
    REINSTATE_REASON,
    SUSPEND_REASONS,
    admin_pager,
    ask_to_type,
    back_to_menu,
    bilingual,
    preset_reason,
    pressed_application,
    reasons_markup,
    shop_status_label,
)
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_admin, services, user_id
from handlers.common.flows import DONE, Flow, Step, register_flow, start_flow
from handlers.common.reply import ButtonSpec, error_text, keyboard, label, send, show, text
from handlers.common.scores import score_text
from i18n import Markup, has

SUSPEND_FLOW, SEARCH_FLOW = "admin_suspend", "admin_shop_search"
REASON, QUERY = "reason", "query"
PAGE_SIZE = 8
SEARCH_RESULTS = 20
ALL = "all"
FILTERS = (
    ALL,
    ShopStatus.ACTIVE.value,
    ShopStatus.SUSPENDED.value,
    ShopStatus.PENDING_REVIEW.value,
    ShopStatus.CLOSED.value,
)
SHOWN_RESULTS = 20


# --- lists ---------------------------------------------------------------------------------------------------


def parse_filter(raw: str) -> ShopStatus | None:
    return ShopStatus(raw) if raw in ShopStatus._value2member_map_ else None


def list_text(context: Context, shops: ShopList) -> str:
    title = text(context, "admin.shops.all") if shops.status is None else shop_status_label(context, shops.status)
    if shops.query:
        header = text(context, "admin.shops.search_title", query=shops.query, total=shops.page.total)
    else:
        header = text(context, "admin.shops.title", status=title, total=shops.page.total)
    if not shops.shops:
        return f"{header}\n{text(context, 'admin.shops.empty')}"
    return header


def shop_button(context: Context, shop: Shop, score: int | None) -> list[ButtonSpec]:
    status = shop_status_label(context, shop.status)
    shown = score_text(context, score)
    item = label(context, "admin.shops.item", shop_id=shop.id, name=shop.name, status=status, score=shown)
    return [(item, Route.ADMIN_SHOP.with_id(shop.id))]


def list_markup(context: Context, shops: ShopList, *, paged: bool) -> InlineKeyboardMarkup | None:
    rows = [shop_button(context, shop, shops.scores.get(shop.id)) for shop in shops.shops]
    if paged:
        current = shops.status.value if shops.status else ALL
        rows.append(admin_pager(shops.page, Route.ADMIN_SHOPS, current))
        filters: list[ButtonSpec] = []
        for value in FILTERS:
            name = label(context, "admin.shops.all") if value == ALL else shop_status_label(context, ShopStatus(value))
            filters.append((f"• {name}" if value == current else name, Route.ADMIN_SHOPS.data(value, 0)))
        rows += [filters[:3], filters[3:]]
    rows.append([(label(context, "admin.btn.search"), Route.ADMIN_SHOP_SEARCH.data())])
    rows.append(back_to_menu(context))
    return keyboard(rows)


@on_button(Route.ADMIN_SHOPS)
async def on_list(update: Update, context: Context, press: Press) -> None:
    status, offset = parse_filter(press.arg(0)), press.number(1) or 0
    shops = await list_shops(services(context), actor=as_admin(update), status=status, offset=offset, limit=PAGE_SIZE)
    await show(update, context, list_text(context, shops), list_markup(context, shops, paged=True))


@on_button(Route.ADMIN_SHOP_SEARCH)
async def on_search(update: Update, context: Context, press: Press) -> None:
    """The next text the admin sends is a piece of a shop's name."""
    allowed = admin_overview(services(context), actor=as_admin(update))
    await ask_to_type(update, context, allowed, SEARCH_FLOW, QUERY, "admin.shops.search_ask")


async def step_query(step: Step) -> str:
    """Shops whose name contains the words typed."""
    svc, actor = services(step.context), Actor.admin(user_id(step.update))
    shops = await list_shops(svc, actor=actor, query=step.text, limit=SEARCH_RESULTS)
    await send(step.update, step.context, list_text(step.context, shops), list_markup(step.context, shops, paged=False))
    return DONE


# --- a shop's page ---------------------------------------------------------------------------------------------


def evaluation_text(context: Context, evaluation: ShopEvaluation) -> str:
    figures, lost = evaluation.figures, evaluation.penalties
    if evaluation.score is None:
        headline = text(context, "admin.eval.unrated", count=figures.paid_orders, days=WINDOW.days)
    else:
        standing = Markup(text(context, f"admin.eval.standing.{evaluation.standing.value}"))
        headline = text(context, "admin.eval.score", score=evaluation.score, standing=standing, days=WINDOW.days)
    rating = "—" if figures.review_average is None else f"{figures.review_average:.1f}"
    body = text(
        context,
        "admin.eval.breakdown",
        late=figures.late_shipments,
        due=figures.shipments_due,
        late_points=round(lost.late),
        refunded=figures.refunded_orders,
        orders=figures.paid_orders,
        refund_points=round(lost.refunds),
        complaints=figures.complaints,
        tickets=figures.tickets,
        complaint_points=round(lost.complaints),
        rating=rating,
        reviews=figures.reviews,
        review_points=round(lost.reviews),
        warning_line=WARNING_LINE,
        suspension_line=SUSPENSION_LINE,
    )
    return f"{headline}\n{body}"


def shop_text(context: Context, overview: ShopOverview) -> str:
    shop, owner = overview.shop, overview.owner
    parts = [
        text(
            context,
            "admin.shop.page",
            shop_id=shop.id,
            name=shop.name,
            status=shop_status_label(context, shop.status),
            owner=owner.name_and_handle if owner else "—",
            owner_id=shop.owner_id,
            shop_type=Markup(text(context, f"admin.shop_type.{shop.shop_type.value}")),
            scope=shop.business_scope,
            phone=shop.contact_phone,
            deposit=shop.deposit,
            balance=shop.deposit_balance if shop.deposit_balance is not None else shop.deposit,
            open_orders=overview.open_orders,
            late_marks=shop.late_shipments,
        )
    ]
    if shop.status is ShopStatus.SUSPENDED and shop.suspend_reason:
        parts.append(text(context, "admin.shop.suspended_because", reason=shop.suspend_reason))
    if shop.reject_reason and shop.status is ShopStatus.REJECTED:
        parts.append(text(context, "admin.shop.rejected_because", reason=shop.reject_reason))
    if overview.self_dealing:
        lines = [
            text(
                context,
                "admin.shop.self_dealing_order",
                order_id=order.id,
                buyer_id=order.buyer_id,
                total=order.total,
                phone=order.address.phone,
            )
            for order in overview.self_dealing
        ]
        parts.append(text(context, "admin.shop.self_dealing", orders=Markup("\n".join(lines))))
    parts.append(evaluation_text(context, overview.evaluation))
    return "\n\n".join(parts)


def shop_markup(context: Context, shop: Shop) -> InlineKeyboardMarkup | None:
    rows: list[list[ButtonSpec]] = []
    if shop.status is ShopStatus.PENDING_REVIEW:
        rows.append(
            [
                (label(context, "admin.btn.approve"), Route.ADMIN_APPROVE.with_id(shop.id)),
                (label(context, "admin.btn.reject"), Route.ADMIN_REJECT.with_id(shop.id)),
            ]
        )
    moves: list[ButtonSpec] = []
    if shop.can_become(ShopStatus.SUSPENDED):
        moves.append((label(context, "admin.btn.suspend"), Route.ADMIN_SUSPEND.with_id(shop.id)))
    if shop.status is ShopStatus.SUSPENDED and shop.can_become(ShopStatus.ACTIVE):
        moves.append((label(context, "admin.btn.reinstate"), Route.ADMIN_REINSTATE.with_id(shop.id)))
    if shop.can_become(ShopStatus.CLOSED):
        moves.append((label(context, "admin.btn.close"), Route.ADMIN_CLOSE.with_id(shop.id)))
    rows.append(moves)
    if shop.documents:
        documents = label(context, "admin.btn.documents", count=len(shop.documents))
        rows.append([(documents, Route.ADMIN_DOCUMENTS.with_id(shop.id))])
    rows.append([(label(context, "admin.btn.shops"), Route.ADMIN_SHOPS.data(ALL, 0)), *back_to_menu(context)])
    return keyboard(rows)


@on_button(Route.ADMIN_SHOP)
async def on_shop(update: Update, context: Context, press: Press) -> None:
    overview = await shop_overview(services(context), actor=as_admin(update), shop_id=press.id())
    await show(update, context, shop_text(context, overview), shop_markup(context, overview.shop))


# --- suspend ---------------------------------------------------------------------------------------------------


@on_button(Route.ADMIN_SUSPEND)
async def on_suspend(update: Update, context: Context, press: Press) -> None:
    """Pick a reason (or type one)."""
    found = await pressed_application(update, context, press)
    shop_id = found.shop.id
    back = (label(context, "admin.btn.back"), Route.ADMIN_SHOP.with_id(shop_id))
    markup = reasons_markup(
        context, shop_id, SUSPEND_REASONS, Route.ADMIN_SUSPEND_PRESET, Route.ADMIN_SUSPEND_TYPED, back
    )
    await show(update, context, text(context, "admin.shop.suspend_pick", name=found.shop.name), markup)


@on_button(Route.ADMIN_SUSPEND_PRESET)
async def on_suspend_preset(update: Update, context: Context, press: Press) -> None:
    reason = preset_reason(SUSPEND_REASONS, press.arg(1))
    if reason is None:
        return
    shop = await suspend_shop(services(context), actor=as_admin(update), shop_id=press.id(), reason=reason)
    await show(update, context, suspended_text(context, shop), after_move_markup(context, shop.id))


@on_button(Route.ADMIN_SUSPEND_TYPED)
async def on_suspend_other(update: Update, context: Context, press: Press) -> None:
    """The next text the admin sends is the reason."""
    found = await pressed_application(update, context, press)
    await start_flow(update, context, SUSPEND_FLOW, REASON, {"shop": found.shop.id})
    await send(update, context, text(context, "admin.shop.suspend_ask", name=found.shop.name))


async def step_suspend_reason(step: Step) -> str:
    """The typed reason: suspend with it (an empty or too long one is refused and asked again)."""
    shop_id = int(step.data["shop"])
    actor = Actor.admin(user_id(step.update))
    try:
        shop = await suspend_shop(services(step.context), actor=actor, shop_id=shop_id, reason=step.text)
    except DomainError as error:
        if error.code in (ErrorCode.INVALID_TEXT, ErrorCode.TEXT_TOO_LONG):
            raise
        await send(step.update, step.context, error_text(step.context, error), after_move_markup(step.context, shop_id))
        return DONE
    await send(step.update, step.context, suspended_text(step.context, shop), after_move_markup(step.context, shop.id))
    return DONE


def suspended_text(context: Context, shop: Shop) -> str:
    return text(context, "admin.shop.suspended", name=shop.name, reason=shop.suspend_reason)


def after_move_markup(context: Context, shop_id: int) -> InlineKeyboardMarkup | None:
    return keyboard(
        [[(label(context, "admin.btn.open_shop"), Route.ADMIN_SHOP.with_id(shop_id))], back_to_menu(context)]
    )


def confirm_markup(context: Context, yes_key: str, yes: Route, shop_id: int) -> InlineKeyboardMarkup | None:
    """The buttons under an admin's "sure?" about a shop: do it, or back to the shop's page."""
    back = (label(context, "admin.btn.back"), Route.ADMIN_SHOP.with_id(shop_id))
    return keyboard([[(label(context, yes_key), yes.with_id(shop_id))], [back]])


# --- reinstate and close -----------------------------------------------------------------------------------------


@on_button(Route.ADMIN_REINSTATE)
async def on_reinstate(update: Update, context: Context, press: Press) -> None:
    """Ask first."""
    found = await pressed_application(update, context, press)
    markup = confirm_markup(context, "admin.btn.confirm_reinstate", Route.ADMIN_REINSTATE_CONFIRMED, found.shop.id)
    await show(update, context, text(context, "admin.shop.reinstate_confirm", name=found.shop.name), markup)


@on_button(Route.ADMIN_REINSTATE_CONFIRMED)
async def on_reinstate_confirmed(update: Update, context: Context, press: Press) -> None:
    reason = bilingual(REINSTATE_REASON)
    shop = await reinstate_shop(services(context), actor=as_admin(update), shop_id=press.id(), reason=reason)
    body = text(context, "admin.shop.reinstated", name=shop.name)
    await show(update, context, body, after_move_markup(context, shop.id))


@on_button(Route.ADMIN_CLOSE)
async def on_close(update: Update, context: Context, press: Press) -> None:
    """Closing is for good, so ask first (saying how many orders are still open)."""
    overview = await shop_overview(services(context), actor=as_admin(update), shop_id=press.id())
    shop = overview.shop
    body = text(context, "admin.shop.close_confirm", name=shop.name, open_orders=overview.open_orders)
    await show(
        update, context, body, confirm_markup(context, "admin.btn.confirm_close", Route.ADMIN_CLOSE_CONFIRMED, shop.id)
    )


@on_button(Route.ADMIN_CLOSE_CONFIRMED, Route.ADMIN_CLOSE_WITH_ORDERS)
async def on_close_confirmed(update: Update, context: Context, press: Press) -> None:
    """Close a shop without open orders; with its open orders (cancelled and refunded) only when confirmed again."""
    shop_id, force = press.id(), press.route is Route.ADMIN_CLOSE_WITH_ORDERS
    try:
        shop = await close_shop(
            services(context), actor=as_admin(update), shop_id=shop_id, reason=bilingual(CLOSE_REASON), force=force
        )
    except DomainError as error:
        if error.code is not ErrorCode.SHOP_HAS_OPEN_ORDERS:
            raise
        body = text(context, "admin.shop.close_has_orders", count=error.params.get("count", "?"))
        markup = confirm_markup(context, "admin.btn.confirm_force_close", Route.ADMIN_CLOSE_WITH_ORDERS, shop_id)
        await show(update, context, body, markup)
        return
    key = "admin.shop.closed_with_refunds" if force else "admin.shop.closed"
    await show(update, context, text(context, key, name=shop.name), after_move_markup(context, shop.id))


# --- the evaluation on demand -----------------------------------------------------------------------------------


@on_button(Route.ADMIN_EVALUATE)
async def on_evaluate(update: Update, context: Context, press: Press) -> None:
    """What the evaluation does, and a button to run it now (only an admin sees it)."""
    await admin_overview(services(context), actor=as_admin(update))
    body = text(
        context, "admin.eval.confirm", days=WINDOW.days, warning_line=WARNING_LINE, suspension_line=SUSPENSION_LINE
    )
    await show(
        update,
        context,
        body,
        keyboard(
            [[(label(context, "admin.btn.run_evaluation"), Route.ADMIN_EVALUATE_RUN.data())], back_to_menu(context)]
        ),
    )


@on_button(Route.ADMIN_EVALUATE_RUN)
async def on_evaluate_run(update: Update, context: Context, press: Press) -> None:
    """Score every active shop now; shops below the lines are warned or suspended as at night."""
    results = await evaluate_shops(services(context), actor=as_admin(update))
    await show(update, context, evaluation_report(context, results), evaluation_markup(context, results))


def evaluation_report(context: Context, results: list[ShopEvaluation]) -> str:
    count = {outcome: sum(1 for r in results if r.outcome is outcome) for outcome in Outcome}
    unrated = sum(1 for r in results if r.standing is Standing.UNRATED)
    lines = [
        text(
            context,
            "admin.eval.report",
            count=len(results),
            suspended=count[Outcome.SUSPENDED],
            warned=count[Outcome.WARNED],
            unrated=unrated,
        )
    ]
    ranked = sorted(results, key=lambda r: (r.score is None, r.score if r.score is not None else 0))
    for result in ranked[:SHOWN_RESULTS]:
        key = f"admin.eval.outcome.{result.outcome.value}"
        outcome = Markup(text(context, key) if has(key) else "")  # an unremarkable outcome says nothing
        score = "—" if result.score is None else result.score
        lines.append(
            text(
                context, "admin.eval.line", shop_id=result.shop_id, name=result.shop_name, score=score, outcome=outcome
            )
        )
    return "\n".join(lines)


def evaluation_markup(context: Context, results: list[ShopEvaluation]) -> InlineKeyboardMarkup | None:
    acted = [r for r in results if r.outcome is not Outcome.NONE][:SHOWN_RESULTS]
    rows = [
        [(label(context, "admin.shops.open", shop_id=r.shop_id, name=r.shop_name), Route.ADMIN_SHOP.with_id(r.shop_id))]
        for r in acted
    ]
    rows.append(back_to_menu(context))
    return keyboard(rows)


register_flow(Flow(name=SUSPEND_FLOW, steps={REASON: step_suspend_reason}, cancel_key="admin.shop.suspend_cancelled"))
register_flow(Flow(name=SEARCH_FLOW, steps={QUERY: step_query}, cancel_key="admin.shops.search_cancelled"))


def register(app: Application) -> None:
    add_buttons(app, on_list, on_search, on_shop, on_suspend, on_suspend_preset, on_suspend_other)
    add_buttons(app, on_reinstate, on_reinstate_confirmed, on_close, on_close_confirmed, on_evaluate, on_evaluate_run)
