"""Validation and normalisation of ``reply_markup``: inline keyboards, reply keyboards, removal."""

from __future__ import annotations

from typing import Any

from sandbox.errors import bad_request

MAX_CALLBACK_DATA_BYTES = 64
INLINE_ACTION_FIELDS = (
    "callback_data",
    "url",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
    "web_app",
)


def _inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text must be a String")
    if not any(name in button for name in INLINE_ACTION_FIELDS):
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not str(button["url"]).strip():
        raise bad_request("BUTTON_URL_INVALID")
    return dict(button)


def _reply_button(button: Any) -> dict[str, Any]:
    if isinstance(button, str):
        return {"text": button}
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse keyboard button: Text must be a String")
    return dict(button)


def _rows(markup: dict[str, Any], key: str) -> list[Any]:
    rows = markup.get(key)
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(f'field "{key}" of the reply markup must be an Array of Arrays')
    return rows


def normalize_reply_markup(markup: Any) -> dict[str, Any] | None:
    """The markup as stored, or None; raises Telegram's 400s for invalid keyboards."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = _rows(markup, "inline_keyboard")
        return {"inline_keyboard": [[_inline_button(b) for b in row] for row in rows]}
    if "keyboard" in markup:
        rows = _rows(markup, "keyboard")
        normalized = {k: v for k, v in markup.items() if k != "keyboard"}
        normalized["keyboard"] = [[_reply_button(b) for b in row] for row in rows]
        return normalized
    if markup.get("remove_keyboard"):
        return {"remove_keyboard": True}
    if markup.get("force_reply"):
        return {"force_reply": True, **{k: v for k, v in markup.items() if k != "force_reply"}}
    raise bad_request("can't parse reply keyboard markup JSON object")


def is_inline(markup: dict[str, Any] | None) -> bool:
    return markup is not None and "inline_keyboard" in markup
