"""A tiny python-telegram-bot Application used to exercise the sandbox as a real bot would."""

from __future__ import annotations

import asyncio
import contextlib
import html
from collections.abc import AsyncIterator

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LabeledPrice,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChosenInlineResultHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    PreCheckoutQueryHandler,
    filters,
)

from sandbox import SandboxServer

START_KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("👍 Like", callback_data="like")],
        [InlineKeyboardButton("Open site", url="https://example.org/shop")],
    ]
)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    payload = " ".join(context.args or [])
    suffix = f" (from link <code>{html.escape(payload)}</code>)" if payload else ""
    await update.effective_message.reply_text(
        f"<b>Welcome</b>, {html.escape(update.effective_user.first_name)}!{suffix}",
        parse_mode=ParseMode.HTML,
        reply_markup=START_KEYBOARD,
    )


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(
        f"You said: <i>{html.escape(update.effective_message.text)}</i>", parse_mode=ParseMode.HTML
    )


async def liked(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer("Thanks for the like!")
    await query.edit_message_text(
        "Liked ❤️", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Undo", callback_data="undo")]])
    )


async def photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    file = await update.effective_message.photo[-1].get_file()
    data = await file.download_as_bytearray()
    await update.effective_message.reply_text(f"Got a photo of {len(data)} bytes")


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    doc = update.effective_message.document
    data = await (await doc.get_file()).download_as_bytearray()
    await update.effective_message.reply_text(f"Got {doc.file_name} ({len(data)} bytes)")


async def buy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    payload = (context.args or ["order-1"])[0]
    await update.effective_message.reply_invoice(
        title="Tea set",
        description="Six cups\nand a pot",
        payload=payload,
        currency="XTR",
        prices=[LabeledPrice("Tea set", 25)],
    )


async def pre_checkout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.pre_checkout_query
    if query.invoice_payload.startswith("soldout"):
        await query.answer(ok=False, error_message="Sorry, sold out")
    else:
        await query.answer(ok=True)


async def paid(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    payment = update.effective_message.successful_payment
    context.bot_data.setdefault("charges", []).append(payment.telegram_payment_charge_id)
    await update.effective_message.reply_text(
        f"Paid {payment.total_amount} {payment.currency}, charge {payment.telegram_payment_charge_id}"
    )


async def share(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Buttons that switch to inline mode: pick a chat, or stay in this one."""
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("📤 Share tea", switch_inline_query="tea")],
            [InlineKeyboardButton("Try here", switch_inline_query_current_chat="tea")],
        ]
    )
    await update.effective_message.reply_text("Share our tea with a friend", reply_markup=keyboard)


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    words = query.query.strip() or "anything"
    card = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Open in bot", url=f"https://t.me/{context.bot.username}?start=tea")],
            [InlineKeyboardButton("🔥 Hot", callback_data="hot")],
        ]
    )
    results = [
        InlineQueryResultArticle(
            id=f"{kind}-{words}"[:64],
            title=f"{kind.title()} {words}",
            description=f"{kind} {words} ({query.chat_type})",
            input_message_content=InputTextMessageContent(
                f"<b>{html.escape(kind.title())} {html.escape(words)}</b>\nfrom our shop", parse_mode=ParseMode.HTML
            ),
            reply_markup=card,
        )
        for kind in ("green", "black")
    ]
    await query.answer(results, cache_time=0, is_personal=True)


async def hot(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press on a card posted with inline mode: edited by its inline_message_id (it has no chat for the bot)."""
    query = update.callback_query
    await query.answer("🔥 noted")
    await query.edit_message_text(f"🔥 {query.from_user.first_name} likes this tea")


async def chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    result = update.chosen_inline_result
    context.bot_data.setdefault("chosen", []).append((result.result_id, result.query, result.inline_message_id))
    context.bot_data.setdefault("chosen_event", asyncio.Event()).set()


def build_echo_app(server: SandboxServer) -> Application:
    app = (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.bot_base_url)
        .base_file_url(server.file_base_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("buy", buy))
    app.add_handler(CommandHandler("share", share))
    app.add_handler(CallbackQueryHandler(liked, pattern="^like$"))
    app.add_handler(CallbackQueryHandler(hot, pattern="^hot$"))
    app.add_handler(InlineQueryHandler(inline_query))
    app.add_handler(ChosenInlineResultHandler(chosen))
    app.add_handler(PreCheckoutQueryHandler(pre_checkout))
    app.add_handler(MessageHandler(filters.SUCCESSFUL_PAYMENT, paid))
    app.add_handler(MessageHandler(filters.PHOTO, photo))
    app.add_handler(MessageHandler(filters.Document.ALL, document))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


@contextlib.asynccontextmanager
async def running_echo_app(server: SandboxServer) -> AsyncIterator[Application]:
    """The echo bot polling the sandbox; stopped cleanly on exit."""
    app = build_echo_app(server)
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
