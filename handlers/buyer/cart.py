"""/cart: lines grouped by shop with ➖ quantity ➕ and 🗑 per line, promotions itemised, clear and checkout.

Each press edits the cart message in place. The quantity button in the middle asks for a typed number (a
DB-backed flow), for when ➕ would take too long.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from domain.errors import DomainError, ErrorCode
from domain.routes import Press, Route
from domain.usecases import cart as cart_uc
from domain.usecases.cart import CartView
from domain.validation import parse_quantity
from handlers.buyer.formatting import clip, join, shop_block
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_buyer, lang, services
from handlers.common.flows import DONE, Flow, Step, register_flow, start_flow
from handlers.common.reply import ButtonSpec, keyboard, label, plain, send, show, text

QTY_FLOW = "b1.cartqty"
QTY = "qty"
BUTTON_TITLE = 18


def cart_markup(language: str, view: CartView) -> InlineKeyboardMarkup | None:
    rows: list[list[ButtonSpec]] = []
    for line in view.lines:
        pid = line.product.id
        minus = ("➖", Route.CART_DECREASE.with_id(pid)) if line.quantity > 1 else ("🗑", Route.CART_REMOVE.with_id(pid))
        title = clip(line.product.title, BUTTON_TITLE)
        middle = plain(language, "buyer.cart.qty_button", title=title, qty=line.quantity)
        rows.append([minus, (middle, Route.CART_QUANTITY.with_id(pid)), ("➕", Route.CART_INCREASE.with_id(pid))])
    if view.lines:
        rows.append(
            [
                (plain(language, "buyer.cart.clear"), Route.CART_CLEAR.data()),
                (plain(language, "buyer.cart.checkout"), Route.CHECKOUT_CART.data()),
            ]
        )
    return keyboard(rows)


def browse_markup(context: Context) -> InlineKeyboardMarkup | None:
    return keyboard([[(label(context, "buyer.cart.browse"), Route.BROWSE_CATEGORIES.data(0))]])


def cart_text(language: str, context: Context, view: CartView) -> str:
    if view.is_empty:
        return text(context, "buyer.cart.empty")
    blocks = [text(context, "buyer.cart.title", count=view.item_count)]
    blocks += ["\n" + shop_block(language, shop) for shop in view.shops]
    if view.problems:
        blocks.append("\n" + text(context, "buyer.cart.has_problems"))
    blocks.append("\n" + text(context, "buyer.cart.total", total=view.total))
    return join(blocks)


async def render(update: Update, context: Context, view: CartView) -> None:
    language = lang(context)
    markup = browse_markup(context) if view.is_empty else cart_markup(language, view)
    await show(update, context, cart_text(language, context, view), markup)


async def cart_command(update: Update, context: Context) -> None:
    await render(update, context, await cart_uc.view_cart(services(context), actor=as_buyer(update)))


@on_button(Route.CART_VIEW, answer_first=True)
async def on_view(update: Update, context: Context, press: Press) -> None:
    await cart_command(update, context)


@on_button(Route.CART_INCREASE, Route.CART_DECREASE, Route.CART_REMOVE)
async def on_change(update: Update, context: Context, press: Press) -> None:
    """➕ / ➖ / 🗑 on a line."""
    svc, actor, product_id = services(context), as_buyer(update), press.id()
    if press.route is Route.CART_REMOVE:
        view = await cart_uc.remove_from_cart(svc, actor=actor, product_id=product_id)
    else:
        delta = 1 if press.route is Route.CART_INCREASE else -1
        view = await cart_uc.change_cart_quantity(svc, actor=actor, product_id=product_id, delta=delta)
    await render(update, context, view)


@on_button(Route.CART_CLEAR, answer_first=True)
async def on_clear(update: Update, context: Context, press: Press) -> None:
    """Clearing throws away every line: ask first."""
    if not press.args:
        rows = [
            [
                (label(context, "buyer.cart.clear_yes"), Route.CART_CLEAR.data("y")),
                (label(context, "buyer.cart.clear_no"), Route.CART_VIEW.data()),
            ]
        ]
        await show(update, context, text(context, "buyer.cart.clear_confirm"), keyboard(rows))
        return
    await cart_uc.clear_cart(services(context), actor=as_buyer(update))
    await show(update, context, text(context, "buyer.cart.cleared"), browse_markup(context))


@on_button(Route.CART_QUANTITY)
async def on_ask_quantity(update: Update, context: Context, press: Press) -> None:
    """The quantity in the middle of a line: type a number for it."""
    product_id = press.id()
    view = await cart_uc.view_cart(services(context), actor=as_buyer(update))
    line = next((line for line in view.lines if line.product.id == product_id), None)
    if line is None:  # a button from an older cart message
        raise DomainError(ErrorCode.NOT_IN_CART, product_id=product_id)
    await start_flow(update, context, QTY_FLOW, QTY, {"product_id": product_id})
    await send(
        update,
        context,
        text(context, "buyer.cart.ask_quantity", title=line.product.title, qty=line.quantity, stock=line.product.stock),
    )


async def quantity_step(step: Step) -> str:
    """A typed quantity for one cart line."""
    quantity = parse_quantity(step.text)
    view = await cart_uc.set_cart_quantity(
        services(step.context), actor=as_buyer(step.update), product_id=int(step.data["product_id"]), quantity=quantity
    )
    await render(step.update, step.context, view)
    return DONE


def register(app: Application) -> None:
    register_flow(Flow(QTY_FLOW, {QTY: quantity_step}, restart_step=QTY))
    app.add_handler(CommandHandler("cart", cart_command))
    add_buttons(app, on_view, on_change, on_clear, on_ask_quantity)
