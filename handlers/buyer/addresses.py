"""Saved delivery addresses: /addresses lists them (delete with confirmation, add new), and the three typed
steps of a new address (name → phone → address), which checkout reuses with its own ending.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from domain.routes import Press, Route
from domain.usecases import addresses as addresses_uc
from domain.usecases.conversations import FlowState
from domain.users import Address
from domain.validation import parse_phone
from handlers.buyer.formatting import clip, join
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_buyer, lang, services
from handlers.common.flows import DONE, Flow, Step, StepFn, advance_flow, register_flow
from handlers.common.reply import ButtonSpec, keyboard, label, send, show, text
from i18n import Markup, t

FLOW = "b1.address"
NAME, PHONE, TEXT = "addr_name", "addr_phone", "addr_text"

OnSaved = Callable[[Step, Address], Awaitable[str]]


def address_text(language: str, address: Address, number: int | None = None) -> str:
    if number is None:
        return t(language, "buyer.address.one", name=address.name, phone=address.phone, text=address.text)
    return t(language, "buyer.address.item", n=number, name=address.name, phone=address.phone, text=address.text)


def address_button_label(address: Address) -> str:
    """Plain text for a button: who and where, short."""
    return clip(f"📍 {address.name} · {address.text}", 40)


def address_choice(
    context: Context, saved: Sequence[Address], choose: Route, more: Sequence[tuple[str, Route]]
) -> InlineKeyboardMarkup | None:
    """A button per saved address (``choose`` with its id), then one per (label key, route) of ``more``."""
    rows = [[(address_button_label(address), choose.with_id(address.id))] for address in saved]
    rows += [[(label(context, key), route.data())] for key, route in more]
    return keyboard(rows)


def address_steps(on_saved: OnSaved) -> dict[str, StepFn]:
    """The typed steps of a new address; ``on_saved`` decides where the conversation goes afterwards."""

    async def name_step(step: Step) -> str:
        """Who receives the parcel."""
        step.data["name"] = addresses_uc.clean_name(step.text)
        await step.say("buyer.address.ask_phone")
        return PHONE

    async def phone_step(step: Step) -> str:
        """A phone number the courier can call."""
        step.data["phone"] = parse_phone(step.text)
        await step.say("buyer.address.ask_text")
        return TEXT

    async def text_step(step: Step) -> str:
        """The address itself; saved once all three parts are valid."""
        address = await addresses_uc.add_address(
            services(step.context),
            actor=as_buyer(step.update),
            name=str(step.data.get("name", "")),
            phone=str(step.data.get("phone", "")),
            text=step.text,
        )
        return await on_saved(step, address)

    return {NAME: name_step, PHONE: phone_step, TEXT: text_step}


async def ask_new_address(update: Update, context: Context, state: FlowState) -> None:
    """Start typing a new address in the flow ``state`` (this module's own, checkout's, a group buy's)."""
    await advance_flow(update, context, state, NAME)
    await send(update, context, text(context, "buyer.address.ask_name"))


def list_view(context: Context, found: Sequence[Address]) -> tuple[str, InlineKeyboardMarkup | None]:
    language = lang(context)
    rows: list[list[ButtonSpec]] = []
    if found:
        body = join(
            [text(context, "buyer.address.list_title")]
            + [address_text(language, address, n) for n, address in enumerate(found, start=1)]
        )
        rows += [
            [(label(context, "buyer.address.delete", n=n), Route.ADDRESS_DELETE.with_id(address.id))]
            for n, address in enumerate(found, start=1)
        ]
    else:
        body = text(context, "buyer.address.none")
    rows.append([(label(context, "buyer.address.add"), Route.ADDRESS_ADD.data())])
    return body, keyboard(rows)


async def addresses_command(update: Update, context: Context) -> None:
    found = await addresses_uc.list_addresses(services(context), actor=as_buyer(update))
    await show(update, context, *list_view(context, found))


@on_button(Route.ADDRESS_ADD, answer_first=True)
async def on_add(update: Update, context: Context, press: Press) -> None:
    await ask_new_address(update, context, FlowState(FLOW, NAME, {}))


@on_button(Route.ADDRESS_DELETE)
async def on_delete(update: Update, context: Context, press: Press) -> None:
    """🗑 asks first; the confirmation deletes."""
    svc, actor, address_id = services(context), as_buyer(update), press.id()
    if press.arg(1) == "y":
        remaining = await addresses_uc.delete_address(svc, actor=actor, address_id=address_id)
        await show(update, context, *list_view(context, remaining))
        return
    address = await addresses_uc.get_address(svc, actor=actor, address_id=address_id)
    rows = [
        [
            (label(context, "buyer.address.delete_yes"), Route.ADDRESS_DELETE.data(address_id, "y")),
            (label(context, "buyer.address.delete_no"), Route.ADDRESS_LIST.data()),
        ]
    ]
    body = text(context, "buyer.address.delete_confirm", address=Markup(address_text(lang(context), address)))
    await show(update, context, body, keyboard(rows))


@on_button(Route.ADDRESS_LIST, answer_first=True)
async def on_list(update: Update, context: Context, press: Press) -> None:
    await addresses_command(update, context)


async def _saved(step: Step, address: Address) -> str:
    await step.say("buyer.address.saved", address=Markup(address_text(lang(step.context), address)))
    found = await addresses_uc.list_addresses(services(step.context), actor=as_buyer(step.update))
    body, markup = list_view(step.context, found)
    await send(step.update, step.context, body, markup)
    return DONE


def register(app: Application) -> None:
    register_flow(Flow(FLOW, address_steps(_saved), restart_step=NAME))
    app.add_handler(CommandHandler("addresses", addresses_command))
    add_buttons(app, on_add, on_delete, on_list)
