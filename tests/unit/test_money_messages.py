"""The merchant-money texts: every key the screens and use cases use exists in both languages with the same
blanks, every kind of ledger transaction has its line in the history, and what the merchant reads is in words."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.ledger import TransactionKind
from domain.money import Money
from domain.usecases.merchant_money import HistoryLine
from handlers.merchant.balance import signed
from i18n import area_messages, catalog, t
from tests.unit.message_checks import blanks

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    ROOT / "handlers" / "merchant" / "balance.py",
    ROOT / "handlers" / "merchant" / "payouts.py",
    ROOT / "handlers" / "admin" / "payouts.py",
    *sorted((ROOT / "domain" / "usecases" / "merchant_money").glob("*.py")),
]
LANGUAGE_NEUTRAL = {"merchant.money.history_line", "admin.payouts.item"}
KEY = re.compile(r"\"((?:merchant\.money|admin\.payouts?|admin\.btn|notify)\.[a-z_.]+)\"")


def used_keys() -> set[str]:
    found = {key for path in SOURCES for key in KEY.findall(path.read_text(encoding="utf-8"))}
    # keys built from a kind: the payout's and the history line's
    found |= {f"notify.payout.{kind}.{whom}" for kind in ("earnings", "deposit") for whom in ("admin", "paid")}
    found |= {f"admin.payout.page.{kind}" for kind in ("earnings", "deposit")}
    return {key for key in found if not key.endswith(".")}


def test_every_key_the_money_screens_use_exists() -> None:
    assert sorted(used_keys() - set(catalog())) == []


def test_every_ledger_transaction_kind_has_a_history_line() -> None:
    missing = [kind for kind in TransactionKind if f"merchant.money.history.{kind.value}" not in catalog()]
    assert missing == []


@pytest.mark.parametrize("key", sorted(area_messages("money")))
def test_english_and_chinese_have_the_same_blanks_and_differ(key: str) -> None:
    english, chinese = area_messages("money")[key]
    assert blanks(english) == blanks(chinese)
    assert english.strip() and chinese.strip() and (english != chinese or key in LANGUAGE_NEUTRAL)


def test_a_history_line_reads_as_words_with_signed_amounts() -> None:
    at, amount = datetime(2026, 3, 1, 9, 0, tzinfo=UTC), Money(268, "XTR")
    line = HistoryLine(at, TransactionKind.SETTLEMENT, amount, amount, order_id=12)
    what = t("en", f"merchant.money.history.{line.kind.value}", order=line.order_id, amount=line.amount,
             change=signed(line.change), payout=None, memo="—")  # fmt: skip
    assert what == "Order #12 settled: +268 ⭐ pending"
    assert signed(Money(-300, "XTR")) == "−300 ⭐" and signed(Money(0, "XTR")) == "0 ⭐"
    assert (
        t("zh", "merchant.money.history.release", order=12, amount=Money(268, "XTR")) == "订单 #12：268 ⭐ 转为可提现"
    )
