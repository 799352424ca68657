"""What a simulated user can do: write, send files, press buttons, pay, query inline, block the bot.

Each action changes the world and queues the update Telegram would send to the bot.
"""

from __future__ import annotations

import re
from typing import Any

from sandbox.checkout import start_checkout
from sandbox.context import SandboxContext
from sandbox.errors import DriverError
from sandbox.files import store_bytes
from sandbox.serialize import (
    bot_member_json,
    chat_json,
    document_json,
    message_json,
    photo_sizes_json,
    user_json,
)
from sandbox.state import Chat, PendingQuery, SimMessage, SimUser, now_ts
from sandbox.telegram_html import FormattedText, utf16_len

_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,64})?(?=\s|$)")


def user_chat(ctx: SandboxContext, user_id: int) -> Chat:
    chat = ctx.world.chats.get(user_id)
    if chat is None:
        raise DriverError(f"unknown user {user_id}", 404)
    return chat


def command_entities(text: str) -> tuple[dict[str, Any], ...]:
    """A message starting with ``/command`` carries a bot_command entity, as Telegram adds one."""
    match = _COMMAND_RE.match(text)
    if not match:
        return ()
    return ({"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))},)


def _user_writes(ctx: SandboxContext, chat: Chat) -> None:
    """Writing to a blocked bot means restarting it first, as the Telegram app does."""
    if chat.user.blocked:
        set_blocked(ctx, chat.user.id, blocked=False)
    chat.user.started = True


def _post_user_message(ctx: SandboxContext, chat: Chat, **fields: Any) -> SimMessage:
    _user_writes(ctx, chat)
    message = ctx.world.add_message(chat, from_bot=False, **fields)
    keyboard = chat.reply_keyboard
    if keyboard and keyboard.get("one_time_keyboard"):
        chat.reply_keyboard = None
    ctx.world.enqueue_update("message", message_json(ctx.world, message))
    return message


def send_text(ctx: SandboxContext, user_id: int, text: str, *, reply_to: int | None = None) -> SimMessage:
    if not text.strip():
        raise DriverError("message text is empty")
    chat = user_chat(ctx, user_id)
    return _post_user_message(
        ctx,
        chat,
        text=FormattedText(text, command_entities(text)),
        text_source=text,
        reply_to_message_id=reply_to,
    )


def send_file(
    ctx: SandboxContext,
    user_id: int,
    data: bytes,
    file_name: str | None,
    mime_type: str | None,
    caption: str | None,
    *,
    as_photo: bool,
) -> SimMessage:
    """A photo or a document the user sends, stored so the bot can getFile and download it."""
    chat = user_chat(ctx, user_id)
    stored = store_bytes(ctx.world, data, file_name=file_name, mime_type=mime_type, as_photo=as_photo)
    attachment = {"photo": photo_sizes_json(stored)} if as_photo else {"document": document_json(stored)}
    return _post_user_message(
        ctx, chat, caption=FormattedText(caption) if caption else None, caption_source=caption, **attachment
    )


def _find_button(
    message: SimMessage, text: str | None, callback_data: str | None, exact: bool
) -> dict[str, Any] | None:
    buttons = [b for row in message.inline_keyboard or [] for b in row]
    if callback_data is not None:
        return next((b for b in buttons if b.get("callback_data") == callback_data), None)
    if text is None:
        return None
    found = next((b for b in buttons if b.get("text") == text), None)
    if found is None and not exact:
        needle = text.casefold()
        found = next((b for b in buttons if needle in str(b.get("text", "")).casefold()), None)
    return found


def press_button(
    ctx: SandboxContext,
    user_id: int,
    *,
    text: str | None = None,
    callback_data: str | None = None,
    message_id: int | None = None,
    exact: bool = False,
) -> tuple[SimMessage, dict[str, Any], PendingQuery | None]:
    """Press an inline button on ``message_id``, or on the newest bot message that has it."""
    if text is None and callback_data is None:
        raise DriverError("give the button's text or its callback_data")
    chat = user_chat(ctx, user_id)
    if message_id is not None:
        message = chat.messages.get(message_id)
        if message is None or message.deleted:
            raise DriverError(f"no message {message_id} in chat {user_id}", 404)
        candidates = [message]
    else:
        candidates = [m for m in reversed(chat.messages.values()) if m.from_bot and not m.deleted]
    for message in candidates:
        button = _find_button(message, text, callback_data, exact)
        if button is not None:
            break
    else:
        label = f"callback_data {callback_data!r}" if callback_data is not None else repr(text)
        raise DriverError(f"no inline button {label} in chat {user_id}", 404)
    if "callback_data" not in button:
        return message, button, None
    _user_writes(ctx, chat)
    query = ctx.world.new_query("callback_query", user_id, message_id=message.message_id, data=button["callback_data"])
    ctx.world.enqueue_update(
        "callback_query",
        {
            "id": query.id,
            "from": user_json(chat.user),
            "message": message_json(ctx.world, message),
            "chat_instance": str(-(10**12) - chat.id),
            "data": button["callback_data"],
        },
    )
    return message, button, query


def find_invoice_message(ctx: SandboxContext, user_id: int, message_id: int | None) -> SimMessage:
    chat = user_chat(ctx, user_id)
    if message_id is not None:
        message = chat.messages.get(message_id)
        if message is None or message.invoice is None or message.deleted:
            raise DriverError(f"message {message_id} in chat {user_id} is not an invoice", 404)
        return message
    for message in reversed(chat.messages.values()):
        if message.invoice is not None and not message.deleted and message.invoice.paid_charge_id is None:
            return message
    raise DriverError(f"no unpaid invoice in chat {user_id}", 404)


def begin_payment(
    ctx: SandboxContext, user_id: int, message_id: int | None = None, *, lose_update: bool = False
) -> PendingQuery:
    """The user presses Pay; ``lose_update`` (a test's fault) charges them but never delivers the payment."""
    message = find_invoice_message(ctx, user_id, message_id)
    chat = user_chat(ctx, user_id)
    _user_writes(ctx, chat)
    assert message.invoice is not None
    query = start_checkout(ctx, chat, message.invoice)
    query.lose_payment_update = lose_update
    return query


def begin_inline_query(ctx: SandboxContext, user_id: int, query_text: str, offset: str = "") -> PendingQuery:
    chat = user_chat(ctx, user_id)
    query = ctx.world.new_query("inline_query", user_id, data=query_text)
    ctx.world.enqueue_update(
        "inline_query",
        {
            "id": query.id,
            "from": user_json(chat.user),
            "query": query_text,
            "offset": offset,
            "chat_type": "sender",
        },
    )
    return query


def expire_query(ctx: SandboxContext, query: PendingQuery) -> dict[str, Any]:
    """The user stopped waiting: a late answer gets "query is too old"."""
    query.expired = True
    if query.kind == "pre_checkout_query":
        chat = user_chat(ctx, query.user_id)
        ctx.world.add_system(chat, "payment_error", "The bot did not confirm the payment in time")
    return {"status": "timeout"}


def set_blocked(ctx: SandboxContext, user_id: int, *, blocked: bool) -> SimUser:
    chat = user_chat(ctx, user_id)
    user = chat.user
    if user.blocked == blocked:
        return user
    user.blocked = blocked
    ctx.world.add_system(
        chat,
        "blocked" if blocked else "unblocked",
        "You blocked the bot" if blocked else "You restarted the bot",
    )
    ctx.world.enqueue_update(
        "my_chat_member",
        {
            "chat": chat_json(user),
            "from": user_json(user),
            "date": now_ts(),
            "old_chat_member": bot_member_json(ctx.world.bot, kicked=not blocked),
            "new_chat_member": bot_member_json(ctx.world.bot, kicked=blocked),
        },
    )
    return user
