"""Command menus, the menu button and the bot's profile texts."""

from __future__ import annotations

import re
from typing import Any

from sandbox.context import SandboxContext
from sandbox.errors import bad_request
from sandbox.methods.registry import api_method
from sandbox.params import Params
from sandbox.state import scope_key

_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SCOPES_WITH_CHAT = ("chat", "chat_administrators", "chat_member")
_SCOPE_TYPES = (
    "default",
    "all_private_chats",
    "all_group_chats",
    "all_chat_administrators",
    *_SCOPES_WITH_CHAT,
)


def _scope_and_language(ctx: SandboxContext, p: Params) -> tuple[str, str]:
    scope = p.json("scope")
    if scope is not None:
        if not isinstance(scope, dict) or scope.get("type") not in _SCOPE_TYPES:
            raise bad_request("can't parse BotCommandScope JSON object")
        if scope["type"] in _SCOPES_WITH_CHAT:
            ctx.world.api_chat(scope.get("chat_id"))
    language = p.str("language_code", "") or ""
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise bad_request("invalid language code specified")
    return scope_key(scope), language


def _commands(p: Params) -> list[dict[str, str]]:
    commands = p.json("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("too many commands specified")
    result = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand JSON object")
        name = str(command.get("command", "")).removeprefix("/")
        description = str(command.get("description", "")).strip()
        if not _COMMAND_RE.match(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        result.append({"command": name, "description": description})
    return result


@api_method("setMyCommands")
async def set_my_commands(ctx: SandboxContext, p: Params) -> bool:
    key = _scope_and_language(ctx, p)
    commands = _commands(p)
    if commands:
        ctx.world.commands[key] = commands
    else:
        ctx.world.commands.pop(key, None)
    ctx.world.touch_all_chats()
    return True


@api_method("getMyCommands")
async def get_my_commands(ctx: SandboxContext, p: Params) -> list[dict[str, str]]:
    return list(ctx.world.commands.get(_scope_and_language(ctx, p), []))


@api_method("deleteMyCommands")
async def delete_my_commands(ctx: SandboxContext, p: Params) -> bool:
    ctx.world.commands.pop(_scope_and_language(ctx, p), None)
    ctx.world.touch_all_chats()
    return True


@api_method("setChatMenuButton")
async def set_chat_menu_button(ctx: SandboxContext, p: Params) -> bool:
    button = p.json("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in ("commands", "web_app", "default"):
        raise bad_request("can't parse MenuButton JSON object")
    if "chat_id" in p:
        chat = ctx.world.api_chat(p.raw("chat_id"))
        if button["type"] == "default":
            ctx.world.chat_menu_buttons.pop(chat.id, None)
        else:
            ctx.world.chat_menu_buttons[chat.id] = button
        ctx.world.touch(chat)
    else:
        ctx.world.default_menu_button = None if button["type"] == "default" else button
        ctx.world.touch_all_chats()
    return True


@api_method("getChatMenuButton")
async def get_chat_menu_button(ctx: SandboxContext, p: Params) -> dict[str, Any]:
    if "chat_id" in p:
        chat = ctx.world.api_chat(p.raw("chat_id"))
        if chat.id in ctx.world.chat_menu_buttons:
            return ctx.world.chat_menu_buttons[chat.id]
    return ctx.world.default_menu_button or {"type": "commands"}


def _set_text(store: dict[str, str], p: Params, field: str, limit: int) -> bool:
    text = p.str(field, "") or ""
    if len(text) > limit:
        raise bad_request(f"{field} is too long")
    language = p.str("language_code", "") or ""
    if text:
        store[language] = text
    else:
        store.pop(language, None)
    return True


def _get_text(store: dict[str, str], p: Params) -> str:
    language = p.str("language_code", "") or ""
    return store.get(language) or store.get("", "")


@api_method("setMyName")
async def set_my_name(ctx: SandboxContext, p: Params) -> bool:
    _set_text(ctx.world.bot.names, p, "name", 64)
    if not p.str("language_code") and p.str("name"):
        ctx.world.bot.first_name = p.req_str("name")
    return True


@api_method("getMyName")
async def get_my_name(ctx: SandboxContext, p: Params) -> dict[str, str]:
    return {"name": _get_text(ctx.world.bot.names, p) or ctx.world.bot.first_name}


def _register_bot_text(field: str, store: str, limit: int) -> None:
    """setMy<Field> / getMy<Field> for one of the bot's per-language texts (``BotIdentity.<store>``)."""
    suffix = field.title().replace("_", "")

    @api_method(f"setMy{suffix}")
    async def set_text(ctx: SandboxContext, p: Params) -> bool:
        return _set_text(getattr(ctx.world.bot, store), p, field, limit)

    @api_method(f"getMy{suffix}")
    async def get_text(ctx: SandboxContext, p: Params) -> dict[str, str]:
        return {field: _get_text(getattr(ctx.world.bot, store), p)}


_register_bot_text("description", "descriptions", 512)
_register_bot_text("short_description", "short_descriptions", 120)
