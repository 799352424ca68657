"""A user who floods the bot slows only themself: past the limit they are told once and then ignored, while
everyone else is served as usual — and money is never dropped, however fast it comes."""

from __future__ import annotations

from pathlib import Path

from sandbox import BUYER_ALICE_ID, BUYER_XIAOMING_ID
from tests.reliability.inprocess import running_bot
from tests.reliability.journey import open_market


async def test_a_flood_slows_only_the_flooder_and_never_a_payment(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        market = await open_market(bot)
        limit = bot.settings.user_rate_limit
        # When Alice sends twice the limit of /help in a burst while Xiaoming asks a few times
        for n in range(2 * limit):
            await bot.say(BUYER_ALICE_ID, "/help")
            if n % 8 == 0:
                await bot.say(BUYER_XIAOMING_ID, "/help")
        # and then, still inside the window, a pre-checkout query for an invoice arrives
        check = bot.updates.pre_checkout(BUYER_ALICE_ID, "o:999999", market.product.price.amount, "XTR")
        await bot.deliver(check)

        alice = bot.api.texts_to(BUYER_ALICE_ID)
        xiaoming = bot.api.texts_to(BUYER_XIAOMING_ID)
        slow_downs = [body for body in alice if "Slow down" in body]
        # Then Alice got the first limit answers and one "slow down", Xiaoming every answer
        assert len(slow_downs) == 1
        assert len(alice) == limit + 1
        assert len(xiaoming) == len(range(0, 2 * limit, 8))
        # and the pre-checkout query was still answered
        answers = [c for c in bot.api.sent if c.method == "answerPreCheckoutQuery" and c.chat_id == BUYER_ALICE_ID]
        assert len(answers) == 1
