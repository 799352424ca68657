"""/open_shop: the guided shop application (申请开店), kept in the database so it survives a restart.

name → business scope → shop type (buttons) → contact phone → licence and ID photos (1-5, "Done") →
merchant agreement (Accept) → review (Submit / Edit / Cancel) → ``apply_for_shop``.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from domain.errors import DomainError, ErrorCode
from domain.routes import Press, Route
from domain.shops import LIVE_SHOP_STATUSES, ShopStatus, ShopType
from domain.usecases.merchant_views import latest_shop
from domain.usecases.shops import MAX_NAME, MAX_SCOPE, apply_for_shop
from domain.validation import clean_text, parse_phone
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_merchant, services
from handlers.common.flows import DONE, STAY, Flow, Step, active_flow, advance_flow, register_flow, start_flow
from handlers.common.form_steps import ask_again
from handlers.common.reply import keyboard, send, show, text
from handlers.merchant._common import message_file_id, shop_status_label, shop_type_label
from handlers.merchant.deposit import pay_deposit_row

FORM = Route.MERCHANT_APPLICATION  # each button of the form carries what it does (and its choice) as arguments

FLOW = "open_shop"
NAME, SCOPE, TYPE, PHONE, DOCS, AGREEMENT, REVIEW = "name", "scope", "type", "phone", "docs", "agreement", "review"
MAX_DOCS = 5
EDITABLE = (NAME, SCOPE, TYPE, PHONE, DOCS)
SHOP_TYPES = frozenset(kind.value for kind in ShopType)
# What merchants may type instead of pressing a shop-type button.
TYPE_WORDS = {
    "individual": ShopType.INDIVIDUAL,
    "个人": ShopType.INDIVIDUAL,
    "enterprise": ShopType.ENTERPRISE,
    "企业": ShopType.ENTERPRISE,
    "flagship": ShopType.FLAGSHIP,
    "旗舰": ShopType.FLAGSHIP,
    "旗舰店": ShopType.FLAGSHIP,
}


# --- questions -------------------------------------------------------------------------------------------


async def ask(update: Update, context: Context, step: str, data: dict[str, Any]) -> None:
    """Send the question of ``step`` with its buttons."""
    cancel = (text(context, "merchant.btn.cancel"), FORM.data("cnl"))
    if step == TYPE:
        policy = services(context).policy
        rows = [
            [(f"{shop_type_label(context, kind)} · {policy.deposit_for(kind)}", FORM.data("typ", kind.value))]
            for kind in ShopType
        ]
        await send(update, context, text(context, "merchant.apply.ask_type"), keyboard([*rows, [cancel]]))
    elif step == DOCS:
        have = len(data.get("docs", []))
        done = [(text(context, "merchant.btn.docs_done", count=have), FORM.data("docs"))] if have else []
        key = "merchant.apply.ask_docs" if not have else "merchant.apply.doc_received"
        await send(update, context, text(context, key, count=have, max=MAX_DOCS), keyboard([done, [cancel]]))
    elif step == AGREEMENT:
        accept = (text(context, "merchant.btn.accept_agreement"), FORM.data("agr"))
        await send(update, context, text(context, "merchant.apply.agreement"), keyboard([[accept], [cancel]]))
    elif step == REVIEW:
        await send(update, context, summary(context, data), review_keyboard(context))
    else:
        await send(update, context, text(context, f"merchant.apply.ask_{step}"), keyboard([[cancel]]))


def summary(context: Context, data: dict[str, Any]) -> str:
    kind = ShopType(data[TYPE])
    return text(
        context,
        "merchant.apply.summary",
        name=data[NAME],
        scope=data[SCOPE],
        shop_type=shop_type_label(context, kind),
        phone=data[PHONE],
        documents=len(data["docs"]),
        deposit=services(context).policy.deposit_for(kind),
    )


def review_keyboard(context: Context) -> Any:
    return keyboard(
        [
            [(text(context, "merchant.btn.submit"), FORM.data("sub"))],
            [
                (text(context, "merchant.btn.edit"), FORM.data("edt")),
                (text(context, "merchant.btn.cancel"), FORM.data("cnl")),
            ],
        ]
    )


async def move_on(update: Update, context: Context, data: dict[str, Any], natural_next: str) -> str:
    """Ask the next question: the review when the merchant was correcting one answer, else the next step's."""
    target = REVIEW if data.pop("editing", False) else natural_next
    await ask(update, context, target, data)
    return target


async def next_question(step: Step, natural_next: str) -> str:
    return await move_on(step.update, step.context, step.data, natural_next)


# --- steps (typed answers) -------------------------------------------------------------------------------


async def step_name(step: Step) -> str:
    """The shop's name."""
    step.data[NAME] = clean_text(step.text, MAX_NAME, "name")
    return await next_question(step, SCOPE)


async def step_scope(step: Step) -> str:
    """What the shop sells (经营范围)."""
    step.data[SCOPE] = clean_text(step.text, MAX_SCOPE, "business_scope")
    return await next_question(step, TYPE)


async def step_type(step: Step) -> str:
    """Shop type: buttons, or the type's name typed."""
    kind = TYPE_WORDS.get(step.text.strip().lower())
    if kind is None:
        await ask(step.update, step.context, TYPE, step.data)
        return STAY
    step.data[TYPE] = kind.value
    return await next_question(step, PHONE)


async def step_phone(step: Step) -> str:
    """A phone number admins and buyers' disputes can reach."""
    step.data[PHONE] = parse_phone(step.text)
    return await next_question(step, DOCS)


