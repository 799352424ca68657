"""Picking a SKU on the product page (variants, 规格): a button per option value; once every option has a value the
message shows that SKU's price and stock with Buy now and Add to cart for it.

The picks travel in the buttons (``b1:pick:<product>:<value 1>:<value 2>``, 1-based, 0 for none), so nothing is
stored; each press redraws the picker in place. A combination with nothing left says so on its button
("Red · S — sold out"), and adding it to the cart is refused with the stock left (none).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application

from domain.products import Product
from domain.routes import Press, Route
from domain.usecases import catalog, variants
from domain.usecases.catalog import ProductPage, SkuOffer
from domain.variants import LABEL_JOIN
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, lang, services, user_id
from handlers.common.reply import acknowledge, plain, send_album, show
from i18n import t

PER_ROW = 4
NONE = 0


class SkuChoices(Protocol):
    """What a picker is drawn from: a product page, or a group of SKUs being joined (handlers/buyer/group_view.py)."""

    @property
    def product(self) -> Product: ...

    def sku(self, values: Sequence[str]) -> SkuOffer | None: ...


def picked_values(product: Product, picks: Sequence[int]) -> list[str | None]:
    """The value picked of each option (None: not yet); a pick out of range counts as none."""
    values: list[str | None] = []
    for index, option in enumerate(product.options):
        pick = picks[index] if index < len(picks) else NONE
        values.append(option["values"][pick - 1] if 1 <= pick <= len(option["values"]) else None)
    return values


def _picks_with(page: SkuChoices, picks: Sequence[int], option: int, value: int) -> list[int]:
    """The picks after pressing ``value`` of ``option`` (pressing the picked one again unpicks it)."""
    new = [picks[i] if i < len(picks) else NONE for i in range(len(page.product.options))]
    new[option] = NONE if new[option] == value else value
    return new


def _value_label(language: str, page: SkuChoices, picked: list[str | None], option: int, value: str) -> str:
    if picked[option] == value:
        return f"✅ {value}"
    trial = [*picked]
    trial[option] = value
    if all(v is not None for v in trial):
        offer = page.sku([v for v in trial if v is not None])
        if offer is None or offer.sold_out:
            return plain(language, "buyer.variants.sold_out_button", label=LABEL_JOIN.join(v for v in trial if v))
    return value


def option_rows(
    page: SkuChoices,
    language: str,
    picks: Sequence[int] = (),
    *,
    route: Route = Route.PRODUCT_PICK,
    target: int | None = None,
) -> list[list[InlineKeyboardButton]]:
    """A row (or rows) of value buttons per option, the picked ones ticked, sold-out combinations marked; each
    press is ``route`` with ``target`` (default: the product) and the picks after it."""
    picked = picked_values(page.product, picks)
    target_id = page.product.id if target is None else target
    rows: list[list[InlineKeyboardButton]] = []
    for index, option in enumerate(page.product.options):
        buttons = []
        for number, value in enumerate(option["values"], start=1):
            data = route.data(target_id, *_picks_with(page, picks, index, number))
            buttons.append(InlineKeyboardButton(_value_label(language, page, picked, index, value), callback_data=data))
        rows += [buttons[i : i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]
    return rows


def picker(page: ProductPage, language: str, picks: Sequence[int]) -> tuple[str, InlineKeyboardMarkup]:
    """The picker's text and buttons for these picks."""
    product = page.product
    picked = picked_values(product, picks)
    lines = [t(language, "buyer.variants.title", title=product.title)]
    for option, value in zip(product.options, picked, strict=True):
        lines.append(t(language, "buyer.variants.option", name=option["name"], value=value or "—"))
    rows = option_rows(page, language, picks)
    if all(value is not None for value in picked):
        offer = page.sku([v for v in picked if v is not None])
        label = LABEL_JOIN.join(v for v in picked if v)
        if offer is None or offer.sold_out:
            lines.append(t(language, "buyer.variants.sold_out", label=label))
        else:
            lines.append(t(language, "buyer.variants.offer", label=label, price=offer.price, stock=offer.sku.stock))
        if offer is not None:
            buy = plain(language, "buyer.product.buy_now")
            add = plain(language, "buyer.product.add_to_cart")
            rows.append(
                [
                    InlineKeyboardButton(buy, callback_data=Route.CHECKOUT_BUY_NOW.with_id(offer.sku.id)),
                    InlineKeyboardButton(add, callback_data=Route.PRODUCT_ADD_TO_CART.with_id(offer.sku.id)),
                ]
            )
            if offer.group is not None and not offer.sold_out and product.group_size is not None:
                group = plain(language, "buyer.variants.group_buy", price=offer.group, size=product.group_size)
                rows.append([InlineKeyboardButton(group, callback_data=Route.GROUP_START.with_id(offer.sku.id))])
            if offer.sku.photos:
                photo = plain(language, "buyer.variants.photo", label=label)
                rows.append([InlineKeyboardButton(photo, callback_data=Route.PRODUCT_SKU_PHOTO.with_id(offer.sku.id))])
    else:
        lines.append(t(language, "buyer.variants.pick"))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


@on_button(Route.PRODUCT_PICK)
async def on_pick(update: Update, context: Context, press: Press) -> None:
    """A value pressed: the picker redrawn with it (the SKU's price, stock and buttons once every option has one)."""
    page = await catalog.product_page(services(context), product_id=press.id(), viewer_id=user_id(update))
    if not page.product.has_options:  # a picker drawn before the options were taken away: the page as it is now
        from handlers.buyer.product import show_product  # the page module draws this picker's first buttons

        await show_product(update, context, page.product.id)
        return
    await acknowledge(update)
    picks = [press.number(index) or NONE for index in range(1, 1 + len(page.product.options))]
    body, markup = picker(page, lang(context), picks)
    await show(update, context, body, markup)


@on_button(Route.PRODUCT_SKU_PHOTO)
async def on_sku_photo(update: Update, context: Context, press: Press) -> None:
    """📷 The picked SKU's own photo."""
    _, photo = await variants.sku_photo(services(context), sku_id=press.id())
    await acknowledge(update)
    chat = update.effective_chat
    if chat is not None and photo is not None:
        await send_album(context, chat.id, [photo])


def register(app: Application) -> None:
    add_buttons(app, on_pick, on_sku_photo)
