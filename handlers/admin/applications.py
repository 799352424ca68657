"""Shop applications (开店审核): the queue, oldest first, one per page; documents; Approve / Reject.

The Approve and Reject buttons are also on the message every admin gets when a merchant applies, so a decision
can be taken from there or from the queue; Approve asks to confirm first. Two admins deciding at once: the use case
lets one win and tells the other ``ALREADY_DONE`` with who decided, shown as "Ada already decided" (or "You already
approved this." to the admin who did) with the application's state now; the other admins' copies of the alert are
edited by the outbox to say who decided.
A rejection needs a reason: a preset one (stored in both languages) or one typed in the ``admin_reject`` flow.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application as PtbApplication

from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.routes import Press, Route
from domain.shops import Shop, ShopStatus
from domain.usecases.admin_console import Application, ApplicationPage, application_queue
from domain.usecases.shops import approve_shop, reject_shop
from handlers.admin._common import (
    REJECT_REASONS,
    admin_pager,
    back_to_menu,
    preset_reason,
    pressed_application,
    reasons_markup,
    shop_status_label,
)
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_admin, services, user_id
from handlers.common.flows import DONE, Flow, Step, register_flow, start_flow
from handlers.common.media import albums, send_album
from handlers.common.reply import acknowledge, keyboard, label, send, show, text
from i18n import Markup

log = logging.getLogger(__name__)

REJECT_FLOW, REASON = "admin_reject", "reason"


def applicant_text(context: Context, application: Application) -> str:
    user = application.applicant
    if user is None:
        return text(context, "admin.app.applicant_unknown", user_id=application.shop.owner_id)
    username = f"@{user.username}" if user.username else "—"
    return text(context, "admin.app.applicant", name=user.display_name, username=username, user_id=user.id)


def application_text(context: Context, application: Application) -> str:
    shop = application.shop
    return text(
        context,
        "admin.app.details",
        shop_id=shop.id,
        name=shop.name,
        shop_type=Markup(text(context, f"admin.shop_type.{shop.shop_type.value}")),
        scope=shop.business_scope,
        phone=shop.contact_phone,
        applicant=Markup(applicant_text(context, application)),
        submitted=shop.agreement_accepted_at or shop.created_at,
        documents=len(shop.documents),
        deposit=shop.deposit,
    )


def decision_row(context: Context, shop_id: int) -> list[tuple[str, str]]:
    return [
        (label(context, "admin.btn.approve"), Route.ADMIN_APPROVE.with_id(shop_id)),
        (label(context, "admin.btn.reject"), Route.ADMIN_REJECT.with_id(shop_id)),
    ]


def after_decision_markup(context: Context) -> InlineKeyboardMarkup | None:
    next_one = (label(context, "admin.btn.next_application"), Route.ADMIN_APPLICATIONS.data(0))
    return keyboard([[next_one], back_to_menu(context)])


def queue_markup(context: Context, page: ApplicationPage) -> InlineKeyboardMarkup | None:
    rows = []
    if page.application is not None:
        shop = page.application.shop
        rows.append(decision_row(context, shop.id))
        if shop.documents:
            documents = label(context, "admin.btn.documents", count=len(shop.documents))
            rows.append([(documents, Route.ADMIN_DOCUMENTS.with_id(shop.id))])
    rows.append(admin_pager(page.page, Route.ADMIN_APPLICATIONS))
    rows.append(back_to_menu(context))
    return keyboard(rows)


@on_button(Route.ADMIN_APPLICATIONS)
async def on_queue(update: Update, context: Context, press: Press) -> None:
    """One waiting application."""
    page = await application_queue(services(context), actor=as_admin(update), offset=press.number() or 0)
    if page.application is None:
        body = text(context, "admin.app.queue_empty")
    else:
        position = text(context, "admin.app.position", number=page.page.number, total=page.page.total)
        body = f"{position}\n{application_text(context, page.application)}"
    await show(update, context, body, queue_markup(context, page))


@on_button(Route.ADMIN_DOCUMENTS)
async def on_documents(update: Update, context: Context, press: Press) -> None:
    """The application's documents sent again (as an album when there are several)."""
    application = await pressed_application(update, context, press)
    await send_documents(update, context, application.shop)


