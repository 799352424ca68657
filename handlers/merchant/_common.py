"""What the merchant screens share: labels, page buttons, command arguments, the m1 namespace."""

from __future__ import annotations

import functools
import html
from collections.abc import Awaitable, Callable, Sequence

from telegram import Update

from domain.errors import DomainError, ErrorCode
from domain.orders import OrderStatus
from domain.shops import ShopStatus, ShopType
from domain.usecases.catalog import Page
from handlers.common import codec
from handlers.common.deps import Context
from handlers.common.pages import page_row
from handlers.common.reply import ButtonSpec, acknowledge, answer_error, text
from i18n import Markup

NS = "m1"


ButtonFn = Callable[[Update, Context], Awaitable[None]]


def button_handler(fn: ButtonFn) -> ButtonFn:
    """Answer a button press exactly once: quietly when the work is done, or with an alert saying why a rule
    refused it (Telegram keeps only the first answer, so the alert cannot come after an early acknowledge)."""

    @functools.wraps(fn)
    async def handler(update: Update, context: Context) -> None:
        try:
            await fn(update, context)
        except DomainError as error:
            await answer_error(update, context, error)
            return
        await acknowledge(update)

    return handler


def cb(action: str, *args: int | str) -> str:
    return codec.encode(NS, action, *args)


def plain(context: Context, key: str, **args: object) -> str:
    """Text for a field Telegram shows as plain text (invoice title, button label): escaping undone."""
    return html.unescape(text(context, key, **args))


def shop_type_label(context: Context, shop_type: ShopType | str) -> Markup:
    return Markup(text(context, f"merchant.shop_type.{ShopType(shop_type).value}"))


def shop_status_label(context: Context, status: ShopStatus) -> Markup:
    return Markup(text(context, f"merchant.shop_status.{status.value}"))


def order_status_label(context: Context, status: OrderStatus) -> Markup:
    return Markup(text(context, f"merchant.order_status.{status.value}"))


def pager(context: Context, page: Page, action: str, *args: int | str) -> list[ButtonSpec]:
    """◀️ n/m ▶️ under a list; the arrows edit the same message to the previous or next page."""
    return page_row(page, lambda offset: cb(action, *args, offset), cb("noop"))


def command_args(context: Context) -> list[str]:
    return list(context.args or [])


def id_and_text(update: Update) -> tuple[str, str] | None:
    """``/command <id> <text…>``: the id as typed and the text, spacing and lines kept; None if one is missing."""
    message = update.effective_message
    parts = (message.text or "").split(maxsplit=2) if message else []
    return (parts[1], parts[2]) if len(parts) == 3 else None


def parse_id(value: str | None, field: str = "order") -> int:
    """An id typed after a command (``/accept 12`` or ``/accept #12``); anything else is a clear error."""
    raw = (value or "").strip().lstrip("#")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise DomainError(ErrorCode.INVALID_NUMBER, value=(value or "")[:40], field=field)
    return int(raw)


def message_file_id(update: Update, mime_prefixes: Sequence[str] = ("image/", "application/pdf")) -> str | None:
    """The file a message carries: its largest photo, or a document of an accepted type."""
    message = update.effective_message
    if message is None:
        return None
    if message.photo:
        return message.photo[-1].file_id
    document = message.document
    if document is not None and (document.mime_type or "").startswith(tuple(mime_prefixes)):
        return document.file_id
    return None
