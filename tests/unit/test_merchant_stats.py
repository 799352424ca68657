"""The numbers a merchant reads in /stats, from the raw counts the stats queries return."""

from __future__ import annotations

from datetime import date

import pytest

from domain.money import Money
from domain.stats_ports import SalesFigures, ScoreFigures
from domain.usecases.merchant_stats import fill_days, period_stats


def test_average_order_value_is_over_kept_orders_and_rates_over_their_own_totals() -> None:
    figures = SalesFigures(
        paid_orders=4, kept_orders=3, sales=1000, refunded_orders=1, shipped=3, shipped_on_time=2, ship_timeouts=1
    )

    period = period_stats(7, figures, ScoreFigures(), "CNY")

    assert period.sales == Money(1000, "CNY")
    assert period.orders == 4
    assert period.average_order == Money(333, "CNY")  # exact minor units, rounded down, never a float
    assert period.refund_rate == pytest.approx(0.25)
    assert period.on_time_rate == pytest.approx(0.5)  # 2 on time of 3 shipped + 1 never shipped


def test_a_quiet_week_has_no_rates_rather_than_zero_percent() -> None:
    period = period_stats(7, SalesFigures(), ScoreFigures(), "XTR")

    assert period.sales == Money(0, "XTR") and period.average_order == Money(0, "XTR")
    assert period.refund_rate is None and period.on_time_rate is None


def test_chart_days_without_sales_are_zero_and_run_oldest_to_today() -> None:
    days = fill_days({date(2026, 3, 9): 120, date(2026, 3, 7): 5}, date(2026, 3, 10), 5, "XTR")

    assert [d for d, _ in days] == [date(2026, 3, n) for n in range(6, 11)]
    assert [m.amount for _, m in days] == [0, 5, 0, 120, 0]
