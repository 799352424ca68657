"""Saved delivery addresses: /addresses lists them, the default first (edit, make default, delete with
confirmation, add new), and the typed steps of an address (name → phone → address → read-back), which checkout
and group buys reuse with their own ending.

Every typed address is read back before it is saved, with its delivery region (for shipping fees) guessed from the
text: ✅ saves both (and the flow goes on: to checkout's review, say), ✏️ starts the three questions again, 🗺 picks
the region with buttons (China's provinces a page at a time, and Other), and typing while the read-back waits
replaces the address line, so a buyer who types their address once more is understood.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from domain.regions import OTHER, REGIONS, region_name, region_of
from domain.routes import Press, Route
from domain.usecases import addresses as addresses_uc
from domain.usecases.catalog import Page
from domain.usecases.conversations import FlowState
from domain.users import Address
from domain.validation import parse_phone
from handlers.buyer.formatting import clip, join
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_buyer, lang, services
from handlers.common.flows import (
    DONE,
    STAY,
    Flow,
    Step,
    StepFn,
    active_flow,
    advance_flow,
    register_flow,
    start_flow,
)
from handlers.common.pages import pager
from handlers.common.reply import ButtonSpec, acknowledge, keyboard, label, send, show, text
from i18n import Markup, t

FLOW = "b1.address"
NAME, PHONE, TEXT, CONFIRM = "addr_name", "addr_phone", "addr_text", "addr_confirm"
EDITING = "edit_id"  # in a flow's data: the saved address being typed again
REGION = "region"  # in a flow's data: the delivery region picked with the buttons
REGIONS_PER_PAGE = 12
PROVINCES = [code for code in REGIONS if code != OTHER]

OnSaved = Callable[[Step, Address], Awaitable[str]]
# flow name -> what happens once its typed address is confirmed and saved
_ON_SAVED: dict[str, OnSaved] = {}


def address_text(language: str, address: Address, number: int | None = None, *, default: bool = False) -> str:
    if number is None:
        return t(language, "buyer.address.one", name=address.name, phone=address.phone, text=address.text)
    item = t(language, "buyer.address.item", n=number, name=address.name, phone=address.phone, text=address.text)
    return item + t(language, "buyer.address.default_mark") if default else item


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


def address_steps(flow: str, on_saved: OnSaved) -> dict[str, StepFn]:
    """The typed steps of an address in ``flow``; ``on_saved`` decides where the conversation goes once the
    buyer confirmed the read-back and the address is saved."""
    _ON_SAVED[flow] = on_saved

    async def name_step(step: Step) -> str:
        """Who receives the parcel (two characters at least)."""
        step.data["name"] = addresses_uc.clean_name(step.text)
        await step.say("buyer.address.ask_phone")
        return PHONE

    async def phone_step(step: Step) -> str:
        """A phone number the courier can call, kept in international form."""
        step.data["phone"] = parse_phone(step.text)
        await step.say("buyer.address.ask_text")
        return TEXT

    async def text_step(step: Step) -> str:
        """The address itself (ten characters at least), read back before anything is saved."""
        await _read_back(step, addresses_uc.clean_address_text(step.text))
        return CONFIRM

    async def confirm_step(step: Step) -> str:
        """Text while the read-back waits: the address line typed again replaces the one read back."""
        await _read_back(step, addresses_uc.clean_address_text(step.text))
        return STAY

    return {NAME: name_step, PHONE: phone_step, TEXT: text_step, CONFIRM: confirm_step}


async def _read_back(step: Step, address_line: str) -> None:
    step.data["text"] = address_line
    await _show_read_back(step.update, step.context, step.data, fresh=True)


def _region(data: dict[str, Any]) -> str:
    """The delivery region of the address being typed: the one picked with the buttons, else the text's guess."""
    return str(data.get(REGION) or region_of(str(data.get("text", ""))))


