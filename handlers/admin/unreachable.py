"""Admins' list of unreachable merchants: those who blocked the bot while their shop has open orders (their alerts
reach them only by a verified e-mail or phone, if any), most open orders first, each opening the shop's page."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from domain.alerts import UnreachableMerchant
from domain.routes import Press, Route
from domain.usecases.alerts import unreachable_merchants
from handlers.admin._common import back_to_menu
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_admin, services
from handlers.common.reply import keyboard, label, show, text


def reach_of(context: Context, merchant: UnreachableMerchant) -> str:
    """How their alerts still reach them: the verified phone and e-mail, or nothing."""
    ways = [way for way in (merchant.phone, merchant.email) if way]
    return ", ".join(ways) if ways else text(context, "admin.unreachable.no_reach")


@on_button(Route.ADMIN_UNREACHABLE)
async def on_unreachable(update: Update, context: Context, press: Press) -> None:
    merchants = await unreachable_merchants(services(context), actor=as_admin(update))
    lines = [text(context, "admin.unreachable.title", count=len(merchants))]
    for merchant in merchants:
        handle = f" @{merchant.username}" if merchant.username else ""
        lines.append(
            text(
                context,
                "admin.unreachable.line",
                name=merchant.name + handle,
                shop=merchant.shop_name,
                orders=merchant.open_orders,
                reach=reach_of(context, merchant),
            )
        )
    if not merchants:
        lines.append(text(context, "admin.unreachable.none"))
    rows = [
        [(label(context, "admin.btn.unreachable_shop", shop=m.shop_name), Route.ADMIN_SHOP.data(m.shop_id))]
        for m in merchants
    ]
    rows.append(back_to_menu(context))
    await show(update, context, "\n".join(lines), keyboard(rows))


def register(app: Application) -> None:
    add_buttons(app, on_unreachable)
