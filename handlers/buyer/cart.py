"""/cart: lines grouped by shop with ➖ quantity ➕ and 🗑 per line, promotions itemised, clear and checkout.

Each press edits the cart message in place. The quantity button in the middle asks for a typed number (a
DB-backed flow), for when ➕ would take too long.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from domain.errors import DomainError, ErrorCode
from domain.usecases import cart as cart_uc
from domain.usecases.cart import CartView
from domain.validation import parse_quantity
from handlers.buyer.formatting import clip, join, label, shop_block
from handlers.common import codec
from handlers.common.buttons import pressed, pressed_id
from handlers.common.deps import Context, as_buyer, lang, services
from handlers.common.flows import DONE, Flow, Step, register_flow, start_flow
from handlers.common.reply import ButtonSpec, acknowledge, answer_error, keyboard, send, show, text

NS = "b1"
QTY_FLOW = "b1.cartqty"
QTY = "qty"
BUTTON_TITLE = 18


def cart_markup(language: str, view: CartView):
    rows: list[list[ButtonSpec]] = []
    for line in view.lines:
        pid = line.product.id
        minus = ("➖", codec.encode(NS, "dec", pid)) if line.quantity > 1 else ("🗑", codec.encode(NS, "rm", pid))
        title = clip(line.product.title, BUTTON_TITLE)
        middle = label(language, "buyer.cart.qty_button", title=title, qty=line.quantity)
        rows.append([minus, (middle, codec.encode(NS, "qty", pid)), ("➕", codec.encode(NS, "inc", pid))])
    if view.lines:
        rows.append(
            [
                (label(language, "buyer.cart.clear"), codec.encode(NS, "clr")),
                (label(language, "buyer.cart.checkout"), codec.encode(NS, "co")),
            ]
        )
    return keyboard(rows)


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
    markup = cart_markup(language, view)
    if view.is_empty:
        markup = keyboard([[(label(language, "buyer.cart.browse"), codec.encode(NS, "cats", 0))]])
    await show(update, context, cart_text(language, context, view), markup)


async def cart_command(update: Update, context: Context) -> None:
    try:
        view = await cart_uc.view_cart(services(context), actor=as_buyer(update))
    except DomainError as error:
        await answer_error(update, context, error)
        return
    await render(update, context, view)


async def on_view(update: Update, context: Context) -> None:
    await acknowledge(update)
    await cart_command(update, context)


async def _change(update: Update, context: Context, action: str) -> None:
    product_id = await pressed_id(update)
    if product_id is None:
        return
    svc, actor = services(context), as_buyer(update)
    try:
        if action == "rm":
            view = await cart_uc.remove_from_cart(svc, actor=actor, product_id=product_id)
        else:
            delta = 1 if action == "inc" else -1
            view = await cart_uc.change_cart_quantity(svc, actor=actor, product_id=product_id, delta=delta)
    except DomainError as error:
        await answer_error(update, context, error)
        return
    await acknowledge(update)
    await render(update, context, view)


async def on_increase(update: Update, context: Context) -> None:
    await _change(update, context, "inc")


async def on_decrease(update: Update, context: Context) -> None:
    await _change(update, context, "dec")


async def on_remove(update: Update, context: Context) -> None:
    await _change(update, context, "rm")


async def on_clear(update: Update, context: Context) -> None:
    """Clearing throws away every line: ask first."""
    await acknowledge(update)
    data = pressed(update)
    if data is None or not data.args:
        rows = [
            [
                (label(lang(context), "buyer.cart.clear_yes"), codec.encode(NS, "clr", "y")),
                (label(lang(context), "buyer.cart.clear_no"), codec.encode(NS, "cart")),
            ]
        ]
        await show(update, context, text(context, "buyer.cart.clear_confirm"), keyboard(rows))
        return
    await cart_uc.clear_cart(services(context), actor=as_buyer(update))
    browse = keyboard([[(label(lang(context), "buyer.cart.browse"), codec.encode(NS, "cats", 0))]])
    await show(update, context, text(context, "buyer.cart.cleared"), browse)


async def on_ask_quantity(update: Update, context: Context) -> None:
    """The quantity in the middle of a line: type a number for it."""
    product_id = await pressed_id(update)
    if product_id is None:
        return
    view = await cart_uc.view_cart(services(context), actor=as_buyer(update))
    line = next((line for line in view.lines if line.product.id == product_id), None)
    if line is None:  # a button from an older cart message
        await answer_error(update, context, DomainError(ErrorCode.NOT_IN_CART, product_id=product_id))
        return
    await acknowledge(update)
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
    app.add_handler(CallbackQueryHandler(on_view, pattern=codec.pattern(NS, "cart")))
    app.add_handler(CallbackQueryHandler(on_increase, pattern=codec.pattern(NS, "inc")))
    app.add_handler(CallbackQueryHandler(on_decrease, pattern=codec.pattern(NS, "dec")))
    app.add_handler(CallbackQueryHandler(on_remove, pattern=codec.pattern(NS, "rm")))
    app.add_handler(CallbackQueryHandler(on_clear, pattern=codec.pattern(NS, "clr")))
    app.add_handler(CallbackQueryHandler(on_ask_quantity, pattern=codec.pattern(NS, "qty")))