async def _show_read_back(update: Update, context: Context, data: dict[str, Any], *, fresh: bool) -> None:
    """The address and its delivery region read back: ✅ saves both (the region guessed from the text, unless one
    was picked), ✏️ types it again, 🗺 picks the region with buttons."""
    line = str(data.get("text", ""))
    parts = addresses_uc.check_address(str(data.get("name", "")), str(data.get("phone", "")), line)
    rows = [
        [
            (label(context, "buyer.address.btn_confirm"), Route.ADDRESS_CONFIRM.data()),
            (label(context, "buyer.address.btn_retype"), Route.ADDRESS_RETYPE.data()),
        ],
        [(label(context, "buyer.address.btn_region"), Route.ADDRESS_REGIONS.data(0))],
    ]
    body = text(
        context,
        "buyer.address.read_back",
        address=Markup(t(lang(context), "buyer.address.one", name=parts.name, phone=parts.phone, text=parts.text)),
    )
    body += "\n" + text(context, "buyer.address.region", region=region_name(_region(data), lang(context)))
    await (send if fresh else show)(update, context, body, keyboard(rows))


@on_button(Route.ADDRESS_REGIONS)
async def on_regions(update: Update, context: Context, press: Press) -> None:
    """🗺 The regions, a page of provinces at a time, with Other on every page; the current one marked."""
    found = await _waiting(update, context)
    if found is None:
        return
    offset = max(press.number(0) or 0, 0)
    current = _region(found[0].data)
    page = Page(offset - offset % REGIONS_PER_PAGE, REGIONS_PER_PAGE, len(PROVINCES))
    shown = [*PROVINCES[page.offset : page.offset + REGIONS_PER_PAGE], OTHER]
    names = [("✅ " if code == current else "") + region_name(code, lang(context)) for code in shown]
    buttons = [(name, Route.ADDRESS_REGION.data(code)) for name, code in zip(names, shown, strict=True)]
    rows: list[list[ButtonSpec]] = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    rows.append(pager(page, Route.ADDRESS_REGIONS, counter=Route.BUYER_PAGE_COUNTER))
    await show(update, context, text(context, "buyer.address.pick_region"), keyboard(rows))


@on_button(Route.ADDRESS_REGION)
async def on_region(update: Update, context: Context, press: Press) -> None:
    """A region picked: the read-back again, with it (a code that is not a region changes nothing)."""
    found = await _waiting(update, context)
    if found is None:
        return
    state = found[0]
    if press.arg(0) in REGIONS:
        state.data[REGION] = press.arg(0)
        await advance_flow(update, context, state, CONFIRM)  # kept with the flow, still at the read-back
    await _show_read_back(update, context, state.data, fresh=False)


async def _typed_address(update: Update, context: Context) -> tuple[FlowState, OnSaved] | None:
    """The flow whose read-back a ✅ / ✏️ press answers (None: that read-back is no longer waiting)."""
    state = await active_flow(update, context)
    if state is None or state.step != CONFIRM or state.flow not in _ON_SAVED:
        return None
    return state, _ON_SAVED[state.flow]


async def _waiting(update: Update, context: Context) -> tuple[FlowState, OnSaved] | None:
    """``_typed_address`` for a press on the read-back; when it is not waiting any more (answered already, a double
    tap, or long gone) the press is answered as stale and the message it is on stays as it is."""
    found = await _typed_address(update, context)
    if found is None:
        await acknowledge(update, label(context, "buyer.stale"))
    return found


@on_button(Route.ADDRESS_CONFIRM)
async def on_confirm(update: Update, context: Context, press: Press) -> None:
    """✅ The read-back is right: save the address (a new one, or the one being edited) and go on."""
    found = await _waiting(update, context)
    if found is None:
        return
    state, on_saved = found
    svc, actor, data = services(context), as_buyer(update), state.data
    parts = {"name": str(data.get("name", "")), "phone": str(data.get("phone", "")), "text": str(data.get("text", ""))}
    region = _region(data)
    if data.get(EDITING):
        address = await addresses_uc.edit_address(
            svc, actor=actor, address_id=int(data[EDITING]), region=region, **parts
        )
    else:
        address = await addresses_uc.add_address(svc, actor=actor, region=region, **parts)
    await advance_flow(update, context, state, await on_saved(Step(update, context, state), address))


