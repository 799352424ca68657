"""The unsubscribe page of the webhook server: a signed link stops that group's e-mails, once; anything else is
refused and changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram.ext import ApplicationBuilder

from bench.telegram_api import InProcessBotApi
from bot.alerts import UNSUBSCRIBE_PATH, email_links, unsubscribe_handler
from bot.settings import load_settings
from bot.webhook import WebhookServer
from domain.alerts import ALL_GROUPS, AlertPreferences, Channel, EventGroup
from domain.clock import ManualClock
from domain.services import Services
from storage.database import Database

TOKEN = "123456:unsubscribe-test-token"
MERCHANT = 31


@pytest.fixture
async def page(database: Database, clock: ManualClock) -> AsyncIterator[tuple[str, Services]]:
    settings = load_settings(bot_token=TOKEN, public_url="http://shop.example")
    svc = Services(uow=database.uow, clock=clock, policy=settings.policy())
    async with database.uow() as uow:
        await uow.alerts.save(AlertPreferences(MERCHANT, email="bob@tea.example"))
        await uow.commit()
    application = ApplicationBuilder().token(TOKEN).request(InProcessBotApi()).build()
    await application.initialize()
    server = WebhookServer(
        application, path="/hook", secret="s", pages={UNSUBSCRIBE_PATH: unsubscribe_handler(svc, settings)}
    )
    url = await server.start("127.0.0.1", 0)
    try:
        yield url, svc
    finally:
        await server.stop()
        await application.shutdown()


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


async def chosen(svc: Services, group: EventGroup) -> set[Channel]:
    async with svc.uow(read_only=True) as uow:
        prefs = await uow.alerts.get(MERCHANT)
    assert prefs is not None
    return prefs.chosen(group)


async def test_a_signed_link_stops_that_groups_emails_once(page: tuple[str, Services]) -> None:
    url, svc = page
    links = email_links(load_settings(bot_token=TOKEN, public_url=url))
    link = links.unsubscribe(MERCHANT, str(EventGroup.REVIEWS))
    status, body = await get(link)
    assert status == 200 and "You will get no more of these e-mails." in body
    status, body = await get(link)
    assert status == 200 and "already unsubscribed" in body
    assert await chosen(svc, EventGroup.REVIEWS) == {Channel.TELEGRAM}
    assert Channel.EMAIL in await chosen(svc, EventGroup.PAYOUTS)

    status, body = await get(links.unsubscribe(MERCHANT, ALL_GROUPS))
    assert status == 200 and "您将不再收到此类邮件。" in body
    assert [await chosen(svc, group) for group in EventGroup] == [{Channel.TELEGRAM}] * len(EventGroup)


async def test_a_forged_or_foreign_link_is_refused_and_changes_nothing(page: tuple[str, Services]) -> None:
    url, svc = page
    other = email_links(load_settings(bot_token="999:another-bot", public_url=url))
    for link in (other.unsubscribe(MERCHANT, ALL_GROUPS), f"{url}{UNSUBSCRIBE_PATH}?t=31.all.x", f"{url}/unsubscribe"):
        status, body = await get(link)
        assert status == 400 and "This unsubscribe link is not valid." in body
    assert Channel.EMAIL in await chosen(svc, EventGroup.REVIEWS)
