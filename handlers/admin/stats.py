"""Platform stats for admins: shops by status, orders and GMV per day, refund rate, open tickets, and a chart.

The chart (matplotlib, Agg, drawn off the event loop) has numbers and dates only, so it needs no CJK font and reads
the same in every language; its caption is localised.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # no display on a server; must be chosen before anything draws

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from telegram import Update
from telegram.ext import Application

from domain.money import minor_digits
from domain.routes import Press, Route
from domain.usecases.platform_stats import DayStats, PlatformStats, platform_stats
from handlers.admin._common import back_to_menu, percent, shop_status_label
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_admin, services
from handlers.common.media import send_chart
from handlers.common.reply import acknowledge, keyboard, label, send, text
from i18n import Markup

RECENT_DAYS = 7  # the days listed in the text; the chart shows the whole window


def stats_text(context: Context, stats: PlatformStats) -> str:
    shops = "\n".join(
        text(context, "admin.stats.shop_line", status=shop_status_label(context, status), count=count)
        for status, count in stats.shops
        if count
    )
    days = "\n".join(
        text(context, "admin.stats.day_line", day=day.day.strftime("%m-%d"), orders=day.orders, gmv=day.gmv)
        for day in stats.daily[-RECENT_DAYS:]
    )
    return text(
        context,
        "admin.stats.body",
        at=stats.generated_at,
        shops=Markup(shops or text(context, "admin.stats.no_shops")),
        days=stats.days,
        orders=stats.orders,
        gmv=stats.gmv,
        refund_rate=percent(stats.refund_rate),
        open_tickets=stats.open_tickets,
        escalated=stats.escalated_tickets,
        recent=RECENT_DAYS,
        daily=Markup(days),
    )


def platform_chart_png(daily: Sequence[DayStats]) -> bytes:
    """GMV per day as bars (currency's major unit, left axis) and orders per day as a line (right axis)."""
    currency = daily[0].gmv.currency if daily else "XTR"
    scale = 10 ** minor_digits(currency)
    figure = Figure(figsize=(8, 3.6), dpi=100)
    gmv_axes = figure.subplots()
    positions = range(len(daily))
    # Plotting needs plain numbers; this is a picture of the amounts, never a calculation with them.
    gmv = [day.gmv.amount / scale for day in daily]
    orders = [day.orders for day in daily]
    gmv_axes.bar(positions, gmv, color="#e02e24", alpha=0.8)
    gmv_axes.set_ylabel(currency)
    gmv_axes.set_ylim(bottom=0, top=max([*gmv, 1.0]) * 1.15)
    gmv_axes.set_xticks(positions, [day.day.strftime("%m-%d") for day in daily], rotation=60, fontsize=7)
    gmv_axes.grid(axis="y", alpha=0.3)
    order_axes = gmv_axes.twinx()
    order_axes.plot(positions, orders, color="#1f4e79", marker="o", markersize=3, linewidth=1.5)
    order_axes.set_ylim(bottom=0, top=max([*orders, 1]) * 1.15)
    order_axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    order_axes.set_ylabel("#")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


@on_button(Route.ADMIN_STATS)
async def on_stats(update: Update, context: Context, press: Press) -> None:
    """The figures as a new message, then the chart under them (drawn off the event loop, the press answered)."""
    stats = await platform_stats(services(context), actor=as_admin(update))
    await acknowledge(update)
    await send(update, context, stats_text(context, stats))
    caption = text(context, "admin.stats.chart_caption", days=stats.days)
    markup = keyboard([back_to_menu(context), [(label(context, "admin.btn.refresh_stats"), Route.ADMIN_STATS.data())]])
    await send_chart(update, context, functools.partial(platform_chart_png, stats.daily), caption, markup)


def register(app: Application) -> None:
    add_buttons(app, on_stats)
