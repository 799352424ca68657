"""Input nobody planned for is answered, bounded and escaped: unknown commands and dead buttons get a reply, a
file too big to download is refused before any step reads it, and user text never becomes markup."""

from __future__ import annotations

from pathlib import Path

from sandbox import BUYER_ALICE_ID
from tests.reliability.inprocess import running_bot
from tests.reliability.journey import check_out, open_market


async def test_unknown_commands_and_dead_buttons_are_answered(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        await bot.say(BUYER_ALICE_ID, "/teleport now")
        await bot.press(BUYER_ALICE_ID, "zz9:warp:1")

        messages = [c.text for c in bot.api.sent if c.method == "sendMessage" and c.chat_id == BUYER_ALICE_ID]
        assert "/teleport" in messages[-1]
        toast = [c for c in bot.api.sent if c.method == "answerCallbackQuery" and c.chat_id == BUYER_ALICE_ID]
        assert toast and "no longer" in str(toast[-1].params.get("text"))


async def test_a_file_too_big_to_download_is_refused_and_the_step_waits(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        await bot.say(BUYER_ALICE_ID, "/addresses")
        await bot.press(BUYER_ALICE_ID, "b1:ana")  # add an address: the flow now waits for a name
        before = await bot.flow_data(BUYER_ALICE_ID)
        huge = bot.updates.document(BUYER_ALICE_ID, "d1", file_name="x.pdf", mime_type="application/pdf", size=50 << 20)

        await bot.deliver(huge)

        assert "too big" in bot.api.texts_to(BUYER_ALICE_ID)[-1]
        assert await bot.flow_data(BUYER_ALICE_ID) == before


async def test_user_text_is_escaped_wherever_it_is_shown(tmp_path: Path) -> None:
    async with running_bot(tmp_path) as bot:
        market = await open_market(bot)
        await check_out(bot, market, '<a href="http://evil">Alice</a>', "+8613800000000", "<b>1 Road</b> & <i>co</i>")

        review = bot.api.texts_to(BUYER_ALICE_ID)[-1]
        assert "&lt;a href=" in review and "<a href" not in review
        assert "&lt;b&gt;1 Road&lt;/b&gt; &amp; &lt;i&gt;co&lt;/i&gt;" in review
