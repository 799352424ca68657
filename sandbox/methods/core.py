"""Bot identity, chats and the simple acknowledgements."""

from __future__ import annotations

from typing import Any

from sandbox.context import SandboxContext
from sandbox.errors import bad_request
from sandbox.methods.common import target_chat
from sandbox.methods.registry import api_method
from sandbox.params import Params
from sandbox.serialize import (
    bot_group_member_json,
    bot_member_json,
    chat_full_info_json,
    get_me_json,
    group_chat_json,
    user_json,
)


@api_method("getMe")
async def get_me(ctx: SandboxContext, p: Params) -> dict[str, Any]:
    return get_me_json(ctx.world.bot)


@api_method("logOut", "close")
async def log_out(ctx: SandboxContext, p: Params) -> bool:
    return True


@api_method("sendChatAction")
async def send_chat_action(ctx: SandboxContext, p: Params) -> bool:
    target_chat(ctx, p, initiating=False)
    return True


@api_method("getChat")
async def get_chat(ctx: SandboxContext, p: Params) -> dict[str, Any]:
    chat = ctx.world.api_chat(p.raw("chat_id"))
    if chat.is_group:
        return {**group_chat_json(chat), "accent_color_id": 0, "max_reaction_count": 11}
    return chat_full_info_json(chat.user)


@api_method("getChatMember")
async def get_chat_member(ctx: SandboxContext, p: Params) -> dict[str, Any]:
    """A private chat has two members: the user and the bot (kicked once the user blocked it); a group chat its
    members, its creator, and the bot while it is in it."""
    chat = ctx.world.api_chat(p.raw("chat_id"))
    user_id = p.req_int("user_id")
    if chat.is_group:
        if user_id == ctx.world.bot.id:
            return bot_group_member_json(ctx.world.bot, member=chat.has_bot)
        user = ctx.world.users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        status = "creator" if user_id == chat.creator else "member" if user_id in chat.members else "left"
        return {"status": status, "user": user_json(user), **({"is_anonymous": False} if status == "creator" else {})}
    if user_id == ctx.world.bot.id:
        return bot_member_json(ctx.world.bot, kicked=chat.user.blocked)
    if user_id != chat.id:
        raise bad_request("user not found")
    return {"status": "member", "user": user_json(chat.user)}
