"""The driver API under ``/sandbox/``: JSON endpoints to act as users and to inspect the world.

Used by :class:`sandbox.driver.SandboxDriver` and by the web page. Every action answers
``{"ok": true, "result": ..., "seq_before": N}`` where ``seq_before`` is the world sequence number just
before the action, so a caller can wait for "anything the bot did after this".
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from sandbox import actions
from sandbox.context import SandboxContext
from sandbox.errors import DriverError
from sandbox.inline_mode import choose_inline_result
from sandbox.rate_limit import RateLimits
from sandbox.serialize import get_me_json
from sandbox.state import PendingQuery
from sandbox.transcript import chat_view, group_chat_view, group_view, menu_view, message_view, user_view

MAX_WAIT = 60.0
Route = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _ok(result: Any, **extra: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result, **extra})


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.body_exists:
        return {}
    if request.content_type == "application/json":
        body = await request.json()
        if not isinstance(body, dict):
            raise DriverError("expected a JSON object")
        return body
    form = await request.post()
    return dict(form)


async def _file_body(request: web.Request) -> tuple[bytes, dict[str, Any]]:
    """A file from multipart (field ``file``) or JSON (``data_base64``), plus the other fields."""
    if request.content_type == "application/json":
        body = await _body(request)
        return base64.b64decode(body.get("data_base64", "")), body
    form = await request.post()
    upload = form.get("file")
    if not isinstance(upload, web.FileField):
        raise DriverError("multipart field 'file' is missing")
    fields: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    fields.setdefault("filename", upload.filename)
    fields.setdefault("mime_type", upload.content_type)
    return upload.file.read(), fields


def _guard(handler: Route) -> Route:
    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except DriverError as err:
            return web.json_response({"ok": False, "error": err.message}, status=err.status)
        except (ValueError, KeyError, TypeError) as err:
            return web.json_response({"ok": False, "error": f"bad request: {err}"}, status=400)

    return guarded


def _group_id(request: web.Request) -> int:
    return int(request.match_info["chat_id"])


def _user_id(request: web.Request) -> int:
    return int(request.match_info["user_id"])


class DriverApi:
    """The endpoints, one method each, over one sandbox world."""

    def __init__(self, ctx: SandboxContext) -> None:
        self.ctx = ctx
        self.world = ctx.world

    async def wait_answer(self, query: PendingQuery, timeout: float | None) -> dict[str, Any]:  # noqa: ASYNC109
        limit = min(MAX_WAIT, float(timeout if timeout is not None else self.ctx.options.query_answer_timeout))
        if await self.world.changes.wait_until(lambda: query.answered, limit) and query.outcome is not None:
            return query.outcome
        if query.answered:
            return {"status": "answered"}
        return actions.expire_query(self.ctx, query)

    async def info(self, request: web.Request) -> web.Response:
        return _ok(
            {
                "bot": get_me_json(self.world.bot),
                "users": [user_view(u) for u in self.world.users.values()],
                "seq": self.world.seq,
                "rate_limits": self.ctx.limiter.limits.to_json(),
            }
        )

    async def overview(self, request: web.Request) -> web.Response:
        return _ok(
            {
                "seq": self.world.seq,
                "users": [user_view(u) for u in self.world.users.values()],
                "chats": {str(c.id): c.seq for c in self.world.chats.values()},
                "groups": [group_view(self.world, c) for c in self.world.groups()],
            }
        )

    async def list_users(self, request: web.Request) -> web.Response:
        return _ok([user_view(u) for u in self.world.users.values()])

    async def create_user(self, request: web.Request) -> web.Response:
        body = await _body(request)
        raw_id = body.get("id")
        user = self.world.add_user(
            int(raw_id) if raw_id not in (None, "") else None,
            body.get("first_name") or None,
            body.get("username") or None,
            body.get("language_code") or None,
            body.get("last_name") or None,
        )
        return _ok(user_view(user))

    async def get_user(self, request: web.Request) -> web.Response:
        return _ok(user_view(actions.user_chat(self.ctx, _user_id(request)).user))

    async def send_message(self, request: web.Request) -> web.Response:
        body = await _body(request)
        seq = self.world.seq
        reply_to = body.get("reply_to_message_id")
        message = actions.send_text(
            self.ctx, _user_id(request), str(body.get("text", "")), reply_to=int(reply_to) if reply_to else None
        )
        return _ok(message_view(self.world, message), seq_before=seq)

    async def send_photo(self, request: web.Request) -> web.Response:
        return await self._send_file(request, as_photo=True)

    async def send_document(self, request: web.Request) -> web.Response:
        return await self._send_file(request, as_photo=False)

    async def _send_file(self, request: web.Request, *, as_photo: bool) -> web.Response:
        data, fields = await _file_body(request)
        seq = self.world.seq
        file_name = fields.get("filename") or (None if as_photo else "document.bin")
        caption = fields.get("caption") or None
        message = actions.send_file(
            self.ctx, _user_id(request), data, file_name, fields.get("mime_type"), caption, as_photo=as_photo
        )
        return _ok(message_view(self.world, message), seq_before=seq)

    async def press(self, request: web.Request) -> web.Response:
        return await self._press(request, _user_id(request), None)

    async def _press(self, request: web.Request, user_id: int, group_id: int | None) -> web.Response:
        """A press in the user's chat, or (``group_id``) by the user in a group chat; with ``"wait": true`` the
        answer waits for the bot's (``answer``: its text, whether it is an alert; or the status "timeout")."""
        body = await _body(request)
        seq = self.world.seq
        message_id = body.get("message_id")
        message, button, query = actions.press_button(
            self.ctx,
            user_id,
            text=body.get("text"),
            callback_data=body.get("callback_data"),
            message_id=int(message_id) if message_id not in (None, "") else None,
            exact=bool(body.get("exact", False)),
            group_id=group_id,
        )
        result = {
            "callback_query_id": query.id if query else None,
            "message_id": message.message_id,
            "button": button,
        }
        if query is not None and body.get("wait"):
            result["answer"] = await self.wait_answer(query, body.get("timeout"))
        return _ok(result, seq_before=seq)

    # ---- group chats ------------------------------------------------------------------------------
    # The page's group panes and the tests: create a group (with the bot or not), read it, write and press in it as
    # one of its members, remove the bot and add it back.

    async def list_groups(self, request: web.Request) -> web.Response:
        return _ok([group_view(self.world, c) for c in self.world.groups()])

    async def add_group(self, request: web.Request) -> web.Response:
        """``{"title": …, "by": <creator>, "members": [user ids], "bot": true, "type": "group"|"supergroup"}``, and
        ``"id": -N`` to choose the chat's id (else a new one)."""
        body = await _body(request)
        seq = self.world.seq
        raw_id = body.get("id")
        kind = str(body.get("type") or "group")
        if kind not in ("group", "supergroup"):
            raise DriverError(f"type is 'group' or 'supergroup', not {kind!r}")
        chat = actions.create_group(
            self.ctx,
            str(body.get("title", "")),
            int(body["by"]),
            [int(m) for m in body.get("members", [])],
            with_bot=bool(body.get("bot", True)),
            supergroup=kind == "supergroup",
            chat_id=int(raw_id) if raw_id not in (None, "") else None,
        )
        return _ok(group_view(self.world, chat), seq_before=seq)

    async def get_group(self, request: web.Request) -> web.Response:
        return _ok(group_view(self.world, actions.group_chat(self.ctx, _group_id(request))))

    async def group_chat(self, request: web.Request) -> web.Response:
        """The group's transcript; ``?user_id=`` a member, for the command menu in their language."""
        chat = actions.group_chat(self.ctx, _group_id(request))
        raw_user = request.query.get("user_id")
        member = self.world.users.get(int(raw_user)) if raw_user else None
        return _ok(group_chat_view(self.world, chat, member))

    async def group_message(self, request: web.Request) -> web.Response:
        body = await _body(request)
        seq = self.world.seq
        reply_to = body.get("reply_to_message_id")
        message = actions.send_group_text(
            self.ctx,
            _group_id(request),
            int(body["user_id"]),
            str(body.get("text", "")),
            reply_to=int(reply_to) if reply_to not in (None, "") else None,
        )
        return _ok(message_view(self.world, message), seq_before=seq)

    async def group_press(self, request: web.Request) -> web.Response:
        body = await _body(request)
        return await self._press(request, int(body["user_id"]), _group_id(request))

    async def group_add_bot(self, request: web.Request) -> web.Response:
        body = await _body(request)
        seq = self.world.seq
        chat = actions.add_bot(self.ctx, _group_id(request), int(body["by"]))
        return _ok(group_view(self.world, chat), seq_before=seq)

    async def group_remove_bot(self, request: web.Request) -> web.Response:
        body = await _body(request)
        seq = self.world.seq
        chat = actions.remove_bot_from_group(self.ctx, _group_id(request), int(body["by"]))
        return _ok(group_view(self.world, chat), seq_before=seq)

    async def pay(self, request: web.Request) -> web.Response:
        body = await _body(request)
        seq = self.world.seq
        message_id = body.get("message_id")
        query = actions.begin_payment(
            self.ctx,
            _user_id(request),
            int(message_id) if message_id not in (None, "") else None,
            lose_update=bool(body.get("lose_update", False)),
        )
        outcome = await self.wait_answer(query, body.get("timeout"))
        return _ok({"pre_checkout_query_id": query.id, **outcome}, seq_before=seq)

    async def inline_query(self, request: web.Request) -> web.Response:
        body = await _body(request)
        seq = self.world.seq
        chat_type = str(body.get("chat_type") or "sender")
        query = actions.begin_inline_query(
            self.ctx, _user_id(request), str(body.get("query", "")), str(body.get("offset", "")), chat_type
        )
        outcome = await self.wait_answer(query, body.get("timeout"))
        return _ok({"inline_query_id": query.id, **outcome}, seq_before=seq)

    async def choose_inline_result(self, request: web.Request) -> web.Response:
        body = await _body(request)
        seq = self.world.seq
        to_user = body.get("to_user_id")
        message = choose_inline_result(
            self.ctx,
            _user_id(request),
            str(body["inline_query_id"]),
            str(body["result_id"]),
            int(to_user) if to_user not in (None, "") else None,
        )
        return _ok(message_view(self.world, message), seq_before=seq)

    async def block(self, request: web.Request) -> web.Response:
        seq = self.world.seq
        return _ok(user_view(actions.set_blocked(self.ctx, _user_id(request), blocked=True)), seq_before=seq)

    async def unblock(self, request: web.Request) -> web.Response:
        seq = self.world.seq
        return _ok(user_view(actions.set_blocked(self.ctx, _user_id(request), blocked=False)), seq_before=seq)

    async def chat(self, request: web.Request) -> web.Response:
        include_deleted = request.query.get("include_deleted", "") in ("1", "true")
        return _ok(
            chat_view(self.world, actions.user_chat(self.ctx, _user_id(request)), include_deleted=include_deleted)
        )

    async def menu(self, request: web.Request) -> web.Response:
        return _ok(menu_view(self.world, actions.user_chat(self.ctx, _user_id(request))))

    async def wait(self, request: web.Request) -> web.Response:
        """Long poll: returns once the self.world (or one user's chat) changed after ``since``."""
        since = int(request.query.get("since", "0"))
        timeout = min(MAX_WAIT, float(request.query.get("timeout", "25")))
        raw_user = request.query.get("user_id")
        target = actions.user_chat(self.ctx, int(raw_user)) if raw_user else None

        def changed() -> bool:
            current = self.world.chats.get(target.id) if target is not None else None
            return (current.seq if current is not None else self.world.seq) > since

        await self.world.changes.wait_until(changed, timeout)
        return _ok({"seq": self.world.seq, "chats": {str(c.id): c.seq for c in self.world.chats.values()}})

    async def faults(self, request: web.Request) -> web.Response:
        if request.method == "POST":
            body = await _body(request)
            method = str(body["method"])
            if body.get("delay") is not None:
                self.ctx.faults.slow(method, float(body["delay"]))
            if body.get("fail_times"):
                self.ctx.faults.fail(
                    method,
                    times=int(body["fail_times"]),
                    code=int(body.get("error_code", 500)),
                    description=str(body.get("description", "Internal Server Error")),
                )
        elif request.method == "DELETE":
            self.ctx.faults.clear()
        return _ok(self.ctx.faults.describe())

    async def counters(self, request: web.Request) -> web.Response:
        return _ok(self.world.counters.to_json())

    async def reset(self, request: web.Request) -> web.Response:
        body = await _body(request)
        self.world.reset(bot_config=bool(body.get("bot_config", False)))
        self.ctx.limiter.reset()
        self.ctx.faults.clear()
        return _ok({"seq": self.world.seq})

    async def rate_limits(self, request: web.Request) -> web.Response:
        if request.method == "POST":
            body = await _body(request)
            allowed = set(RateLimits().to_json())
            self.ctx.limiter.configure(**{k: v for k, v in body.items() if k in allowed})
        return _ok(self.ctx.limiter.limits.to_json())

    async def file(self, request: web.Request) -> web.Response:
        stored = self.world.files.get(request.match_info["file_id"])
        if stored is None or stored.url is not None:
            raise DriverError("file not found", 404)
        return web.Response(body=stored.data, content_type=stored.mime_type)


