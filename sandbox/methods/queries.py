"""Answers to button presses and inline queries."""

from __future__ import annotations

from sandbox import inline_mode  # a module: inline_mode itself uses methods.common
from sandbox.context import SandboxContext
from sandbox.errors import QUERY_TOO_OLD, bad_request
from sandbox.methods.registry import api_method
from sandbox.params import Params
from sandbox.state import PendingQuery, QueryKind


def _open_query(ctx: SandboxContext, query_id: str, kind: QueryKind) -> PendingQuery:
    query = ctx.world.queries.get(query_id)
    if query is None or query.kind != kind or query.answered or query.expired:
        raise bad_request(QUERY_TOO_OLD)
    return query


@api_method("answerCallbackQuery")
async def answer_callback_query(ctx: SandboxContext, p: Params) -> bool:
    query = _open_query(ctx, p.req_str("callback_query_id"), "callback_query")
    query.answered = True
    query.text = p.str("text")
    query.show_alert = p.bool("show_alert")
    query.url = p.str("url")
    query.outcome = {"status": "answered", "text": query.text, "show_alert": query.show_alert, "url": query.url}
    kind = "alert" if query.show_alert else "toast"
    chat = ctx.world.chats[query.user_id]
    if query.text:
        ctx.world.add_system(chat, kind, query.text, show_alert=query.show_alert)
    else:
        ctx.world.touch(chat)
    group = ctx.world.chats.get(query.group_id) if query.group_id is not None else None
    if group is not None and query.text:
        # The answer pops up on the presser's screen only; the group's pane shows whom it told what.
        ctx.world.add_system(group, kind, query.text, show_alert=query.show_alert, user_id=query.user_id)
    return True


@api_method("answerInlineQuery")
async def answer_inline_query(ctx: SandboxContext, p: Params) -> bool:
    query = _open_query(ctx, p.req_str("inline_query_id"), "inline_query")
    results = inline_mode.check_results(p.json("results", []), ctx.world.files)
    query.answered = True
    query.results = results
    query.outcome = {"status": "answered", "results": results, "next_offset": p.str("next_offset", "")}
    ctx.world.touch()
    return True
