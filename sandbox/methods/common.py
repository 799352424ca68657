"""Rules shared by the methods that send or edit messages."""

from __future__ import annotations

from typing import Any

from sandbox.context import SandboxContext
from sandbox.errors import (
    BOT_BLOCKED,
    CANT_INITIATE,
    MESSAGE_TO_EDIT_NOT_FOUND,
    NOT_IN_GROUP,
    NOT_MODIFIED,
    bad_request,
    forbidden,
)
from sandbox.markup import normalize_reply_markup
from sandbox.params import Params
from sandbox.serialize import message_json
from sandbox.state import Chat, SimMessage, now_ts
from sandbox.telegram_html import FormattedText, HtmlParseError, parse_html, utf16_len

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024


def target_chat(ctx: SandboxContext, p: Params, *, initiating: bool = True) -> Chat:
    """The chat named by ``chat_id``; 400 if unknown, 403 if the user blocked the bot (or it is not in the group)."""
    if "chat_id" not in p:
        raise bad_request("chat_id is empty")
    chat = ctx.world.api_chat(p.raw("chat_id"))
    if chat.is_group and not chat.has_bot:
        raise forbidden(NOT_IN_GROUP.format(kind="supergroup" if chat.supergroup else "group"))
    if chat.user.blocked:
        raise forbidden(BOT_BLOCKED)
    if initiating and ctx.options.strict_first_contact and not chat.user.started:
        raise forbidden(CANT_INITIATE)
    return chat


def parse_formatted(source: str, parse_mode: str | None, entities: Any = None) -> FormattedText:
    """Apply ``parse_mode`` like Telegram; only HTML is parsed, other modes keep the text as given."""
    if parse_mode and parse_mode.lower() == "html":
        try:
            return parse_html(source)
        except HtmlParseError as err:
            raise bad_request(f"can't parse entities: {err}") from None
    if isinstance(entities, list):
        return FormattedText(source, tuple(e for e in entities if isinstance(e, dict)))
    return FormattedText(source)


def message_text(p: Params, *, required: bool) -> tuple[FormattedText | None, str | None]:
    """``text`` + ``parse_mode`` -> (formatted text, source as given)."""
    source = p.str("text")
    if source is None:
        if required:
            raise bad_request("message text is empty")
        return None, None
    formatted = parse_formatted(source, p.str("parse_mode"), p.json("entities"))
    if not formatted.text.strip():
        raise bad_request("message text is empty")
    if utf16_len(formatted.text) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return formatted, source


def caption_of(
    p: Params, field: str = "caption", mode_field: str = "parse_mode"
) -> tuple[FormattedText | None, str | None]:
    source = p.str(field)
    if source is None:
        return None, None
    formatted = parse_formatted(source, p.str(mode_field), p.json("caption_entities"))
    if utf16_len(formatted.text) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    return formatted, source


def reply_markup(p: Params) -> dict[str, Any] | None:
    return normalize_reply_markup(p.json("reply_markup"))


def reply_to(p: Params, chat: Chat) -> int | None:
    message_id = p.int("reply_to_message_id")
    parameters = p.json("reply_parameters")
    if isinstance(parameters, dict) and parameters.get("message_id") is not None:
        message_id = int(parameters["message_id"])
    if message_id is None:
        return None
    target = chat.messages.get(message_id)
    if target is None or target.deleted:
        allow = bool(p.bool("allow_sending_without_reply")) or (
            isinstance(parameters, dict) and bool(parameters.get("allow_sending_without_reply"))
        )
        if not allow:
            raise bad_request("message to be replied not found")
        return None
    return message_id


def deliver(ctx: SandboxContext, chat: Chat, *, markup: dict[str, Any] | None, **fields: Any) -> SimMessage:
    """Count against flood limits, then append a bot message to the chat."""
    ctx.limiter.acquire(chat.id)
    if markup is not None and "keyboard" in markup:
        chat.reply_keyboard = markup
    elif markup is not None and markup.get("remove_keyboard"):
        chat.reply_keyboard = None
    return ctx.world.add_message(chat, from_bot=True, reply_markup=markup, **fields)


def deliver_reply(ctx: SandboxContext, p: Params, chat: Chat, **fields: Any) -> SimMessage:
    """``deliver`` with the request's reply_markup, parse_mode (unless given) and reply_to_message_id."""
    fields.setdefault("parse_mode", p.str("parse_mode"))
    return deliver(ctx, chat, markup=reply_markup(p), reply_to_message_id=reply_to(p, chat), **fields)


def edit_content(
    ctx: SandboxContext, p: Params, chat: Chat, message: SimMessage, field: str, content: tuple[Any, str | None]
) -> dict[str, Any] | bool:
    """editMessageText / editMessageCaption: the new ``field`` (formatted, source) and inline keyboard."""
    value, source = content
    visible = {field: value, "reply_markup": inline_only(reply_markup(p))}
    return apply_edit(ctx, chat, message, visible, {f"{field}_source": source, "parse_mode": p.str("parse_mode")})


def message_to_edit(ctx: SandboxContext, p: Params) -> tuple[Chat, SimMessage]:
    if "inline_message_id" in p:
        return inline_message(ctx, p.req_str("inline_message_id"))
    chat = target_chat(ctx, p, initiating=False)
    message = chat.messages.get(p.req_int("message_id"))
    if message is None or message.deleted:
        raise bad_request(MESSAGE_TO_EDIT_NOT_FOUND)
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return chat, message


def inline_message(ctx: SandboxContext, inline_message_id: str) -> tuple[Chat, SimMessage]:
    """A message a user posted with inline mode, which the bot edits by its ``inline_message_id``."""
    where = ctx.world.inline_messages.get(inline_message_id)
    chat = ctx.world.chats.get(where[0]) if where is not None else None
    message = chat.messages.get(where[1]) if chat is not None and where is not None else None
    if chat is None or message is None or message.deleted:
        raise bad_request(MESSAGE_TO_EDIT_NOT_FOUND)
    return chat, message


def inline_only(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    if markup is not None and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    return markup


def apply_edit(
    ctx: SandboxContext,
    chat: Chat,
    message: SimMessage,
    visible: dict[str, Any],
    bookkeeping: dict[str, Any] | None = None,
) -> dict[str, Any] | bool:
    """Edit in place, or Telegram's "message is not modified" when nothing ``visible`` changes
    (``bookkeeping`` such as the source markup or parse_mode does not count)."""
    if all(getattr(message, name) == value for name, value in visible.items()):
        raise bad_request(NOT_MODIFIED)
    for name, value in {**visible, **(bookkeeping or {})}.items():
        setattr(message, name, value)
    message.edit_date = now_ts()
    message.edit_count += 1
    ctx.world.changed(chat, message)
    if message.via_bot:  # reached by inline_message_id: Telegram answers True, not the message
        return True
    return message_json(ctx.world, message)