def driver_routes(ctx: SandboxContext) -> list[web.AbstractRouteDef]:
    api = DriverApi(ctx)
    per_user = "/sandbox/users/{user_id:-?\\d+}"
    per_group = "/sandbox/groups/{chat_id:-\\d+}"
    routes: list[tuple[str, str, Route]] = [
        ("GET", "/sandbox/info", api.info),
        ("GET", "/sandbox/overview", api.overview),
        ("GET", "/sandbox/users", api.list_users),
        ("POST", "/sandbox/users", api.create_user),
        ("GET", per_user, api.get_user),
        ("POST", per_user + "/messages", api.send_message),
        ("POST", per_user + "/photos", api.send_photo),
        ("POST", per_user + "/documents", api.send_document),
        ("POST", per_user + "/press", api.press),
        ("POST", per_user + "/pay", api.pay),
        ("POST", per_user + "/inline-query", api.inline_query),
        ("POST", per_user + "/inline-results", api.choose_inline_result),
        ("POST", per_user + "/block", api.block),
        ("POST", per_user + "/unblock", api.unblock),
        ("GET", per_user + "/chat", api.chat),
        ("GET", per_user + "/menu", api.menu),
        ("GET", "/sandbox/groups", api.list_groups),
        ("POST", "/sandbox/groups", api.add_group),
        ("GET", per_group, api.get_group),
        ("GET", per_group + "/chat", api.group_chat),
        ("POST", per_group + "/messages", api.group_message),
        ("POST", per_group + "/press", api.group_press),
        ("POST", per_group + "/add-bot", api.group_add_bot),
        ("POST", per_group + "/remove-bot", api.group_remove_bot),
        ("GET", "/sandbox/wait", api.wait),
        ("GET", "/sandbox/counters", api.counters),
        ("POST", "/sandbox/reset", api.reset),
        ("GET", "/sandbox/faults", api.faults),
        ("POST", "/sandbox/faults", api.faults),
        ("DELETE", "/sandbox/faults", api.faults),
        ("GET", "/sandbox/rate-limits", api.rate_limits),
        ("POST", "/sandbox/rate-limits", api.rate_limits),
        ("GET", "/sandbox/files/{file_id}", api.file),
    ]
    return [web.route(method, path, _guard(handler)) for method, path, handler in routes]
