"""/favourites (我的收藏), /recent (足迹) and the ☆ Favourite toggle on the product page.

Lists edit in place as the buyer pages, removes or switches the price-drop note; the prices shown are the use
case's (as charged now), formatted by the catalogue like every other price. The toggle carries the state wanted,
so a doubled press answers the same and changes nothing.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CommandHandler

from domain.routes import Press, Route, decode
from domain.usecases import favourites as favourites_uc
from domain.usecases.favourites import FavouriteSet, KeptList, KeptProduct
from handlers.buyer.formatting import clip, join
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_buyer, lang, services
from handlers.common.pages import pager
from handlers.common.reply import ButtonSpec, acknowledge, keyboard, label, plain, show, text
from i18n import t

TITLE_CHARS = 30


def favourite_button(language: str, product_id: int, favourite: bool) -> InlineKeyboardButton:
    """☆ Favourite, or ★ Favourited; a press asks for the other state."""
    key, wanted = ("buyer.product.favourited", 0) if favourite else ("buyer.product.favourite", 1)
    return InlineKeyboardButton(plain(language, key), callback_data=Route.FAVOURITE_SET.data(product_id, wanted))


def _item_line(language: str, n: int, item: KeptProduct) -> str:
    if item.price is None:
        return t(language, "favourites.item_gone", n=n, title=item.title)
    return t(language, "favourites.item", n=n, title=item.title, price=item.price)


def _lines(language: str, kept: KeptList) -> list[str]:
    first = kept.page.offset + 1
    return [_item_line(language, first + i, item) for i, item in enumerate(kept.items)]


def _open_button(language: str, n: int, item: KeptProduct) -> ButtonSpec:
    title = clip(item.title, TITLE_CHARS)
    return plain(language, "favourites.open", n=n, title=title), Route.PRODUCT_OPEN.with_id(item.product_id)


def favourites_screen(language: str, kept: KeptList) -> tuple[str, InlineKeyboardMarkup | None]:
    offset = kept.page.offset
    alerts = "favourites.alerts_are_on" if kept.alerts else "favourites.alerts_are_off"
    head = t(language, "favourites.title", count=kept.page.total) if kept.items else t(language, "favourites.empty")
    body = join([head, *_lines(language, kept), "\n" + t(language, alerts)])
    rows: list[list[ButtonSpec]] = []
    for i, item in enumerate(kept.items):
        n = offset + i + 1
        remove = (plain(language, "favourites.remove", n=n), Route.FAVOURITE_REMOVE.data(item.product_id, offset))
        rows.append([_open_button(language, n, item), remove])
    rows.append(pager(kept.page, Route.FAVOURITES_LIST, counter=Route.BUYER_PAGE_COUNTER))
    toggle = "favourites.alerts_turn_off" if kept.alerts else "favourites.alerts_turn_on"
    rows.append([(plain(language, toggle), Route.FAVOURITE_ALERTS.data(0 if kept.alerts else 1, offset))])
    return body, keyboard(rows)


def recent_screen(language: str, kept: KeptList) -> tuple[str, InlineKeyboardMarkup | None]:
    if not kept.items:
        return t(language, "recent.empty"), None
    body = join([t(language, "recent.title", count=kept.page.total), *_lines(language, kept)])
    first = kept.page.offset + 1
    rows: list[list[ButtonSpec]] = [[_open_button(language, first + i, item)] for i, item in enumerate(kept.items)]
    rows.append(pager(kept.page, Route.RECENT_LIST, counter=Route.BUYER_PAGE_COUNTER))
    rows.append([(plain(language, "recent.clear"), Route.RECENT_CLEAR.data())])
    return body, keyboard(rows)


async def _show_favourites(update: Update, context: Context, offset: int) -> None:
    kept = await favourites_uc.favourites(services(context), actor=as_buyer(update), offset=offset)
    await show(update, context, *favourites_screen(lang(context), kept))


async def _show_recent(update: Update, context: Context, offset: int) -> None:
    kept = await favourites_uc.recently_viewed(services(context), actor=as_buyer(update), offset=offset)
    await show(update, context, *recent_screen(lang(context), kept))


async def favourites_command(update: Update, context: Context) -> None:
    await _show_favourites(update, context, 0)


async def recent_command(update: Update, context: Context) -> None:
    await _show_recent(update, context, 0)


@on_button(Route.FAVOURITE_SET)
async def on_set(update: Update, context: Context, press: Press) -> None:
    """The toggle on the product page: set the state the button asked for, then redraw the button."""
    wanted = press.arg(1) == "1"
    done = await favourites_uc.set_favourite(
        services(context), actor=as_buyer(update), product_id=press.id(), favourite=wanted
    )
    await acknowledge(update, label(context, "favourites.added" if done.favourite else "favourites.removed"))
    await _redraw_toggle(update, context, done)


async def _redraw_toggle(update: Update, context: Context, done: FavouriteSet) -> None:
    query = update.callback_query
    markup = getattr(query.message, "reply_markup", None) if query is not None else None
    if query is None or markup is None:
        return
    button = favourite_button(lang(context), done.product_id, done.favourite)
    rows = [[button if _is_toggle(old.callback_data) else old for old in row] for row in markup.inline_keyboard]
    try:
        await query.edit_message_reply_markup(InlineKeyboardMarkup(rows))
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


def _is_toggle(data: object) -> bool:
    press = decode(data if isinstance(data, str) else None)
    return press is not None and press.route is Route.FAVOURITE_SET


@on_button(Route.FAVOURITES_LIST)
async def on_list(update: Update, context: Context, press: Press) -> None:
    await _show_favourites(update, context, press.number() or 0)


@on_button(Route.FAVOURITE_REMOVE)
async def on_remove(update: Update, context: Context, press: Press) -> None:
    """✖ on a line: no longer a favourite (a second press finds it gone already and says the same)."""
    await favourites_uc.set_favourite(services(context), actor=as_buyer(update), product_id=press.id(), favourite=False)
    await acknowledge(update, label(context, "favourites.removed"))
    await _show_favourites(update, context, press.number(1) or 0)


@on_button(Route.FAVOURITE_ALERTS)
async def on_alerts(update: Update, context: Context, press: Press) -> None:
    on = await favourites_uc.set_price_alerts(services(context), actor=as_buyer(update), on=press.arg(0) == "1")
    await acknowledge(update, label(context, "favourites.alerts_on_toast" if on else "favourites.alerts_off_toast"))
    await _show_favourites(update, context, press.number(1) or 0)


@on_button(Route.RECENT_LIST)
async def on_recent(update: Update, context: Context, press: Press) -> None:
    await _show_recent(update, context, press.number() or 0)


@on_button(Route.RECENT_CLEAR)
async def on_clear_recent(update: Update, context: Context, press: Press) -> None:
    """Clearing forgets every product viewed: ask first."""
    if press.arg(0) != "y":
        rows = [
            [
                (label(context, "recent.clear_yes"), Route.RECENT_CLEAR.data("y")),
                (label(context, "recent.clear_no"), Route.RECENT_LIST.data(0)),
            ]
        ]
        await show(update, context, text(context, "recent.clear_confirm"), keyboard(rows))
        return
    await favourites_uc.clear_recently_viewed(services(context), actor=as_buyer(update))
    await show(update, context, text(context, "recent.cleared"))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("favourites", favourites_command))
    app.add_handler(CommandHandler("recent", recent_command))
    add_buttons(app, on_set, on_list, on_remove, on_alerts, on_recent, on_clear_recent)