async def send_documents(update: Update, context: Context, shop: Shop) -> None:
    chat = update.effective_chat
    files = list(shop.documents)
    if chat is None or not files:
        return
    caption = label(context, "admin.app.documents_caption", shop_id=shop.id, name=shop.name)
    for batch in albums(files):
        try:
            await send_album(context, chat.id, batch, caption)
        except BadRequest as error:
            # A PDF, or a file id Telegram no longer knows: send them one by one as documents instead.
            log.info("documents of shop %s not sendable as photos: %s", shop.id, error.message)
            await _send_one_by_one(update, context, shop, batch, caption)


async def _send_one_by_one(update: Update, context: Context, shop: Shop, files: Sequence[str], caption: str) -> None:
    chat = update.effective_chat
    assert chat is not None
    missing = 0
    for file_id in files:
        try:
            await context.bot.send_document(chat.id, file_id, caption=caption)
        except BadRequest:
            missing += 1
    if missing:
        await send(update, context, text(context, "admin.app.documents_missing", count=missing, shop_id=shop.id))


@on_button(Route.ADMIN_APPROVE)
async def on_approve(update: Update, context: Context, press: Press) -> None:
    """Ask to confirm the approval (or say who decided it already)."""
    application = await pressed_application(update, context, press)
    if await decided_already(update, context, application):
        return
    shop = application.shop
    body = text(
        context,
        "admin.app.approve_confirm",
        shop_id=shop.id,
        name=shop.name,
        shop_type=Markup(text(context, f"admin.shop_type.{shop.shop_type.value}")),
        applicant=Markup(applicant_text(context, application)),
        deposit=shop.deposit,
    )
    rows = [
        [(label(context, "admin.btn.approve_confirmed"), Route.ADMIN_APPROVE_CONFIRMED.with_id(shop.id))],
        [(label(context, "admin.btn.back"), Route.ADMIN_APPLICATIONS.data(0))],
    ]
    await show(update, context, body, keyboard(rows))


@on_button(Route.ADMIN_APPROVE_CONFIRMED)
async def on_approve_confirmed(update: Update, context: Context, press: Press) -> None:
    try:
        shop = await approve_shop(services(context), actor=as_admin(update), shop_id=press.id())
    except DomainError as error:
        await refuse_decision(update, context, error)
        return
    await acknowledge(update, label(context, "admin.app.approved_toast"))
    body = text(
        context, "admin.app.approved", shop_id=shop.id, name=shop.name, deposit=shop.deposit, deadline=shop.deadline_at
    )
    await show(update, context, body, after_decision_markup(context))


@on_button(Route.ADMIN_REJECT)
async def on_reject(update: Update, context: Context, press: Press) -> None:
    """Pick a reason (or type one)."""
    application = await pressed_application(update, context, press)
    if await decided_already(update, context, application):
        return
    shop_id = application.shop.id
    back = (label(context, "admin.btn.back"), Route.ADMIN_APPLICATIONS.data(0))
    markup = reasons_markup(context, shop_id, REJECT_REASONS, Route.ADMIN_REJECT_PRESET, Route.ADMIN_REJECT_TYPED, back)
    body = text(context, "admin.app.reject_pick", shop_id=shop_id, name=application.shop.name)
    await show(update, context, body, markup)


@on_button(Route.ADMIN_REJECT_PRESET)
async def on_reject_preset(update: Update, context: Context, press: Press) -> None:
    reason = preset_reason(REJECT_REASONS, press.arg(1))
    if reason is None:
        return
    try:
        shop = await reject_shop(services(context), actor=as_admin(update), shop_id=press.id(), reason=reason)
    except DomainError as error:
        await refuse_decision(update, context, error)
        return
    await acknowledge(update, label(context, "admin.app.rejected_toast"))
    await show(update, context, rejected_text(context, shop), after_decision_markup(context))


