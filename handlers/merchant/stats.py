"""/stats: the shop's numbers for 7 and 30 days as text, and a PNG chart of daily sales (matplotlib, Agg).

The chart carries only numbers and dates (no words), so it reads the same in every language and needs no
CJK font on the server; its caption is localised.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")  # no display on a server; must be chosen before anything draws

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from telegram import Update
from telegram.ext import Application, CommandHandler

from domain.money import Money, minor_digits
from domain.usecases.merchant_stats import PeriodStats, ShopStats, shop_stats
from handlers.common.deps import Context, as_merchant, services
from handlers.common.media import send_chart
from handlers.common.reply import acknowledge, send, text
from i18n import Markup


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f}%"


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def period_text(context: Context, period: PeriodStats) -> str:
    scores = period.scores
    return text(
        context,
        "merchant.stats.period",
        days=period.days,
        sales=period.sales,
        orders=period.orders,
        average=period.average_order,
        refund_rate=_percent(period.refund_rate),
        on_time=_percent(period.on_time_rate),
        reviews=scores.reviews,
        quality=_score(scores.quality),
        shipping=_score(scores.shipping),
        service=_score(scores.service),
    )


def stats_text(context: Context, stats: ShopStats) -> str:
    periods = "\n\n".join(period_text(context, period) for period in stats.periods)
    return text(context, "merchant.stats.header", name=stats.shop_name, at=stats.generated_at, periods=Markup(periods))


def sales_chart_png(days: Sequence[tuple[date, Money]]) -> bytes:
    """Bars of daily sales in the currency's major unit, newest on the right."""
    currency = days[0][1].currency if days else "XTR"
    scale = 10 ** minor_digits(currency)
    figure = Figure(figsize=(8, 3.6), dpi=100)
    axes = figure.subplots()
    labels = [day.strftime("%m-%d") for day, _ in days]
    # Plotting needs plain numbers; this is a picture of the amounts, never a calculation with them.
    values = [money.amount / scale for _, money in days]
    axes.bar(range(len(values)), values, color="#e02e24")
    axes.set_xticks(range(len(labels)), labels, rotation=60, fontsize=7)
    axes.yaxis.set_major_locator(MaxNLocator(integer=scale == 1, nbins=6))
    axes.set_ylabel(currency)
    axes.set_ylim(bottom=0, top=max([*values, 1.0]) * 1.15)
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


async def send_stats(update: Update, context: Context) -> None:
    """/stats (and the dashboard's button, answered once the figures are in): the figures first, then the chart
    (drawn off the event loop: matplotlib is CPU-bound)."""
    stats = await shop_stats(services(context), actor=as_merchant(update))
    await acknowledge(update)
    await send(update, context, stats_text(context, stats))
    caption = text(context, "merchant.stats.chart_caption", name=stats.shop_name, days=len(stats.daily_sales))
    await send_chart(update, context, functools.partial(sales_chart_png, stats.daily_sales), caption)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("stats", send_stats))
