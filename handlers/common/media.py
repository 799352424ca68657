"""Sending a set of photos the way Telegram allows (albums of at most ten, one photo on its own), and charts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from telegram import InlineKeyboardMarkup, InputMediaPhoto, Update
from telegram.constants import ParseMode

from handlers.common.deps import Context

MEDIA_GROUP_MAX = 10


def albums(photos: Sequence[str]) -> list[Sequence[str]]:
    """``photos`` cut into the batches Telegram takes as one album."""
    return [photos[start : start + MEDIA_GROUP_MAX] for start in range(0, len(photos), MEDIA_GROUP_MAX)]


async def send_album(context: Context, chat_id: int, batch: Sequence[str], caption: str) -> None:
    """One batch of photos (file ids): a photo on its own, or an album with the caption on its first photo."""
    if len(batch) == 1:
        await context.bot.send_photo(chat_id, batch[0], caption=caption)
    else:
        media = [InputMediaPhoto(file_id, caption=caption if i == 0 else None) for i, file_id in enumerate(batch)]
        await context.bot.send_media_group(chat_id, media)


async def send_photo_albums(context: Context, chat_id: int, photos: Sequence[str], caption: str) -> None:
    """Send ``photos`` (file ids) as albums of up to ten, the caption on the first photo of each."""
    for batch in albums(photos):
        await send_album(context, chat_id, batch, caption)


async def send_chart(
    update: Update,
    context: Context,
    draw: Callable[[], bytes],
    caption: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """A chart drawn off the event loop (matplotlib is CPU-bound), sent as a photo under its caption."""
    png = await asyncio.to_thread(draw)
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_photo(chat.id, photo=png, caption=caption, parse_mode=ParseMode.HTML, reply_markup=markup)
