"""Telegram answered in-process: a PTB ``BaseRequest`` that replies instantly, and updates built as Telegram would.

``shopbot bench`` runs the real Application with this request so it measures the bot, not the network; the
reliability tests use it to feed updates straight into ``Application.process_update`` and to read back what
the bot said to whom. Replies have Telegram's shapes (a Message for sends and edits, True for the rest) so PTB
parses them exactly as it parses the real ones.
"""

from __future__ import annotations

import itertools
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_ID = 100_000_001
BOT_USERNAME = "shopbench_bot"

# Methods whose result is the Message that was sent or edited.
_MESSAGE_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendInvoice",
        "sendMediaGroup",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
        "editMessageMedia",
        "copyMessage",
        "forwardMessage",
    }
)
_RECORDED = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendInvoice",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
        "answerCallbackQuery",
        "answerPreCheckoutQuery",
        "answerInlineQuery",
        "sendMediaGroup",
        "editMessageMedia",
    }
)


@dataclass
class Sent:
    """One call the bot made, as recorded for tests: method, chat (or user for query answers), parameters."""

    method: str
    chat_id: int | None
    params: dict[str, Any]

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or self.params.get("title") or "")


@dataclass
class InProcessBotApi(BaseRequest):
    """Answers every Bot API call at once with ``{"ok": true, "result": ...}``; counts calls per method.

    ``record=True`` keeps every send/edit/answer (tests); the bench leaves it off so memory stays flat.
    """

    record: bool = False
    calls: Counter[str] = field(default_factory=Counter)
    sent: list[Sent] = field(default_factory=list)
    _message_ids: dict[int, itertools.count] = field(default_factory=lambda: defaultdict(lambda: itertools.count(1)))
    webhook_url: str = ""  # what setWebhook last set, as getWebhookInfo reports it

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        self.calls[name] += 1
        params = request_data.parameters if request_data is not None else {}
        if self.record and name in _RECORDED:
            self.sent.append(Sent(name, _chat_of(params), dict(params)))
        return 200, json.dumps({"ok": True, "result": self._result(name, params)}).encode()

    def _result(self, name: str, params: dict[str, Any]) -> Any:
        if name in _MESSAGE_METHODS:
            if "inline_message_id" in params:
                return True
            chat_id = _chat_of(params) or 0
            message_id = params.get("message_id") or next(self._message_ids[chat_id])
            message = {
                "message_id": int(message_id),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Shop", "username": BOT_USERNAME},
            }
            if "text" in params:
                message["text"] = str(params["text"])
            if name == "sendMediaGroup":
                return [message]
            return message
        if name == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Shop",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": True,
            }
        if name == "setWebhook":
            self.webhook_url = str(params.get("url") or "")
            return True
        if name == "getWebhookInfo":
            return {"url": self.webhook_url, "has_custom_certificate": False, "pending_update_count": 0}
        if name == "getUpdates":
            return []
        if name == "getFile":
            file_id = str(params.get("file_id", ""))
            return {"file_id": file_id, "file_unique_id": file_id[:16], "file_size": 1024, "file_path": f"f/{file_id}"}
        if name == "getMyCommands":
            return []
        if name == "getChat":
            chat_id = _chat_of(params) or 0
            return {"id": chat_id, "type": "private"}
        return True

    def texts_to(self, chat_id: int) -> list[str]:
        return [call.text for call in self.sent if call.chat_id == chat_id and call.text]

    def answered(self, chat_id: int) -> bool:
        """Did the bot say anything at all to this user (a message, an edit, a toast, a query answer)?"""
        return any(call.chat_id == chat_id for call in self.sent)


def _chat_of(params: dict[str, Any]) -> int | None:
    """The chat a call goes to; for query answers, the user who asked (UpdateFactory's query ids name them)."""
    for key in ("callback_query_id", "pre_checkout_query_id", "inline_query_id"):
        value = params.get(key)
        if isinstance(value, str) and "-" in value:
            return _chat_of({"chat_id": value.split("-", 1)[0]})
    for key in ("chat_id", "user_id"):
        value = params.get(key)
        if value is not None:
            try:
                return int(value)
            except (TypeError, ValueError):
                return None
    return None


# ---- updates, shaped as Telegram sends them ---------------------------------------------------------------------


class UpdateFactory:
    """Builds update dicts (for ``Update.de_json``) with increasing update and message ids."""

    def __init__(self, first_update_id: int = 1, language_of: Callable[[int], str] | None = None) -> None:
        self._language_of = language_of or (lambda user_id: "en")
        self._update_ids = itertools.count(first_update_id)
        self._message_ids: dict[int, itertools.count] = defaultdict(lambda: itertools.count(1_000_000))
        self._query_ids = itertools.count(1)

    def user(self, user_id: int, language: str | None = None) -> dict[str, Any]:
        code = language or self._language_of(user_id)
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": code}

    def _query_id(self, user_id: int) -> str:
        return f"{user_id}-{next(self._query_ids)}"

    def _message(self, user_id: int, language: str | None, **body: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids[user_id]),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": f"User{user_id}"},
            "from": self.user(user_id, language),
            **body,
        }

    def text(self, user_id: int, text: str, language: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return {"update_id": next(self._update_ids), "message": self._message(user_id, language, **body)}

    def photo(self, user_id: int, file_id: str, *, caption: str | None = None, size: int = 40_000) -> dict[str, Any]:
        sizes = [{"file_id": file_id, "file_unique_id": file_id[:12], "width": 800, "height": 600, "file_size": size}]
        body: dict[str, Any] = {"photo": sizes}
        if caption:
            body["caption"] = caption
        return {"update_id": next(self._update_ids), "message": self._message(user_id, None, **body)}

    def document(
        self, user_id: int, file_id: str, *, file_name: str, mime_type: str, size: int, caption: str | None = None
    ) -> dict[str, Any]:
        document = {
            "file_id": file_id,
            "file_unique_id": file_id[:12],
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": size,
        }
        body: dict[str, Any] = {"document": document}
        if caption:
            body["caption"] = caption
        return {"update_id": next(self._update_ids), "message": self._message(user_id, None, **body)}

    def press(
        self, user_id: int, data: str, *, message_id: int = 1, message_text: str = "…", language: str | None = None
    ) -> dict[str, Any]:
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Shop", "username": BOT_USERNAME},
            "text": message_text,
        }
        query = {
            "id": self._query_id(user_id),
            "from": self.user(user_id, language),
            "chat_instance": str(user_id),
            "data": data,
            "message": message,
        }
        return {"update_id": next(self._update_ids), "callback_query": query}

    def pre_checkout(self, user_id: int, payload: str, amount: int, currency: str) -> dict[str, Any]:
        query = {
            "id": self._query_id(user_id),
            "from": self.user(user_id),
            "currency": currency,
            "total_amount": amount,
            "invoice_payload": payload,
        }
        return {"update_id": next(self._update_ids), "pre_checkout_query": query}

    def paid(self, user_id: int, payload: str, amount: int, currency: str, charge_id: str) -> dict[str, Any]:
        payment = {
            "currency": currency,
            "total_amount": amount,
            "invoice_payload": payload,
            "telegram_payment_charge_id": charge_id,
            "provider_payment_charge_id": f"provider-{charge_id}",
        }
        message = self._message(user_id, None, successful_payment=payment)
        return {"update_id": next(self._update_ids), "message": message}

    def inline(self, user_id: int, query: str) -> dict[str, Any]:
        body = {"id": self._query_id(user_id), "from": self.user(user_id), "query": query, "offset": ""}
        return {"update_id": next(self._update_ids), "inline_query": body}
