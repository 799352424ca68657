"""Webhook mode at scale: two ``shopbot run --webhook`` processes on one PostgreSQL, behind a round-robin load
balancer that the (sandbox) Telegram posts to, serve a whole buyer → merchant journey: both take updates, each
update is answered once, every alert is delivered once, and the order goes from cart to completed."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.webhook import endpoint_path
from domain.clock import SystemClock
from domain.orders import OrderStatus
from domain.policy import Policy
from domain.routes import Route
from domain.services import Services
from sandbox import ADMIN_ADA_ID, BUYER_ALICE_ID, MERCHANT_BOB_ID, SandboxDriver, SandboxServer
from storage.database import Database
from storage.migrate import upgrade
from storage.models import OrderRow, OutboxRow, PaymentRow
from tests.net import free_port
from tests.reliability.journey import open_market
from tests.reliability.processes import (
    BotProcess,
    RoundRobinProxy,
    bot_environment,
    postgres_url,
    press_data,
    scratch_postgres,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(postgres_url() is None, reason="SHOPBOT_TEST_DATABASE_URL is not set"),
]


@dataclass
class Cluster:
    sandbox: SandboxServer
    proxy: RoundRobinProxy
    workers: list[BotProcess]
    database: Database
    driver: SandboxDriver


@dataclass
class _Seeder:
    """Enough of ``tests.reliability.inprocess.Bot`` for ``open_market``: the services."""

    svc: Services


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[Cluster]:
    base = postgres_url()
    assert base is not None
    async with scratch_postgres(base) as url:
        await upgrade(url)  # once, before two processes would race to
        sandbox = await SandboxServer(query_answer_timeout=30).start()
        database = Database.open(url)
        ports = [free_port(), free_port()]
        proxy = RoundRobinProxy([f"http://127.0.0.1:{port}" for port in ports])
        public = await proxy.start()
        env = bot_environment(sandbox, url)
        workers = [BotProcess(env, port, public, tmp_path / f"worker{n}.log") for n, port in enumerate(ports)]
        driver = SandboxDriver(sandbox.url)
        try:
            for worker in workers:
                await worker.start()
            yield Cluster(sandbox, proxy, workers, database, driver)
        finally:
            for worker in workers:
                await worker.stop()
            await driver.close()
            await proxy.stop()
            await sandbox.stop()
            await database.dispose()


async def outbox_statuses(database: Database, timeout: float = 60.0) -> set[str]:  # noqa: ASYNC109
    """The outbox's statuses once nothing is pending any more (the senders pace each chat at 1 msg/s)."""
    deadline = time.monotonic() + timeout
    while True:
        async with database.engine.connect() as conn:
            statuses = {row[0] for row in await conn.execute(select(OutboxRow.status).distinct())}
        if "pending" not in statuses or time.monotonic() > deadline:
            return statuses
        await asyncio.sleep(0.2)


async def test_two_webhook_workers_on_postgresql_serve_a_whole_journey(cluster: Cluster) -> None:
    sandbox, driver = cluster.sandbox, cluster.driver
    policy = Policy(currency="XTR", root_admin_ids=frozenset({ADMIN_ADA_ID}))
    svc = Services(uow=cluster.database.uow, clock=SystemClock(), policy=policy)
    market = await open_market(_Seeder(svc))
    product = market.product

    # Given Telegram posts to the load balancer (the first worker set it; the second found it set)
    assert sandbox.world.webhook is not None
    assert sandbox.world.webhook.url == cluster.proxy.url + endpoint_path(sandbox.token)

    # When Alice shops: start, browse, open the product, add it, check out with a new address, pay
    await driver.send_text(BUYER_ALICE_ID, "/start")
    await driver.wait_for_message(BUYER_ALICE_ID)
    await driver.send_text(BUYER_ALICE_ID, "/browse")
    await press_data(driver, BUYER_ALICE_ID, "b1:cat:")
    await press_data(driver, BUYER_ALICE_ID, f"b1:p:{product.id}")
    await press_data(driver, BUYER_ALICE_ID, f"b1:add:{product.id}")
    await driver.wait_for_toast(BUYER_ALICE_ID)
    await driver.send_text(BUYER_ALICE_ID, "/cart")
    await press_data(driver, BUYER_ALICE_ID, "b1:co")
    for answer in ("Alice Zhang", "+8613800000000", "1 Nanjing Road, Shanghai"):
        await driver.wait_for_message(BUYER_ALICE_ID)
        await driver.send_text(BUYER_ALICE_ID, answer)
    await press_data(driver, BUYER_ALICE_ID, Route.ADDRESS_CONFIRM.data())  # ✅ on the address read back
    await press_data(driver, BUYER_ALICE_ID, "b1:cfm:")
    invoice = await driver.wait_for_message(BUYER_ALICE_ID, lambda m: m.get("invoice") is not None)
    paid = await driver.pay_invoice(BUYER_ALICE_ID, invoice["message_id"], timeout=30)
    assert paid["status"] == "paid", paid

    # Then Bob is alerted (by whichever worker's outbox sender) and accepts and ships
    await press_data(driver, MERCHANT_BOB_ID, "o1:acc:", timeout=30)
    async with cluster.database.uow(read_only=True) as uow:
        (order,) = await uow.orders.for_buyer(BUYER_ALICE_ID, limit=5)
    await driver.wait_for_message(BUYER_ALICE_ID, "accepted", timeout=30)
    await driver.send_text(MERCHANT_BOB_ID, f"/ship {order.id} SF Express SF1234567890")
    # and Alice, told it is on its way, confirms receipt
    await press_data(driver, BUYER_ALICE_ID, f"o1:cfm:{order.id}", timeout=30)
    await press_data(driver, BUYER_ALICE_ID, f"o1:cfm:{order.id}:y")
    await driver.wait_for_message(BUYER_ALICE_ID, lambda m: "review" in (m.get("text") or "").lower(), timeout=30)

    # And both workers took updates, the order is complete and was paid once, no alert is left behind
    assert all(cluster.proxy.served[worker.url] > 0 for worker in cluster.workers), cluster.proxy.served
    async with cluster.database.engine.connect() as conn:
        status = await conn.scalar(select(OrderRow.status).where(OrderRow.id == order.id))
        payments = await conn.scalar(select(func.count()).where(PaymentRow.order_id == order.id))
    assert status == OrderStatus.COMPLETED.value
    assert payments == 1
    assert await outbox_statuses(cluster.database) == {"sent"}
    for worker in cluster.workers:
        assert "Traceback" not in worker.log(), worker.log()[-3000:]
