"""Telegram's JSON shapes (User, Chat, Message, PhotoSize, ...) built from the world's objects."""

from __future__ import annotations

from typing import Any

from sandbox.state import BotIdentity, Chat, Invoice, SimMessage, SimUser, StoredFile, World


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def attrs(obj: object, *names: str, **renamed: str) -> dict[str, Any]:
    """``{name: obj.name}`` for each name, then ``{key: obj.<attribute>}`` for each ``key="attribute"``."""
    data = {name: getattr(obj, name) for name in names}
    data.update({key: getattr(obj, attribute) for key, attribute in renamed.items()})
    return data


_USER_NAMES = ("first_name", "last_name", "username")


def user_json(user: SimUser) -> dict[str, Any]:
    return _drop_none({"id": user.id, "is_bot": False, **attrs(user, *_USER_NAMES, "language_code")})


def bot_user_json(bot: BotIdentity) -> dict[str, Any]:
    return {"id": bot.id, "is_bot": True, "first_name": bot.first_name, "username": bot.username}


def bot_member_json(bot: BotIdentity, *, kicked: bool) -> dict[str, Any]:
    """The bot's ChatMember in a private chat: "kicked" while the user has blocked it."""
    if kicked:
        return {"status": "kicked", "user": bot_user_json(bot), "until_date": 0}
    return {"status": "member", "user": bot_user_json(bot)}


def get_me_json(bot: BotIdentity) -> dict[str, Any]:
    return {
        **bot_user_json(bot),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": True,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def chat_json(user: SimUser) -> dict[str, Any]:
    return _drop_none({"id": user.id, "type": "private", **attrs(user, *_USER_NAMES)})


def group_chat_json(chat: Chat) -> dict[str, Any]:
    return {"id": chat.id, "type": "supergroup" if chat.supergroup else "group", "title": chat.title}


def bot_group_member_json(bot: BotIdentity, *, member: bool) -> dict[str, Any]:
    """The bot's ChatMember in a group: a plain member (privacy mode on), or gone ("left")."""
    return {"status": "member" if member else "left", "user": bot_user_json(bot)}


def chat_full_info_json(user: SimUser) -> dict[str, Any]:
    return {
        **chat_json(user),
        "accent_color_id": user.id % 7,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": True,
            "limited_gifts": True,
            "unique_gifts": True,
            "premium_subscription": True,
            "gifts_from_channels": True,
        },
    }


def photo_sizes_json(stored: StoredFile) -> list[dict[str, Any]]:
    return [attrs(stored, "file_id", "file_unique_id", "width", "height", file_size="size")]


def document_json(stored: StoredFile) -> dict[str, Any]:
    return _drop_none(attrs(stored, "file_id", "file_unique_id", "file_name", "mime_type", file_size="size"))


def file_json(stored: StoredFile) -> dict[str, Any]:
    return attrs(stored, "file_id", "file_unique_id", file_size="size", file_path="file_path")


def invoice_json(invoice: Invoice) -> dict[str, Any]:
    return {
        **attrs(invoice, "title", "description"),
        "start_parameter": invoice.start_parameter or "",
        **attrs(invoice, "currency", "total_amount"),
    }


def message_json(world: World, message: SimMessage) -> dict[str, Any]:
    chat = world.chats[message.chat_id]
    user = chat.user
    sender = world.users.get(message.sender_id) if message.sender_id is not None else None
    data: dict[str, Any] = {
        "message_id": message.message_id,
        "from": bot_user_json(world.bot) if message.from_bot else user_json(sender or user),
        "chat": group_chat_json(chat) if chat.is_group else chat_json(user),
        "date": message.date,
    }
    if message.via_bot:
        data["via_bot"] = bot_user_json(world.bot)
    if message.edit_date is not None:
        data["edit_date"] = message.edit_date
    if message.reply_to_message_id is not None:
        replied = world.chats[message.chat_id].messages.get(message.reply_to_message_id)
        if replied is not None and replied.message_id != message.message_id:
            replied_json = message_json(world, replied)
            replied_json.pop("reply_to_message", None)  # Telegram nests only one level
            data["reply_to_message"] = replied_json
    if message.media_group_id:
        data["media_group_id"] = message.media_group_id
    if message.text is not None:
        data["text"] = message.text.text
        if message.text.entities:
            data["entities"] = list(message.text.entities)
    if message.caption is not None:
        data["caption"] = message.caption.text
        if message.caption.entities:
            data["caption_entities"] = list(message.caption.entities)
    if message.photo:
        data["photo"] = message.photo
    if message.document:
        data["document"] = message.document
    if message.invoice:
        data["invoice"] = invoice_json(message.invoice)
    if message.successful_payment:
        data["successful_payment"] = message.successful_payment
    if message.refunded_payment:
        data["refunded_payment"] = message.refunded_payment
    # Only inline keyboards are part of a Message object; reply keyboards live in the client.
    if message.inline_keyboard is not None:
        data["reply_markup"] = {"inline_keyboard": message.inline_keyboard}
    return data