@on_button(Route.ADMIN_REJECT_TYPED)
async def on_reject_other(update: Update, context: Context, press: Press) -> None:
    """The next text the admin sends is the reason."""
    application = await pressed_application(update, context, press)
    shop_id = application.shop.id
    await start_flow(update, context, REJECT_FLOW, REASON, {"shop": shop_id})
    await send(update, context, text(context, "admin.app.reject_ask", shop_id=shop_id, name=application.shop.name))


async def step_reason(step: Step) -> str:
    """The typed reason: reject with it."""
    shop_id = int(step.data["shop"])
    try:
        shop = await reject_shop(
            services(step.context), actor=Actor.admin(user_id(step.update)), shop_id=shop_id, reason=step.text
        )
    except DomainError as error:
        if error.code is not ErrorCode.ALREADY_DONE:
            raise  # a reason that is empty or too long: say so and ask again
        await send(
            step.update, step.context, already_decided_text(step.context, error), after_decision_markup(step.context)
        )
        return DONE
    await send(step.update, step.context, rejected_text(step.context, shop), after_decision_markup(step.context))
    return DONE


def rejected_text(context: Context, shop: Shop) -> str:
    return text(context, "admin.app.rejected", shop_id=shop.id, name=shop.name, reason=shop.reject_reason)


def already_decided_text(context: Context, error: DomainError) -> str:
    params = error.params
    if params.get("mine"):
        return mine_text(context, str(params.get("status", "")))
    status = str(params.get("status", ""))
    now = shop_status_label(context, status) if status in ShopStatus._value2member_map_ else "—"
    return text(
        context,
        "admin.app.already_decided",
        shop_id=params.get("shop_id", "?"),
        name=params.get("name", ""),
        decider=params.get("decider", "—"),
        status=now,
    )


def mine_text(context: Context, status: str) -> str:
    """ "You already approved this." / "… rejected …" (or, if it moved on since, what it is now)."""
    key = {ShopStatus.REJECTED.value: "admin.app.mine_rejected"}.get(status, "admin.app.mine_approved")
    return text(context, key)


async def decided_already(update: Update, context: Context, application: Application) -> bool:
    """A press on an application decided already: say who decided it (the presser themselves, or who) in an alert
    and on the message, which loses its decision buttons."""
    shop = application.shop
    if shop.status is ShopStatus.PENDING_REVIEW:
        return False
    error = DomainError(
        ErrorCode.ALREADY_DONE,
        shop_id=shop.id,
        name=shop.name,
        status=shop.status.value,
        decider=application.decider or "—",
        mine=shop.decided_by is not None and shop.decided_by == user_id(update),
    )
    await refuse_decision(update, context, error)
    return True


async def refuse_decision(update: Update, context: Context, error: DomainError) -> None:
    """Decided already (by another admin, or by this one before): say so in the alert and on the message; anything
    else is the usual refusal."""
    if error.code is not ErrorCode.ALREADY_DONE:
        raise error
    body = already_decided_text(context, error)
    if error.params.get("mine"):
        toast = mine_text(context, str(error.params.get("status", "")))
    else:
        toast = label(context, "admin.app.already_decided_toast", decider=error.params.get("decider", "—"))
    await acknowledge(update, toast, alert=True)
    await show(update, context, body, after_decision_markup(context))


register_flow(Flow(name=REJECT_FLOW, steps={REASON: step_reason}, cancel_key="admin.app.reject_cancelled"))


def register(app: PtbApplication) -> None:
    add_buttons(
        app, on_queue, on_documents, on_approve, on_approve_confirmed, on_reject, on_reject_preset, on_reject_other
    )
