"""``shopbot ledger check`` as an operator runs it: exit 0 on clean books, 1 listing each discrepancy, 2 when the
database needs migrating first."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from domain import ledger
from domain.money import Money
from domain.orders import OrderLine, OrderStatus
from domain.payments import Payment, PaymentPurpose
from storage.database import Database
from tests.integration import builders as b


@pytest.fixture
def database_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    for name in list(os.environ):
        if name.startswith("SHOPBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    url = f"sqlite+aiosqlite:///{tmp_path / 'books.db'}"
    monkeypatch.setenv("SHOPBOT_DATABASE_URL", url)
    return url


async def _record_a_payment_the_ledger_never_saw(url: str) -> None:
    database = Database.open(url)
    try:
        async with database.uow() as uow:
            await uow.users.add(b.user(b.BUYER_ID))
            lost = Payment(0, PaymentPurpose.ORDER, b.BUYER_ID, Money(80, "XTR"), "tg-lost", b.T0)
            assert await uow.payments.record(lost)
            await uow.commit()
    finally:
        await database.dispose()


def test_the_check_needs_a_migrated_database(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ledger", "check"]) == 2
    assert "shopbot db upgrade" in capsys.readouterr().err


def test_clean_books_exit_0_and_a_lost_charge_exits_1_naming_it(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["ledger", "check", "--offline"]) == 0
    out = capsys.readouterr().out
    assert "offline: Telegram not asked" in out and out.strip().endswith("ledger check: clean")

    asyncio.run(_record_a_payment_the_ledger_never_saw(database_url))
    assert main(["ledger", "check", "--offline"]) == 1
    out = capsys.readouterr().out
    assert "ledger check: 1 discrepancy(ies)" in out
    assert "payment_not_booked: payment" in out and "(charge tg-lost): paid 80 ⭐, booked 0 time(s)" in out


async def _complete_an_order_paid_80_that_was_never_settled(url: str) -> int:
    database = Database.open(url)
    price = Money(80, "XTR")
    try:
        async with database.uow() as uow:
            await uow.users.add(b.user(b.MERCHANT_ID))
            await uow.users.add(b.user(b.BUYER_ID))
            shop = await uow.shops.add(b.shop(b.MERCHANT_ID))
            product = await uow.products.add(b.product(shop.id))
            lines = [OrderLine(product.id, "Tea", price, 1)]
            order = await uow.orders.add(
                b.order(
                    b.BUYER_ID,
                    shop.id,
                    product.id,
                    status=OrderStatus.COMPLETED,
                    lines=lines,
                    subtotal=price,
                    discount=Money(0, "XTR"),
                    total=price,
                    adjustments=[],
                )
            )
            paid = Payment(0, PaymentPurpose.ORDER, b.BUYER_ID, price, "tg-kept", b.T0, order_id=order.id)
            assert await uow.payments.record(paid)
            await uow.ledger.post(ledger.charge_received(paid))
            await uow.commit()
        return order.id
    finally:
        await database.dispose()


def test_a_completed_order_whose_money_stayed_in_escrow_is_printed(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    order_id = asyncio.run(_complete_an_order_paid_80_that_was_never_settled(database_url))
    assert main(["ledger", "check", "--offline"]) == 1
    out = capsys.readouterr().out
    assert "ledger check: 1 discrepancy(ies)" in out
    assert f"  escrow_left: order {order_id}: completed, 80 ⭐ left in escrow" in out


def test_without_a_bot_token_telegram_cannot_be_asked_so_it_says_to_go_offline(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["ledger", "check"]) == 3
    assert "no bot token" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["ledger"], ["ledger", "check"]])
def test_the_ledger_commands_have_help(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", *command, "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "usage: shopbot ledger" in result.stdout
