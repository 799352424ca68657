"""Provider refunds: payments made through a payment provider, which the bot cannot refund, as tasks for admins.

/admin → *Provider refunds (n)*: the pending ones, oldest first; one opens its page (amount, order, buyer, the
provider's charge id). *Refunded — enter the reference* asks for the provider's reference; the next text the admin
sends is shown back for confirmation, and *Yes* marks it done (``finish_provider_refund``: booked, audited, the
buyer told). Another admin was first: the alert says so and the page shows it done.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application

from domain.errors import DomainError, ErrorCode
from domain.payments import RefundStatus
from domain.routes import Press, Route
from domain.usecases.catalog import Page
from domain.usecases.provider_refunds import (
    ProviderRefund,
    ProviderRefundPage,
    finish_provider_refund,
    provider_refund,
    provider_refunds,
)
from handlers.admin._common import back_to_menu, list_markup
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_admin, services
from handlers.common.flows import DONE, Flow, Step, active_flow, advance_flow, register_flow, start_flow
from handlers.common.reply import ButtonSpec, acknowledge, keyboard, label, send, show, text
from i18n import Markup

PAGE_SIZE = 5
FLOW = "admin_provider_refund"
REFERENCE = "reference"


def list_text(context: Context, page: ProviderRefundPage) -> str:
    if not page.items:
        return text(context, "admin.provider_refunds.empty")
    return text(context, "admin.provider_refunds.title", total=page.total)


def page_markup(context: Context, page: ProviderRefundPage) -> InlineKeyboardMarkup | None:
    items = [
        (
            label(
                context,
                "admin.provider_refunds.item",
                refund_id=item.refund.id,
                amount=item.refund.amount,
                order_id=item.refund.order_id or "—",
            ),
            Route.ADMIN_PROVIDER_REFUND.with_id(item.refund.id),
        )
        for item in page.items
    ]
    return list_markup(context, items, Page(page.offset, page.limit, page.total), Route.ADMIN_PROVIDER_REFUNDS)


@on_button(Route.ADMIN_PROVIDER_REFUNDS)
async def on_list(update: Update, context: Context, press: Press) -> None:
    offset = press.number() or 0
    page = await provider_refunds(services(context), actor=as_admin(update), offset=offset, limit=PAGE_SIZE)
    await show(update, context, list_text(context, page), page_markup(context, page))


def refund_text(context: Context, item: ProviderRefund) -> str:
    refund, buyer = item.refund, item.buyer
    return text(
        context,
        "admin.provider_refund.page",
        refund_id=refund.id,
        status=Markup(text(context, f"admin.provider_refund.status.{refund.status.value}")),
        amount=refund.amount,
        order_id=refund.order_id or "—",
        buyer=buyer.first_name if buyer is not None else "—",
        buyer_id=refund.user_id,
        provider_charge_id=item.provider_charge_id or "—",
        charge_id=refund.charge_id or "—",
        created=refund.created_at,
    )


def refund_markup(context: Context, item: ProviderRefund, *, confirm: bool = False) -> InlineKeyboardMarkup | None:
    refund_id = item.refund.id
    rows: list[list[ButtonSpec]] = []
    if confirm:
        confirmed = Route.ADMIN_PROVIDER_REFUND_CONFIRMED.with_id(refund_id)
        rows.append([(label(context, "admin.btn.provider_refund_confirm"), confirmed)])
    elif item.refund.status is RefundStatus.PENDING:
        rows.append(
            [(label(context, "admin.btn.provider_refund_done"), Route.ADMIN_PROVIDER_REFUND_DONE.with_id(refund_id))]
        )
    rows += back_rows(context)
    return keyboard(rows)


def back_rows(context: Context) -> list[list[ButtonSpec]]:
    to_list = (label(context, "admin.btn.provider_refunds_list"), Route.ADMIN_PROVIDER_REFUNDS.data(0))
    return [[to_list], back_to_menu(context)]


async def _load(update: Update, context: Context, refund_id: int) -> ProviderRefund:
    return await provider_refund(services(context), actor=as_admin(update), refund_id=refund_id)


@on_button(Route.ADMIN_PROVIDER_REFUND)
async def on_refund(update: Update, context: Context, press: Press) -> None:
    item = await _load(update, context, press.id())
    await show(update, context, refund_text(context, item), refund_markup(context, item))


@on_button(Route.ADMIN_PROVIDER_REFUND_DONE)
async def on_done(update: Update, context: Context, press: Press) -> None:
    """The next text the admin sends is the provider's reference (shown back for confirmation)."""
    item = await _load(update, context, press.id())
    await start_flow(update, context, FLOW, REFERENCE, {"refund": item.refund.id})
    body = text(context, "admin.provider_refund.ask_reference", refund_id=item.refund.id, amount=item.refund.amount)
    await send(update, context, body)


async def step_reference(step: Step) -> str:
    """The typed reference: kept, and shown back with the button that marks the refund done."""
    item = await _load(step.update, step.context, int(step.data["refund"]))
    step.data[REFERENCE] = step.text.strip()
    refund = item.refund
    body = text(
        step.context,
        "admin.provider_refund.confirm",
        refund_id=refund.id,
        amount=refund.amount,
        order_id=refund.order_id or "—",
        reference=step.data[REFERENCE],
    )
    await send(step.update, step.context, body, refund_markup(step.context, item, confirm=True))
    return REFERENCE  # another text replaces the reference


@on_button(Route.ADMIN_PROVIDER_REFUND_CONFIRMED)
async def on_confirmed(update: Update, context: Context, press: Press) -> None:
    state = await active_flow(update, context, FLOW)
    refund_id = press.id()
    if state is None or int(state.data.get("refund", 0)) != refund_id or not state.data.get(REFERENCE):
        await acknowledge(update, label(context, "admin.provider_refund.no_reference"), alert=True)
        return
    reference = str(state.data[REFERENCE])
    try:
        refund = await finish_provider_refund(
            services(context), actor=as_admin(update), refund_id=refund_id, reference=reference
        )
    except DomainError as error:
        if error.code is not ErrorCode.ALREADY_DONE:
            raise
        await advance_flow(update, context, state, DONE)
        await _already_done(update, context, refund_id, error)
        return
    await advance_flow(update, context, state, DONE)
    body = text(context, "admin.provider_refund.done", refund_id=refund.id, amount=refund.amount, reference=reference)
    await show(update, context, body, keyboard(back_rows(context)))


async def _already_done(update: Update, context: Context, refund_id: int, error: DomainError) -> None:
    await acknowledge(update, label(context, "admin.provider_refund.already_done_toast"), alert=True)
    item = await _load(update, context, refund_id)
    done_at = error.params.get("done_at") or item.refund.done_at
    body = text(context, "admin.provider_refund.already_done", refund_id=refund_id, done_at=done_at or "—")
    await show(update, context, f"{body}\n\n{refund_text(context, item)}", refund_markup(context, item))


register_flow(Flow(name=FLOW, steps={REFERENCE: step_reference}, cancel_key="admin.provider_refund.cancelled"))


def register(app: Application) -> None:
    add_buttons(app, on_list, on_refund, on_done, on_confirmed)
