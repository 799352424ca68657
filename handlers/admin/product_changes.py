"""/product_changes <product>: an admin reads every audited edit of a product (who, when, field, old → new)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from domain.usecases.product_edits import product_history
from handlers.common.deps import Context, as_admin, services
from handlers.common.reply import send, text
from handlers.merchant._common import parse_id
from handlers.merchant.products import change_line

MAX_CHANGES = 30


async def product_changes_command(update: Update, context: Context) -> None:
    """/product_changes 12: the latest changes first."""
    message = update.effective_message
    parts = (message.text or "").split() if message else []
    if len(parts) != 2:
        await send(update, context, text(context, "admin.product_changes.usage"))
        return
    history = await product_history(
        services(context), actor=as_admin(update), product_id=parse_id(parts[1], "product"), limit=MAX_CHANGES
    )
    product = history.product
    if not history.changes:
        await send(
            update, context, text(context, "admin.product_changes.none", title=product.title, product_id=product.id)
        )
        return
    lines = [
        change_line(
            context,
            change,
            product.price.currency,
            "admin.product_changes.line",
            actor=str(change.actor_id) if change.actor_id is not None else "—",
        )
        for change in history.changes
    ]
    title = text(
        context, "admin.product_changes.title", title=product.title, product_id=product.id, shop_id=product.shop_id
    )
    await send(update, context, "\n".join([title, *lines]))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("product_changes", product_changes_command))
