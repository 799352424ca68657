"""Payouts for admins: the queue of payouts to make (merchants' requests and closed shops' deposits), oldest first,
one payout's page, and "Mark paid": the admin types the bank or transfer reference (the ``admin_payout`` flow) and
confirms it. ``mark_payout_paid`` re-checks the admin, books it and then tells the merchant; of two admins marking
the same payout, the second is shown it was already paid, with the first one's reference.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application

from domain.errors import DomainError, ErrorCode
from domain.routes import Press, Route
from domain.usecases.merchant_money import (
    PayoutPage,
    PayoutView,
    mark_payout_paid,
    payout_queue,
    payout_reference,
    view_payout,
)
from handlers.admin._common import back_to_menu, list_markup
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_admin, services
from handlers.common.flows import DONE, STAY, Flow, Step, active_flow, advance_flow, register_flow, start_flow
from handlers.common.reply import ButtonSpec, keyboard, label, send, show, text

PAGE_SIZE = 5
PAY_FLOW, REFERENCE = "admin_payout", "reference"


def payouts_row(context: Context) -> list[ButtonSpec]:
    return [(label(context, "admin.btn.payouts"), Route.ADMIN_PAYOUTS.data(0))]


def list_text(context: Context, page: PayoutPage) -> str:
    if not page.payouts:
        return text(context, "admin.payouts.empty")
    return text(context, "admin.payouts.title", total=page.page.total)


def page_markup(context: Context, page: PayoutPage) -> InlineKeyboardMarkup | None:
    items = [
        (
            label(context, "admin.payouts.item", payout_id=v.payout.id, shop=v.shop.name, amount=v.payout.amount),
            Route.ADMIN_PAYOUT.with_id(v.payout.id),
        )
        for v in page.payouts
    ]
    return list_markup(context, items, page.page, Route.ADMIN_PAYOUTS)


@on_button(Route.ADMIN_PAYOUTS)
async def on_list(update: Update, context: Context, press: Press) -> None:
    page = await payout_queue(services(context), actor=as_admin(update), offset=press.number() or 0, limit=PAGE_SIZE)
    await show(update, context, list_text(context, page), page_markup(context, page))


def payout_text(context: Context, view: PayoutView) -> str:
    payout, shop = view.payout, view.shop
    body = text(
        context,
        f"admin.payout.page.{payout.kind.value}",
        payout_id=payout.id,
        amount=payout.amount,
        shop=shop.name,
        shop_id=shop.id,
        owner=view.people.get(payout.owner_id, payout.owner_id),
        requested_at=payout.requested_at,
    )
    if payout.paid_at is not None:
        paid = text(
            context,
            "admin.payout.paid",
            at=payout.paid_at,
            by=view.people.get(payout.paid_by, payout.paid_by) if payout.paid_by is not None else "—",
            reference=payout.reference,
        )
        body += "\n\n" + paid
    return body


def payout_markup(context: Context, view: PayoutView) -> InlineKeyboardMarkup | None:
    rows: list[list[ButtonSpec]] = []
    if view.payout.paid_at is None:
        rows.append([(label(context, "admin.btn.mark_paid"), Route.ADMIN_PAYOUT_PAY.with_id(view.payout.id))])
    rows.append([*payouts_row(context), *back_to_menu(context)])
    return keyboard(rows)


async def _leave_flow(update: Update, context: Context) -> None:
    state = await active_flow(update, context, PAY_FLOW)
    if state is not None:
        await advance_flow(update, context, state, DONE)


@on_button(Route.ADMIN_PAYOUT)
async def on_payout(update: Update, context: Context, press: Press) -> None:
    """One payout (also "Back" from typing its reference, which leaves that)."""
    view = await view_payout(services(context), actor=as_admin(update), payout_id=press.id())
    await _leave_flow(update, context)
    await show(update, context, payout_text(context, view), payout_markup(context, view))


@on_button(Route.ADMIN_PAYOUT_PAY)
async def on_pay(update: Update, context: Context, press: Press) -> None:
    await ask_reference(update, context, press.id())


async def ask_reference(update: Update, context: Context, payout_id: int) -> None:
    """The next message is the reference (a payout paid meanwhile is shown as it is now)."""
    view = await view_payout(services(context), actor=as_admin(update), payout_id=payout_id)
    if view.payout.paid_at is not None:
        await show(update, context, payout_text(context, view), payout_markup(context, view))
        return
    await start_flow(update, context, PAY_FLOW, REFERENCE, {"payout": view.payout.id})
    ask = text(context, "admin.payout.ask_reference", payout_id=view.payout.id, amount=view.payout.amount)
    await send(update, context, ask)


async def step_reference(step: Step) -> str:
    """Confirm the typed reference; typing again replaces it."""
    reference = payout_reference(step.text)
    payout_id = int(step.data["payout"])
    step.data["reference"] = reference
    rows = [
        [(label(step.context, "admin.btn.confirm_paid"), Route.ADMIN_PAYOUT_PAID.with_id(payout_id))],
        [(label(step.context, "admin.btn.back"), Route.ADMIN_PAYOUT.with_id(payout_id))],
    ]
    await step.say("admin.payout.confirm", keyboard(rows), payout_id=payout_id, reference=reference)
    return STAY


@on_button(Route.ADMIN_PAYOUT_PAID)
async def on_paid(update: Update, context: Context, press: Press) -> None:
    payout_id = press.id()
    state = await active_flow(update, context, PAY_FLOW)
    if state is None or state.data.get("payout") != payout_id or not state.data.get("reference"):
        await ask_reference(update, context, payout_id)  # the reference typed for it is gone: ask again
        return
    try:
        payout = await mark_payout_paid(
            services(context), actor=as_admin(update), payout_id=payout_id, reference=str(state.data["reference"])
        )
    except DomainError as error:
        if error.code is not ErrorCode.ALREADY_DONE:
            raise
        await advance_flow(update, context, state, DONE)
        body = text(context, "admin.payout.already_paid", payout_id=payout_id, reference=error.params.get("reference"))
        await show(update, context, body, keyboard([payouts_row(context)]))
        return
    await advance_flow(update, context, state, DONE)
    body = text(context, "admin.payout.done", payout_id=payout.id, amount=payout.amount, reference=payout.reference)
    await show(update, context, body, keyboard([[*payouts_row(context), *back_to_menu(context)]]))


register_flow(Flow(name=PAY_FLOW, steps={REFERENCE: step_reference}, cancel_key="admin.payout.cancelled"))


def register(app: Application) -> None:
    add_buttons(app, on_list, on_payout, on_pay, on_paid)