async def step_docs(step: Step) -> str:
    """Business licence and ID photos, one message each, up to MAX_DOCS; "Done" when finished."""
    file_id = message_file_id(step.update)
    docs: list[str] = list(step.data.get("docs", []))
    if file_id is None:
        if not docs:
            raise DomainError(ErrorCode.DOCUMENTS_REQUIRED, min=1)
        await ask(step.update, step.context, DOCS, step.data)
        return STAY
    if len(docs) >= MAX_DOCS:
        raise DomainError(ErrorCode.TOO_MANY_PHOTOS, max=MAX_DOCS)
    docs.append(file_id)
    step.data["docs"] = docs  # a new list, so the flow sees that its data changed and saves it
    if len(docs) == MAX_DOCS:
        await step.say("merchant.apply.docs_full", max=MAX_DOCS)
        return await next_question(step, AGREEMENT)
    await ask(step.update, step.context, DOCS, step.data)
    return STAY


# Agreement and review are answered with buttons; typing shows them again.
step_press_a_button = ask_again(ask)

register_flow(
    Flow(
        name=FLOW,
        steps={
            NAME: step_name,
            SCOPE: step_scope,
            TYPE: step_type,
            PHONE: step_phone,
            DOCS: step_docs,
            AGREEMENT: step_press_a_button,
            REVIEW: step_press_a_button,
        },
        restart_step=NAME,
        cancel_key="merchant.apply.cancelled",
    )
)


# --- entry and buttons -----------------------------------------------------------------------------------


async def open_shop(update: Update, context: Context) -> None:
    """/open_shop: resume an application in progress, explain a live shop, or start a new application."""
    state = await active_flow(update, context, FLOW)
    if state is not None:
        await send(update, context, text(context, "merchant.apply.resume"))
        await ask(update, context, state.step, state.data)
        return
    shop = await latest_shop(services(context), actor=as_merchant(update))
    if shop is not None and shop.status in LIVE_SHOP_STATUSES:
        await send_shop_exists(update, context, shop.status, shop.name, shop.id)
        return
    if shop is not None and shop.status is ShopStatus.REJECTED:
        await send(update, context, text(context, "merchant.apply.reapply_rejected", reason=shop.reject_reason))
    elif shop is not None and shop.status is ShopStatus.EXPIRED:
        await send(update, context, text(context, "merchant.apply.reapply_expired"))
    await send(update, context, text(context, "merchant.apply.intro"))
    await start_flow(update, context, FLOW, NAME, {"docs": []})
    await ask(update, context, NAME, {})


async def send_shop_exists(update: Update, context: Context, status: ShopStatus, name: str, shop_id: int) -> None:
    markup = None
    if status is ShopStatus.AWAITING_DEPOSIT:
        markup = keyboard([pay_deposit_row(context, shop_id)])
    await send(
        update,
        context,
        text(context, "merchant.apply.already", name=name, status=shop_status_label(context, status)),
        markup,
    )


@on_button(FORM)
async def on_form_button(update: Update, context: Context, press: Press) -> None:
    """Shop type, docs done, accept agreement, submit, edit, cancel."""
    state = await active_flow(update, context, FLOW)
    if not press.args:
        return
    what, choice = press.arg(0), press.arg(1)
    if state is None:
        await show(update, context, text(context, "merchant.apply.not_open"))
        return
    try:
        if what == "cnl":
            await advance_flow(update, context, state, DONE)
            await show(update, context, text(context, "merchant.apply.cancelled"))
        elif what == "typ" and state.step == TYPE and choice in SHOP_TYPES:
            state.data[TYPE] = choice
            chosen = text(context, "merchant.apply.type_chosen", shop_type=shop_type_label(context, choice))
            await show(update, context, chosen)
            await advance_flow(update, context, state, await move_on(update, context, state.data, PHONE))
        elif what == "docs" and state.step == DOCS and state.data.get("docs"):
            await advance_flow(update, context, state, await move_on(update, context, state.data, AGREEMENT))
        elif what == "agr" and state.step == AGREEMENT:
            state.data["agreed"] = True
            await advance_flow(update, context, state, REVIEW)
            await ask(update, context, REVIEW, state.data)
        elif what == "edt" and state.step == REVIEW:
            rows = [[(text(context, f"merchant.apply.field_{field}"), FORM.data("ed", field))] for field in EDITABLE]
            back = [(text(context, "merchant.btn.back"), FORM.data("rv"))]
            await show(update, context, text(context, "merchant.apply.edit_which"), keyboard([*rows, back]))
        elif what == "rv" and state.step == REVIEW:
            await show(update, context, summary(context, state.data), review_keyboard(context))
        elif what == "ed" and state.step == REVIEW and choice in EDITABLE:
            field = choice
            state.data["editing"] = True
            if field == DOCS:
                state.data["docs"] = []
            await advance_flow(update, context, state, field)
            await ask(update, context, field, state.data)
        elif what == "sub" and state.step == REVIEW:
            await submit(update, context, state.data)
            await advance_flow(update, context, state, DONE)
        else:
            # An old button of a step already answered: show where the application actually is.
            await ask(update, context, state.step, state.data)
    except DomainError as error:
        if error.code is ErrorCode.SHOP_ALREADY_EXISTS:
            await advance_flow(update, context, state, DONE)
        raise


async def submit(update: Update, context: Context, data: dict[str, Any]) -> None:
    shop = await apply_for_shop(
        services(context),
        actor=as_merchant(update),
        name=data[NAME],
        business_scope=data[SCOPE],
        shop_type=ShopType(data[TYPE]),
        contact_phone=data[PHONE],
        documents=list(data["docs"]),
        agreement_accepted=bool(data.get("agreed")),
    )
    await show(update, context, text(context, "merchant.apply.submitted", name=shop.name, shop_id=shop.id))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("open_shop", open_shop))
    add_buttons(app, on_form_button)
