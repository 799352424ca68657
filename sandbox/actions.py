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
    bot_group_member_json,
    bot_member_json,
    chat_json,
    document_json,
    group_chat_json,
    message_json,
    photo_sizes_json,
    user_json,
)
from sandbox.state import Chat, PendingQuery, SimMessage, SimUser, now_ts
from sandbox.telegram_html import FormattedText, utf16_len
from sandbox.texts import say

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


def post_user_message(ctx: SandboxContext, chat: Chat, **fields: Any) -> SimMessage:
    """The user sends ``fields`` as a message in their chat with the bot, which gets it as an update."""
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
    return post_user_message(
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
    return post_user_message(
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


def _callback_json(
    ctx: SandboxContext, chat: Chat, message: SimMessage, query_id: str, data: str, presser: SimUser | None = None
) -> dict[str, Any]:
    """A press on a message the bot sent carries the message; on one posted with inline mode, its inline id. In a
    group chat, ``presser`` is the member who pressed."""
    chat_instance = -(10**12) - (chat.id if message.sender_id is None else chat.id * message.sender_id)
    sender = presser or chat.user
    payload: dict[str, Any] = {"id": query_id, "from": user_json(sender), "chat_instance": str(chat_instance)}
    if message.inline_message_id is not None:
        payload["inline_message_id"] = message.inline_message_id
    else:
        payload["message"] = message_json(ctx.world, message)
    return {**payload, "data": data}


def press_button(
    ctx: SandboxContext,
    user_id: int,
    *,
    text: str | None = None,
    callback_data: str | None = None,
    message_id: int | None = None,
    exact: bool = False,
    group_id: int | None = None,
) -> tuple[SimMessage, dict[str, Any], PendingQuery | None]:
    """Press an inline button on ``message_id``, or on the newest bot message that has it (in the group chat
    ``group_id`` when given: the user must be in it)."""
    if text is None and callback_data is None:
        raise DriverError("give the button's text or its callback_data")
    chat = group_chat(ctx, group_id, user_id) if group_id is not None else user_chat(ctx, user_id)
    if message_id is not None:
        message = chat.messages.get(message_id)
        if message is None or message.deleted:
            raise DriverError(f"no message {message_id} in chat {user_id}", 404)
        candidates = [message]
    else:
        candidates = [m for m in reversed(chat.messages.values()) if (m.from_bot or m.via_bot) and not m.deleted]
    for message in candidates:
        button = _find_button(message, text, callback_data, exact)
        if button is not None:
            break
    else:
        label = f"callback_data {callback_data!r}" if callback_data is not None else repr(text)
        raise DriverError(f"no inline button {label} in chat {user_id}", 404)
    if "callback_data" not in button:
        return message, button, None
    if chat.is_group and not chat.has_bot:
        raise DriverError(f"the bot is not in group chat {chat.id}: nobody answers its buttons", 409)
    if message.sender_id is None and not chat.is_group:
        _user_writes(ctx, chat)  # a press in another user's chat does not touch this user's chat with the bot
    query = ctx.world.new_query(
        "callback_query",
        user_id,
        message_id=message.message_id,
        data=button["callback_data"],
        group_id=chat.id if chat.is_group else None,
    )
    presser = ctx.world.users[user_id] if chat.is_group else None
    update = _callback_json(ctx, chat, message, query.id, button["callback_data"], presser)
    ctx.world.enqueue_update("callback_query", update)
    return message, button, query


# ---- group chats ------------------------------------------------------------------------------------------------
# The bot runs in privacy mode, as bots do by default (getMe: can_read_all_group_messages false): in a group it gets
# commands meant for it, replies to its own messages and its own membership changes (my_chat_member), not the
# members' chatter. Only the group's creator (its admin) may remove the bot; any member may add it.


def group_chat(ctx: SandboxContext, chat_id: int, user_id: int | None = None) -> Chat:
    """The group chat ``chat_id``; with ``user_id``, that user must be one of its members."""
    chat = ctx.world.chats.get(chat_id)
    if chat is None or not chat.is_group:
        raise DriverError(f"unknown group chat {chat_id}", 404)
    if user_id is not None and user_id not in chat.members:
        raise DriverError(f"user {user_id} is not in group chat {chat_id}", 403)
    return chat


def _member_name(ctx: SandboxContext, user_id: int) -> str:
    return ctx.world.users[user_id].first_name


def _bot_membership(ctx: SandboxContext, chat: Chat, by: int, *, member: bool) -> None:
    """The bot joins or leaves: it gets my_chat_member, and the group shows who did it."""
    chat.user.blocked = not member
    user = ctx.world.users[by]
    ctx.world.enqueue_update(
        "my_chat_member",
        {
            "chat": group_chat_json(chat),
            "from": user_json(user),
            "date": now_ts(),
            "old_chat_member": bot_group_member_json(ctx.world.bot, member=not member),
            "new_chat_member": bot_group_member_json(ctx.world.bot, member=member),
        },
    )
    key = "bot_added" if member else "bot_removed"
    text = say(user, key, name=user.first_name, bot=ctx.world.bot.username)
    ctx.world.add_system(chat, key, text, user_id=by)


def create_group(
    ctx: SandboxContext,
    title: str,
    by: int,
    members: list[int],
    *,
    with_bot: bool,
    supergroup: bool = False,
    chat_id: int | None = None,
) -> Chat:
    """``by`` creates a group chat (a new id unless ``chat_id``) with ``members``; with the bot in it from the start
    (it gets my_chat_member) or not."""
    title = title.strip()
    if not title:
        raise DriverError("a group chat needs a title")
    for user_id in (by, *members):
        user_chat(ctx, user_id)  # every member is a known user
    if chat_id is None:
        chat_id = ctx.world.new_group_id(supergroup=supergroup)
    elif chat_id >= 0:
        raise DriverError("a group chat's id is negative")
    elif chat_id in ctx.world.chats:
        raise DriverError(f"chat {chat_id} already exists", 409)
    chat = ctx.world.add_group(chat_id, title, [by, *(m for m in members if m != by)], supergroup=supergroup)
    creator = ctx.world.users[by]
    ctx.world.add_system(chat, "group_created", say(creator, "group_created", name=creator.first_name), user_id=by)
    if with_bot:
        _bot_membership(ctx, chat, by, member=True)
    return chat


def add_bot(ctx: SandboxContext, chat_id: int, by: int) -> Chat:
    """The member ``by`` adds the bot to the group: it gets my_chat_member ("left" -> "member")."""
    chat = group_chat(ctx, chat_id, by)
    if chat.has_bot:
        raise DriverError(f"the bot is already in group chat {chat_id}", 409)
    _bot_membership(ctx, chat, by, member=True)
    return chat


def add_bot_to_group(ctx: SandboxContext, chat_id: int, title: str, by: int, members: list[int]) -> Chat:
    """``by`` creates the group ``chat_id`` with ``members`` and the bot in it: it gets a my_chat_member update."""
    return create_group(ctx, title, by, members, with_bot=True, chat_id=chat_id)


def remove_bot_from_group(ctx: SandboxContext, chat_id: int, by: int) -> Chat:
    """The group's admin ``by`` removes the bot: a my_chat_member update ("left"); sending there is then refused."""
    chat = group_chat(ctx, chat_id, by)
    if not chat.has_bot:
        raise DriverError(f"the bot is not in group chat {chat_id}", 409)
    if by != chat.creator:
        raise DriverError(f"only the group's admin ({_member_name(ctx, chat.creator or by)}) can remove the bot", 403)
    _bot_membership(ctx, chat, by, member=False)
    return chat


def _bot_sees(ctx: SandboxContext, chat: Chat, text: str, reply_to: SimMessage | None) -> bool:
    """Privacy mode: a command to this bot (``/cmd`` or ``/cmd@this_bot``, not ``/cmd@other_bot``), or a reply to
    one of the bot's messages."""
    if not chat.has_bot:
        return False
    if reply_to is not None and reply_to.from_bot:
        return True
    match = _COMMAND_RE.match(text)
    if not match:
        return False
    _, _, addressee = match.group(0).partition("@")
    return not addressee or addressee.casefold() == ctx.world.bot.username.casefold()


def send_group_text(
    ctx: SandboxContext, chat_id: int, user_id: int, text: str, *, reply_to: int | None = None
) -> SimMessage:
    """A member writes in the group (``reply_to``: replying to that message). Everyone in it sees the message; the
    bot gets it as an update only when privacy mode lets it through."""
    if not text.strip():
        raise DriverError("message text is empty")
    chat = group_chat(ctx, chat_id, user_id)
    replied = chat.messages.get(reply_to) if reply_to is not None else None
    if reply_to is not None and (replied is None or replied.deleted):
        raise DriverError(f"no message {reply_to} in group chat {chat_id}", 404)
    message = ctx.world.add_message(
        chat,
        from_bot=False,
        text=FormattedText(text, command_entities(text)),
        text_source=text,
        sender_id=user_id,
        reply_to_message_id=reply_to,
    )
    if _bot_sees(ctx, chat, text, replied):
        ctx.world.enqueue_update("message", message_json(ctx.world, message))
    return message


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


def begin_inline_query(
    ctx: SandboxContext, user_id: int, query_text: str, offset: str = "", chat_type: str = "sender"
) -> PendingQuery:
    """``@bot query`` typed in the user's chat with the bot (``chat_type`` "sender") or with another user
    ("private"), as a ``switch_inline_query`` button does after the user picked the chat."""
    chat = user_chat(ctx, user_id)
    query = ctx.world.new_query("inline_query", user_id, data=query_text)
    ctx.world.enqueue_update(
        "inline_query",
        {
            "id": query.id,
            "from": user_json(chat.user),
            "query": query_text,
            "offset": offset,
            "chat_type": chat_type,
        },
    )
    return query


def expire_query(ctx: SandboxContext, query: PendingQuery) -> dict[str, Any]:
    """The user stopped waiting: a late answer gets "query is too old"."""
    query.expired = True
    if query.kind == "pre_checkout_query":
        chat = user_chat(ctx, query.user_id)
        ctx.world.add_system(chat, "payment_error", say(chat.user, "not_confirmed"))
    return {"status": "timeout"}


def set_blocked(ctx: SandboxContext, user_id: int, *, blocked: bool) -> SimUser:
    chat = user_chat(ctx, user_id)
    user = chat.user
    if user.blocked == blocked:
        return user
    user.blocked = blocked
    ctx.world.add_system(chat, "blocked" if blocked else "unblocked", say(user, "blocked" if blocked else "restarted"))
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
