"""What a user sees, as JSON for the driver and the web page: the chat transcript and the menu."""

from __future__ import annotations

from typing import Any

from sandbox.serialize import attrs
from sandbox.state import Chat, SimMessage, SimUser, SystemEntry, World
from sandbox.telegram_html import FormattedText, render_html


def user_view(user: SimUser) -> dict[str, Any]:
    return attrs(user, "id", "first_name", "last_name", "username", "language_code", "blocked", "started")


def _html(formatted: FormattedText | None) -> str | None:
    return render_html(formatted) if formatted is not None else None


_BUTTON_FIELDS = frozenset(
    {
        "text",
        "callback_data",
        "url",
        "pay",
        "copy_text",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
    }
)


def _sender(world: World, message: SimMessage) -> tuple[str, dict[str, Any] | None]:
    """Who wrote it as the pane shows it: the bot, the pane's user, or another user ("peer", inline mode)."""
    if message.from_bot:
        return "bot", None
    peer = world.users.get(message.sender_id) if message.sender_id is not None else None
    if peer is None:
        return "user", None
    return "peer", attrs(peer, "id", "first_name", "username")


def _inline_keyboard(message: SimMessage) -> list[list[dict[str, Any]]] | None:
    rows = message.inline_keyboard
    if rows is None:
        return None
    return [[{k: v for k, v in button.items() if k in _BUTTON_FIELDS} for button in row] for row in rows]


def message_view(world: World, message: SimMessage) -> dict[str, Any]:
    markup = message.reply_markup or {}
    invoice = message.invoice
    sender, peer = _sender(world, message)
    return {
        "kind": "message",
        "seq": message.seq,
        "created_seq": message.created_seq,
        "message_id": message.message_id,
        "date": message.date,
        "sender": sender,
        "from_user": peer,
        "via_bot": world.bot.username if message.via_bot else None,
        "inline_message_id": message.inline_message_id,
        "from_bot": message.from_bot,
        "text": message.text.text if message.text else None,
        "html": _html(message.text),
        "source": message.text_source,
        "parse_mode": message.parse_mode,
        "caption": message.caption.text if message.caption else None,
        "caption_html": _html(message.caption),
        "caption_source": message.caption_source,
        "inline_keyboard": _inline_keyboard(message),
        "reply_keyboard": markup if "keyboard" in markup else None,
        "remove_keyboard": bool(markup.get("remove_keyboard")),
        "photos": [size["file_id"] for size in message.photo[-1:]] if message.photo else [],
        "photo": message.photo,
        "document": message.document,
        "invoice": (
            {
                **attrs(invoice, "title", "description", "payload", "currency", "prices", "total_amount"),
                "paid": invoice.paid_charge_id is not None,
                "telegram_payment_charge_id": invoice.paid_charge_id,
            }
            if invoice
            else None
        ),
        "successful_payment": message.successful_payment,
        "refunded_payment": message.refunded_payment,
        "media_group_id": message.media_group_id,
        "reply_to_message_id": message.reply_to_message_id,
        "edited": message.edit_count > 0,
        "edit_count": message.edit_count,
        "deleted": message.deleted,
    }


def system_view(entry: SystemEntry) -> dict[str, Any]:
    return {
        **attrs(entry, "kind", "created_seq", "date", "text", "show_alert", "user_id", seq="created_seq"),
        "sender": "system",
        "from_bot": False,
    }


def transcript(world: World, chat: Chat, *, include_deleted: bool = False) -> list[dict[str, Any]]:
    """Messages and system entries (toasts, payment errors, notices) in the order they appeared."""
    entries = [message_view(world, m) for m in chat.messages.values() if include_deleted or not m.deleted] + [
        system_view(e) for e in chat.system
    ]
    return sorted(entries, key=lambda e: e["created_seq"])


def menu_view(world: World, chat: Chat) -> dict[str, Any]:
    button = world.chat_menu_buttons.get(chat.id) or world.default_menu_button or {"type": "commands"}
    return {"commands": world.effective_commands(chat.user), "menu_button": button}


def chat_view(world: World, chat: Chat, *, include_deleted: bool = False) -> dict[str, Any]:
    return {
        "user": user_view(chat.user),
        "seq": chat.seq,
        "world_seq": world.seq,
        "messages": transcript(world, chat, include_deleted=include_deleted),
        "reply_keyboard": chat.reply_keyboard,
        **menu_view(world, chat),
    }


def group_view(world: World, chat: Chat) -> dict[str, Any]:
    """A group chat as the page lists it: title, type, members (the creator first), whether the bot is in it."""
    members = sorted(chat.members, key=lambda user_id: (user_id != chat.creator, user_id))
    return {
        "id": chat.id,
        "title": chat.title,
        "type": "supergroup" if chat.supergroup else "group",
        "creator": chat.creator,
        "members": [user_view(world.users[m]) for m in members if m in world.users],
        "has_bot": chat.has_bot,
        "seq": chat.seq,
    }


def group_chat_view(world: World, chat: Chat, member: SimUser | None = None) -> dict[str, Any]:
    """The group's transcript (members' messages name their sender; the bot's answers to presses name whom they
    told), and the command menu ``member`` sees there."""
    return {
        "group": group_view(world, chat),
        "seq": chat.seq,
        "world_seq": world.seq,
        "messages": transcript(world, chat),
        "commands": world.effective_group_commands(chat, member),
    }
