"""/shop: the merchant's dashboard — status, score, what waits for them, and shortcuts (refresh, /add_product,
/stats, /balance)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from domain.authorization import staff_may_press
from domain.errors import DomainError, ErrorCode
from domain.routes import Press, Route
from domain.shops import Shop, ShopStatus
from domain.usecases.merchant_views import Dashboard, OrderFilter, latest_shop, shop_dashboard
from domain.usecases.staff import WorkingShop, working_shops
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_merchant, services
from handlers.common.reply import keyboard, label, show, text
from handlers.common.scores import score_text
from handlers.merchant._common import shop_status_label, shop_type_label
from handlers.merchant.deposit import pay_deposit_row
from handlers.merchant.import_csv import import_command
from handlers.merchant.open_shop import open_shop
from handlers.merchant.products import start_add_product
from handlers.merchant.stats import send_stats
from i18n import Markup


def dashboard_text(context: Context, board: Dashboard) -> str:
    shop = board.shop
    common = {
        "name": shop.name,
        "shop_id": shop.id,
        "status": shop_status_label(context, shop.status),
        "shop_type": shop_type_label(context, shop.shop_type),
    }
    if shop.status is ShopStatus.PENDING_REVIEW:
        return text(context, "merchant.dashboard.pending", since=shop.created_at, **common)
    if shop.status is ShopStatus.AWAITING_DEPOSIT:
        return text(
            context, "merchant.dashboard.awaiting_deposit", deposit=shop.deposit, deadline=shop.deadline_at, **common
        )
    body = text(
        context,
        "merchant.dashboard.open",
        score=score_text(context, board.score),
        to_accept=board.to_accept,
        to_ship=board.to_ship,
        shipped=board.shipped,
        tickets=board.open_tickets,
        products=board.products,
        late=shop.late_shipments,
        **common,
    )
    if shop.status is ShopStatus.SUSPENDED:
        body += "\n\n" + text(context, "merchant.dashboard.suspended", reason=shop.suspend_reason or "—")
    return body


def dashboard_keyboard(context: Context, board: Dashboard) -> Any:
    shop = board.shop
    refresh = [(text(context, "merchant.btn.refresh"), Route.MERCHANT_DASHBOARD.data())]
    if shop.status is ShopStatus.AWAITING_DEPOSIT:
        return keyboard([pay_deposit_row(context, shop.id), refresh])
    if shop.status not in (ShopStatus.ACTIVE, ShopStatus.SUSPENDED):
        return keyboard([refresh])
    return keyboard(
        [
            [
                (
                    text(context, "merchant.btn.to_accept", count=board.to_accept),
                    Route.MERCHANT_ORDERS.data(OrderFilter.TO_ACCEPT.value, 0),
                ),
                (
                    text(context, "merchant.btn.to_ship", count=board.to_ship),
                    Route.MERCHANT_ORDERS.data(OrderFilter.TO_SHIP.value, 0),
                ),
            ],
            [
                (text(context, "merchant.btn.products"), Route.MERCHANT_PRODUCTS.data(0)),
                (text(context, "merchant.btn.add_product"), Route.MERCHANT_ADD_PRODUCT.data()),
            ],
            [
                (text(context, "merchant.btn.stats"), Route.MERCHANT_STATS.data()),
                (text(context, "merchant.btn.balance"), Route.MERCHANT_BALANCE.data(0)),
            ],
            [(text(context, "merchant.btn.shipping"), Route.MERCHANT_SHIPPING.data())],
            [(text(context, "merchant.btn.coupons"), Route.MERCHANT_COUPONS.data())],
            [(text(context, "staff.btn.staff"), Route.MERCHANT_STAFF.data())],
            refresh,
        ]
    )


def no_live_shop_text(context: Context, shop: Shop | None) -> str:
    if shop is None:
        return text(context, "error.no_shop")
    reason = shop.reject_reason if shop.status is ShopStatus.REJECTED else shop.suspend_reason
    return text(
        context,
        "merchant.dashboard.finished",
        name=shop.name,
        status=shop_status_label(context, shop.status),
        reason=reason or "—",
    )


def closed_shop_keyboard(context: Context, shop: Shop | None) -> Any:
    """A closed shop's money is still its owner's: its balance stays one press away."""
    if shop is None or shop.status is not ShopStatus.CLOSED:
        return None
    return keyboard([[(text(context, "merchant.btn.balance"), Route.MERCHANT_BALANCE.data(0))]])


async def shop_command(update: Update, context: Context) -> None:
    """/shop (and its Refresh button)."""
    actor = as_merchant(update)
    try:
        board = await shop_dashboard(services(context), actor=actor)
    except DomainError as error:
        if error.code is not ErrorCode.NO_SHOP:
            raise
        latest = await latest_shop(services(context), actor=actor)
        await show(update, context, no_live_shop_text(context, latest), closed_shop_keyboard(context, latest))
        return
    if board.shop.owner_id != actor.user_id:  # staff (子账号): their role's screens, no owner's shortcuts
        shops = await working_shops(services(context), actor=actor)
        await show(update, context, staff_dashboard_text(context, board, shops), staff_keyboard(context, board, shops))
        return
    await show(update, context, dashboard_text(context, board), dashboard_keyboard(context, board))


def staff_dashboard_text(context: Context, board: Dashboard, shops: Sequence[WorkingShop]) -> str:
    role = next((w.role for w in shops if w.shop.id == board.shop.id), None)
    head = [text(context, "staff.dashboard", shop=board.shop.name)]
    if role is not None:
        head.append(text(context, "staff.dashboard.role", role=Markup(text(context, f"staff.role.{role.value}"))))
    if len(shops) > 1:
        head.append(text(context, "staff.dashboard.other_shops"))
    return "\n".join(head) + "\n\n" + dashboard_text(context, board)


def staff_keyboard(context: Context, board: Dashboard, shops: Sequence[WorkingShop]) -> Any:
    """What a staff member's /shop offers: the orders waiting and the numbers, as far as the table lets their role
    in this shop (``staff_may_press``), and a button per other shop they work for (each re-checked on press)."""
    role = next((w.role for w in shops if w.shop.id == board.shop.id), None)
    here: list[list[tuple[str, str]]] = [
        [
            (
                text(context, "merchant.btn.to_accept", count=board.to_accept),
                Route.MERCHANT_ORDERS.data(OrderFilter.TO_ACCEPT.value, 0),
            ),
            (
                text(context, "merchant.btn.to_ship", count=board.to_ship),
                Route.MERCHANT_ORDERS.data(OrderFilter.TO_SHIP.value, 0),
            ),
        ],
        [(text(context, "merchant.btn.stats"), Route.MERCHANT_STATS.data())],
    ]
    allowed = [[b for b in row if role is not None and staff_may_press(role, b[1])] for row in here]
    others = [
        [(label(context, "staff.btn.work_in", shop=w.shop.name), Route.STAFF_WORK_IN.with_id(w.shop.id))]
        for w in shops
        if w.shop.id != board.shop.id
    ]
    return keyboard([row for row in allowed if row] + others)


SHORTCUTS = {
    Route.MERCHANT_DASHBOARD: shop_command,
    Route.MERCHANT_ADD_PRODUCT: start_add_product,
    Route.MERCHANT_STATS: send_stats,
    Route.MERCHANT_IMPORT_START: import_command,
    Route.MERCHANT_APPLY_AGAIN: open_shop,
}


@on_button(*SHORTCUTS)
async def on_shortcut(update: Update, context: Context, press: Press) -> None:
    """Refresh, /add_product, /stats, /import_products, /open_shop: a message's next step as a button."""
    await SHORTCUTS[press.route](update, context)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("shop", shop_command))
    add_buttons(app, on_shortcut)
