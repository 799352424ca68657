"""What the merchant screens share: labels, page buttons, command arguments, files sent."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence

from telegram import Update

from domain.errors import DomainError, ErrorCode
from domain.orders import OrderStatus
from domain.routes import Route
from domain.shops import ShopStatus, ShopType
from domain.usecases.catalog import Page
from handlers.common.deps import Context
from handlers.common.pages import pager
from handlers.common.reply import ButtonSpec, send, text
from i18n import Markup


def shop_type_label(context: Context, shop_type: ShopType | str) -> Markup:
    return Markup(text(context, f"merchant.shop_type.{ShopType(shop_type).value}"))


def shop_status_label(context: Context, status: ShopStatus) -> Markup:
    return Markup(text(context, f"merchant.shop_status.{status.value}"))


def order_status_label(context: Context, status: OrderStatus) -> Markup:
    return Markup(text(context, f"merchant.order_status.{status.value}"))


def merchant_pager(page: Page, route: Route, *args: int | str) -> list[ButtonSpec]:
    """◀️ n/m ▶️ under a list; the arrows edit the same message to the previous or next page."""
    return pager(page, route, *args, counter=Route.MERCHANT_PAGE_COUNTER)


def command_args(context: Context) -> list[str]:
    return list(context.args or [])


IdTextAction = Callable[[Update, Context, int, str], Awaitable[None]]
Command = Callable[[Update, Context], Awaitable[None]]


def id_and_text_command(
    usage_key: str, field: str
) -> Callable[[IdTextAction], Callable[[Update, Context], Awaitable[None]]]:
    """Make ``act`` a ``/command <id> <text…>`` handler, given the id and the text (its spacing and lines kept). A
    missing part is answered with the command's usage (``usage_key``); an id that is not one is refused (``field``
    names it)."""

    def wrap(act: IdTextAction) -> Command:
        @functools.wraps(act)
        async def command(update: Update, context: Context) -> None:
            message = update.effective_message
            parts = (message.text or "").split(maxsplit=2) if message else []
            if len(parts) != 3:
                await send(update, context, text(context, usage_key))
                return
            await act(update, context, parse_id(parts[1], field), parts[2])

        return command

    return wrap


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
