"""/start (with ``p<id>`` and ``g<id>`` deep links), /help, /language and the buyer's main menu.

The main menu is a reply keyboard; its labels exist in both languages and each is registered as a text action,
so pressing one works whatever language the keyboard was drawn in. /start and /help show a section for each role
the user holds (buyer, merchant, admin: ``roles_for_help``). A deep link opens what it points at; a user who was
never welcomed is first greeted with the welcome and the menu keyboard, as /start would.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging

from telegram import KeyboardButton, ReplyKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from domain.routes import Press, Route
from domain.staff import invite_token
from domain.usecases.menus import menu_roles
from domain.usecases.users import choose_language, roles_for_help, welcome_once
from domain.users import Language, Role
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import LANG_KEY, Context, lang, services, user_id
from handlers.common.flows import register_text_action
from handlers.common.reply import acknowledge, keyboard, label, send, show, text
from i18n import LANGUAGES, t

log = logging.getLogger(__name__)

GROUP_VIEW_MODULE = "handlers.buyer.group_view"
STAFF_MODULE = "handlers.merchant.staff"

# (row of) message keys of the main menu's buttons
MENU_ROWS: tuple[tuple[str, ...], ...] = (
    ("buyer.menu.browse", "buyer.menu.search"),
    ("buyer.menu.cart", "buyer.menu.orders"),
    ("buyer.menu.addresses", "buyer.menu.help"),
    ("buyer.menu.language",),
)
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}


def main_menu(language: str) -> ReplyKeyboardMarkup:
    rows = [[KeyboardButton(t(language, key)) for key in row] for row in MENU_ROWS]
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, is_persistent=True)


def _deep_link_id(payload: str, prefix: str) -> int | None:
    rest = payload[len(prefix) :] if payload.startswith(prefix) else ""
    return int(rest) if rest.isascii() and rest.isdigit() and len(rest) < 19 else None


async def start(update: Update, context: Context) -> None:
    """Greet with the main menu and a section per role; a deep link goes straight to what it points at (after the
    welcome, for someone the bot never greeted)."""
    payload = (context.args or [""])[0] if context.args else ""
    product_id = _deep_link_id(payload, "p")
    group_id = _deep_link_id(payload, "g")
    first_time = await welcome_once(services(context), user_id=user_id(update))
    token = invite_token(payload)
    if token is not None:  # a staff invitation (子账号), handled by the merchant's staff screens
        if first_time:
            await _greet(update, context, "buyer.start.welcome", with_roles=False)
        await importlib.import_module(STAFF_MODULE).show_invite(update, context, token)
        return
    if product_id is None and group_id is None:
        key = "buyer.start.bad_link" if payload else "buyer.start.welcome"
        await _greet(update, context, key, with_roles=not payload)
        return
    if first_time:
        await _greet(update, context, "buyer.start.welcome", with_roles=False)
    if product_id is not None:
        from handlers.buyer.product import show_product

        await show_product(update, context, product_id)
        return
    await _open_group(update, context, group_id or 0)


async def _greet(update: Update, context: Context, key: str, *, with_roles: bool) -> None:
    """The welcome (or the dead link's hello) with the menu keyboard, and a line for each role beyond the buyer."""
    user = update.effective_user
    body = text(context, key, name=user.first_name if user else "")
    if with_roles:
        roles = await roles_for_help(services(context), user_id(update))
        body = "\n\n".join([body, *(text(context, f"start.{role}") for role in roles if role != Role.BUYER)])
    await send(update, context, body, main_menu(lang(context)))


async def _open_group(update: Update, context: Context, group_id: int) -> None:
    """Group buys are their own feature; without it the link still gets an answer."""
    if importlib.util.find_spec(GROUP_VIEW_MODULE) is None:
        await send(update, context, text(context, "buyer.start.bad_link"))
        return
    await importlib.import_module(GROUP_VIEW_MODULE).show_group(update, context, group_id)


# A section per role; a staff role's (``help.staff_orders`` …) lists the commands its menu has.
HELP_SECTIONS = {Role.BUYER: "buyer.help", Role.MERCHANT: "help.merchant", Role.ADMIN: "help.admin"}


async def help_command(update: Update, context: Context) -> None:
    """What the user can do, one section per role they hold (a buyer only sees the buyer's)."""
    roles = await roles_for_help(services(context), user_id(update))
    body = "\n\n".join(text(context, HELP_SECTIONS.get(role, f"help.{role}")) for role in roles)
    await send(update, context, body, main_menu(lang(context)))


async def language_command(update: Update, context: Context) -> None:
    rows = [
        [(LANGUAGE_NAMES[code], Route.LANGUAGE.data(code)) for code in LANGUAGES],
        [(label(context, "settings.zone.btn"), Route.TIME_ZONES.data())],
    ]
    await send(update, context, text(context, "buyer.language.choose"), keyboard(rows))


@on_button(Route.LANGUAGE)
async def language_chosen(update: Update, context: Context, press: Press) -> None:
    code = press.arg(0)
    if code not in LANGUAGES:
        await show(update, context, text(context, "buyer.stale"))
        return
    user = await choose_language(services(context), user_id=user_id(update), language=Language(code))
    await acknowledge(update)
    if context.user_data is not None:
        context.user_data[LANG_KEY] = user.language.value
    await show(update, context, t(code, "buyer.language.set", language=LANGUAGE_NAMES[code]))
    await send(update, context, t(code, "buyer.start.menu_ready"), main_menu(code))
    await _refresh_command_menu(update, context, code)


async def _refresh_command_menu(update: Update, context: Context, language: str) -> None:
    """The "/" menu follows the chosen language; failing to refresh it is not worth an error."""
    try:
        from handlers.shared.commands import refresh_menu

        await refresh_menu(context.bot, user_id(update), await menu_roles(services(context), user_id(update)), language)
    except Exception:  # a stale command menu is cosmetic
        log.warning("could not refresh the command menu of %s", user_id(update), exc_info=True)


def _menu_labels(key: str) -> set[str]:
    return {t(code, key) for code in LANGUAGES}


def register(app: Application) -> None:
    from handlers.buyer import addresses, browse, cart, orders, search

    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("help", help_command))
    app.add_handler(CommandHandler("language", language_command))
    add_buttons(app, language_chosen)
    register_text_action(_menu_labels("buyer.menu.browse"), browse.categories_command)
    register_text_action(_menu_labels("buyer.menu.search"), search.ask_query)
    register_text_action(_menu_labels("buyer.menu.cart"), cart.cart_command)
    register_text_action(_menu_labels("buyer.menu.orders"), orders.orders_command)
    register_text_action(_menu_labels("buyer.menu.addresses"), addresses.addresses_command)
    register_text_action(_menu_labels("buyer.menu.help"), help_command)
    register_text_action(_menu_labels("buyer.menu.language"), language_command)