@on_button(Route.ADDRESS_RETYPE, answer_first=True)
async def on_retype(update: Update, context: Context, press: Press) -> None:
    """✏️ The read-back is wrong: the three questions again (nothing was saved)."""
    found = await _waiting(update, context)
    if found is None:
        return
    await ask_new_address(update, context, found[0])


async def ask_new_address(update: Update, context: Context, state: FlowState) -> None:
    """Start typing a new address in the flow ``state`` (this module's own, checkout's, a group buy's)."""
    await advance_flow(update, context, state, NAME)
    await send(update, context, text(context, "buyer.address.ask_name"))


def list_view(
    context: Context, found: Sequence[Address], default_id: int | None
) -> tuple[str, InlineKeyboardMarkup | None]:
    language = lang(context)
    rows: list[list[ButtonSpec]] = []
    if found:
        body = join(
            [text(context, "buyer.address.list_title")]
            + [
                address_text(language, address, n, default=address.id == default_id)
                for n, address in enumerate(found, start=1)
            ]
        )
        for n, address in enumerate(found, start=1):
            row: list[ButtonSpec] = [
                (label(context, "buyer.address.edit", n=n), Route.ADDRESS_EDIT.with_id(address.id))
            ]
            if address.id != default_id:
                row.append(
                    (label(context, "buyer.address.make_default", n=n), Route.ADDRESS_DEFAULT.with_id(address.id))
                )
            row.append((label(context, "buyer.address.delete", n=n), Route.ADDRESS_DELETE.with_id(address.id)))
            rows.append(row)
    else:
        body = text(context, "buyer.address.none")
    rows.append([(label(context, "buyer.address.add"), Route.ADDRESS_ADD.data())])
    return body, keyboard(rows)


async def _list(update: Update, context: Context) -> tuple[str, InlineKeyboardMarkup | None]:
    svc, actor = services(context), as_buyer(update)
    found = await addresses_uc.list_addresses(svc, actor=actor)
    return list_view(context, found, await addresses_uc.default_address_id(svc, actor=actor))


async def addresses_command(update: Update, context: Context) -> None:
    await show(update, context, *await _list(update, context))


@on_button(Route.ADDRESS_ADD, answer_first=True)
async def on_add(update: Update, context: Context, press: Press) -> None:
    await ask_new_address(update, context, FlowState(FLOW, NAME, {}))


@on_button(Route.ADDRESS_EDIT, answer_first=True)
async def on_edit(update: Update, context: Context, press: Press) -> None:
    """✏️ Type a saved address again; it is read back and replaced once confirmed."""
    address = await addresses_uc.get_address(services(context), actor=as_buyer(update), address_id=press.id())
    await start_flow(update, context, FLOW, NAME, {EDITING: address.id})
    body = text(context, "buyer.address.editing", address=Markup(address_text(lang(context), address)))
    await send(update, context, join([body, text(context, "buyer.address.ask_name")]))


@on_button(Route.ADDRESS_DEFAULT)
async def on_default(update: Update, context: Context, press: Press) -> None:
    """⭐ Offer this address first from now on (pressing it twice changes nothing more)."""
    await addresses_uc.set_default_address(services(context), actor=as_buyer(update), address_id=press.id())
    await show(update, context, *await _list(update, context))


@on_button(Route.ADDRESS_DELETE)
async def on_delete(update: Update, context: Context, press: Press) -> None:
    """🗑 asks first; the confirmation deletes."""
    svc, actor, address_id = services(context), as_buyer(update), press.id()
    if press.arg(1) == "y":
        await addresses_uc.delete_address(svc, actor=actor, address_id=address_id)
        await show(update, context, *await _list(update, context))
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
    key = "buyer.address.edited" if step.data.get(EDITING) else "buyer.address.saved"
    await show(
        step.update, step.context, text(step.context, key, address=Markup(address_text(lang(step.context), address)))
    )
    await send(step.update, step.context, *await _list(step.update, step.context))
    return DONE


def register(app: Application) -> None:
    register_flow(Flow(FLOW, address_steps(FLOW, _saved), restart_step=NAME))
    app.add_handler(CommandHandler("addresses", addresses_command))
    add_buttons(app, on_add, on_edit, on_default, on_delete, on_list, on_confirm, on_retype, on_regions, on_region)
