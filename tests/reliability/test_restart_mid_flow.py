"""Conversations live in the database: a bot restarted in the middle of a checkout picks up where the buyer
was, and the buyer's next answer lands in the step they were at."""

from __future__ import annotations

from pathlib import Path

from domain.routes import Route
from sandbox import BUYER_ALICE_ID
from tests.reliability.inprocess import running_bot
from tests.reliability.journey import check_out, open_market, type_address


async def test_a_restart_mid_checkout_resumes_at_the_same_step(tmp_path: Path) -> None:
    # Given Alice is half-way through typing a delivery address at checkout when the bot goes down
    async with running_bot(tmp_path) as bot:
        market = await open_market(bot)
        await check_out(bot, market, "Alice Zhang")
        asked_before = bot.api.texts_to(BUYER_ALICE_ID)[-1]

    # When a fresh process starts on the same database and she answers the question she was asked
    async with running_bot(tmp_path) as restarted:
        restarted.updates = type(restarted.updates)(first_update_id=10_000)  # Telegram's ids go on counting
        await type_address(restarted, "+8613800000000", "1 Nanjing Road, Shanghai")
        await restarted.press(BUYER_ALICE_ID, Route.ADDRESS_CONFIRM.data())
        review = restarted.api.texts_to(BUYER_ALICE_ID)[-1]
        data = await restarted.flow_data(BUYER_ALICE_ID)

    # Then the checkout went on from the phone step to the review, with the name she typed before the restart
    assert "phone" in asked_before.lower()
    assert "Alice Zhang" in review and "1 Nanjing Road" in review
    assert data.get("nonce"), "the checkout should now wait for the confirmation"
