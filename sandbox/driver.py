"""``SandboxDriver``: act as Telegram users against a running sandbox, and wait for the bot's answers.

    async with SandboxDriver(server.url) as tg:
        await tg.send_text(ALICE, "/start")
        welcome = await tg.wait_for_message(ALICE, "Welcome")
        await tg.press_button(ALICE, "Browse")
        await tg.wait_for_message(ALICE, lambda m: m["edited"])

Waiting is relative to a *mark*: by default, anything the bot did after this driver's latest user action
(of any user). Pass ``since=`` (a ``seq`` from an earlier result) to choose another starting point.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypedDict, TypeVar, Unpack
from urllib.parse import parse_qs, urlsplit

import aiohttp

T = TypeVar("T")
Message = dict[str, Any]
MessageMatch = str | Callable[[Message], bool] | None


class UserFields(TypedDict, total=False):
    """What a user has besides an id and a first name (all optional)."""

    username: str | None
    language_code: str | None
    last_name: str | None


class ButtonAt(TypedDict, total=False):
    """Which button a press means besides its label: by ``callback_data``, on ``message_id`` (else the newest bot
    message having it), ``exact`` to refuse a label that only contains the given text."""

    callback_data: str | None
    message_id: int | None
    exact: bool


def _given(body: dict[str, Any]) -> dict[str, Any]:
    """The fields of a request body that were given."""
    return {k: v for k, v in body.items() if v is not None}


class SandboxError(RuntimeError):
    """The driver API refused a request (unknown user, no such button, ...)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


class SandboxTimeout(AssertionError):
    """Nothing matching appeared in time; the message includes the transcript to help debugging."""


def _text_of(message: Message) -> str:
    return "\n".join(part for part in (message.get("text"), message.get("caption")) if part)


def describe_transcript(messages: list[Message]) -> str:
    lines = []
    for m in messages:
        if m.get("kind") != "message":
            lines.append(f"  [{m.get('kind')}] {m.get('text')}")
            continue
        buttons = [b.get("text") for row in m.get("inline_keyboard") or [] for b in row]
        extra = f" buttons={buttons}" if buttons else ""
        extra += " (edited)" if m.get("edited") else ""
        extra += " [invoice]" if m.get("invoice") else ""
        extra += " [photo]" if m.get("photos") else ""
        lines.append(f"  #{m['message_id']} seq={m['seq']} {m['sender']}: {_text_of(m)!r}{extra}")
    return "\n".join(lines) or "  (empty)"


def inline_query_of(button: dict[str, Any]) -> str | None:
    """The query a ``switch_inline_query*`` button puts after ``@bot``, or None for other buttons."""
    for key in ("switch_inline_query", "switch_inline_query_current_chat"):
        if key in button:
            return str(button[key])
    chosen = button.get("switch_inline_query_chosen_chat")
    if isinstance(chosen, dict):
        return str(chosen.get("query", ""))
    return None


def start_payload(url: str, bot_username: str) -> str | None:
    """``t.me/<bot>?start=X`` (or ``tg://resolve?domain=<bot>&start=X``) -> X ("" without one); None for other links."""
    parts = urlsplit(url)
    on_web = parts.scheme in ("http", "https") and parts.hostname in ("t.me", "telegram.me")
    name = parts.path.strip("/") if on_web else ""
    query = parse_qs(parts.query)
    if parts.scheme == "tg" and parts.hostname == "resolve":
        name = query.get("domain", [""])[0]
    if not name or name.casefold() != bot_username.casefold():
        return None
    return query.get("start", [""])[0]


def message_matcher(match: MessageMatch) -> Callable[[Message], bool]:
    """A string matches as a substring of text or caption; a callable is used as is."""
    if match is None:
        return lambda m: True
    if isinstance(match, str):
        return lambda m: match in _text_of(m)
    return match


class SandboxDriver:
    def __init__(self, base_url: str, *, default_timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.default_timeout = default_timeout
        self._session: aiohttp.ClientSession | None = None
        self._mark = 0
        self._overlap_mark: int | None = None
        self._in_flight = 0

    # ---- plumbing --------------------------------------------------------------------------------

    async def __aenter__(self) -> SandboxDriver:
        self._ensure_session()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _ensure_session(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None, sock_read=90))
        return self._session

    async def _request(self, method: str, path: str, *, json: Any = None, data: Any = None, params: Any = None) -> Any:
        session = self._ensure_session()
        acting = method == "POST"
        self._in_flight += acting
        try:
            async with session.request(method, f"{self.base_url}{path}", json=json, data=data, params=params) as resp:
                body = await resp.json()
        finally:
            self._in_flight -= acting
        if "seq_before" in body:
            self._record_mark(int(body["seq_before"]))
        if not body.get("ok"):
            raise SandboxError(resp.status, body.get("error", "unknown error"))
        return body["result"]

    def _record_mark(self, seq: int) -> None:
        # Actions that overlap (asyncio.gather) share the earliest mark, so waiting after them
        # cannot miss an answer to the first one that arrived before the last one started.
        self._overlap_mark = seq if self._overlap_mark is None else min(self._overlap_mark, seq)
        self._mark = self._overlap_mark
        if self._in_flight == 0:
            self._overlap_mark = None

    @property
    def mark(self) -> int:
        """World sequence number just before this driver's latest user action."""
        return self._mark

    def set_mark(self, seq: int) -> None:
        self._mark = seq

    # ---- world -----------------------------------------------------------------------------------

    async def info(self) -> dict[str, Any]:
        return await self._request("GET", "/sandbox/info")

    async def current_seq(self) -> int:
        return int((await self.info())["seq"])

    async def reset(self, *, bot_config: bool = False) -> None:
        """Forget users' chats, files, payments, queued updates and counters (default users come back).
        The bot's webhook, command menus and menu buttons survive unless ``bot_config=True``."""
        await self._request("POST", "/sandbox/reset", json={"bot_config": bot_config})
        self._mark = 0

    async def counters(self) -> dict[str, Any]:
        """``method_calls`` (by method), ``errors`` (by code), ``rate_limited``, ``messages_per_chat``."""
        return await self._request("GET", "/sandbox/counters")

    async def set_rate_limits(self, **limits: Any) -> dict[str, Any]:
        """Keys: enabled, global_rate, global_burst, per_chat_rate, per_chat_burst."""
        return await self._request("POST", "/sandbox/rate-limits", json=limits)

    async def inject_fault(
        self,
        method: str,
        *,
        delay: float | None = None,
        fail_times: int = 0,
        error_code: int = 500,
        description: str = "Internal Server Error",
    ) -> dict[str, Any]:
        """Make a Bot API method slow (``delay`` seconds per call) and/or fail its next ``fail_times`` calls."""
        body = {
            "method": method,
            "delay": delay,
            "fail_times": fail_times,
            "error_code": error_code,
            "description": description,
        }
        return await self._request("POST", "/sandbox/faults", json=body)

    async def clear_faults(self) -> dict[str, Any]:
        return await self._request("DELETE", "/sandbox/faults")

    async def download_file(self, file_id: str) -> bytes:
        session = self._ensure_session()
        async with session.get(f"{self.base_url}/sandbox/files/{file_id}") as resp:
            if resp.status != 200:
                raise SandboxError(resp.status, f"file {file_id} not found")
            return await resp.read()

    # ---- users -----------------------------------------------------------------------------------

    async def create_user(
        self, user_id: int | None = None, first_name: str | None = None, **fields: Unpack[UserFields]
    ) -> dict[str, Any]:
        """Create a user (or update an existing one's given fields); returns the user."""
        body = {"id": user_id, "first_name": first_name, **fields}
        return await self._request("POST", "/sandbox/users", json=_given(body))

    async def get_user(self, user_id: int) -> dict[str, Any]:
        return await self._request("GET", f"/sandbox/users/{user_id}")

    async def users(self) -> list[dict[str, Any]]:
        return await self._request("GET", "/sandbox/users")

    # ---- acting as a user ------------------------------------------------------------------------

    async def send_text(self, user_id: int, text: str, *, reply_to_message_id: int | None = None) -> Message:
        """Send text (a leading ``/command`` gets a bot_command entity); returns the user's message."""
        body: dict[str, Any] = {"text": text}
        if reply_to_message_id is not None:
            body["reply_to_message_id"] = reply_to_message_id
        return await self._request("POST", f"/sandbox/users/{user_id}/messages", json=body)

    async def send_command(self, user_id: int, command: str, args: str = "") -> Message:
        text = "/" + command.removeprefix("/")
        return await self.send_text(user_id, f"{text} {args}".strip())

    async def open_deep_link(self, user_id: int, payload: str) -> Message:
        """What ``t.me/<bot>?start=<payload>`` does: sends ``/start <payload>``."""
        return await self.send_text(user_id, f"/start {payload}")

    async def _upload(
        self, user_id: int, kind: str, data: bytes, filename: str, mime_type: str, caption: str | None
    ) -> Message:
        form = aiohttp.FormData()
        form.add_field("file", data, filename=filename, content_type=mime_type)
        if caption:
            form.add_field("caption", caption)
        return await self._request("POST", f"/sandbox/users/{user_id}/{kind}", data=form)

    async def send_photo(
        self,
        user_id: int,
        data: bytes,
        *,
        caption: str | None = None,
        filename: str = "photo.jpg",
        mime_type: str = "image/jpeg",
    ) -> Message:
        return await self._upload(user_id, "photos", data, filename, mime_type, caption)

    async def send_document(
        self,
        user_id: int,
        data: bytes,
        filename: str,
        *,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
    ) -> Message:
        return await self._upload(user_id, "documents", data, filename, mime_type, caption)

    async def press_button(self, user_id: int, text: str | None = None, **at: Unpack[ButtonAt]) -> str:
        """Press an inline button by label (exact match preferred, else substring unless ``exact``) or by
        ``callback_data``, on ``message_id`` or the newest bot message having it. Returns the callback
        query id. URL buttons raise :class:`SandboxError` (there is nothing to send to the bot)."""
        result = await self.press(user_id, text, **at)
        if result["callback_query_id"] is None:
            raise SandboxError(400, f"button {result['button']} does not send a callback query")
        return result["callback_query_id"]

    async def press(self, user_id: int, text: str | None = None, **at: Unpack[ButtonAt]) -> dict[str, Any]:
        """Like :meth:`press_button` but returns ``{callback_query_id, message_id, button}``."""
        body = {"text": text, **at}
        return await self._request("POST", f"/sandbox/users/{user_id}/press", json=_given(body))

    async def pay_invoice(
        self,
        user_id: int,
        message_id: int | None = None,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
        lose_update: bool = False,
    ) -> dict[str, Any]:
        """Press Pay on an invoice (default: the newest unpaid one) and wait for the bot's pre-checkout
        answer. Returns ``{"status": "paid", "telegram_payment_charge_id", "message_id", ...}``,
        ``{"status": "declined", "error_message"}`` or ``{"status": "timeout"}``.

        ``lose_update``: the user is charged, but the ``successful_payment`` update never reaches the bot (a
        fault for tests of the reconciler)."""
        body: dict[str, Any] = {"message_id": message_id, "lose_update": lose_update}
        if timeout is not None:
            body["timeout"] = timeout
        return await self._request("POST", f"/sandbox/users/{user_id}/pay", json=body)

    async def inline_query(
        self,
        user_id: int,
        query: str,
        *,
        offset: str = "",
        chat_type: str = "sender",
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """Type ``@bot query`` (in the chat with the bot: ``chat_type`` "sender"; with another user: "private");
        returns ``{"status": "answered", "inline_query_id", "results": [...], "next_offset"}`` or a timeout."""
        body: dict[str, Any] = {"query": query, "offset": offset, "chat_type": chat_type}
        if timeout is not None:
            body["timeout"] = timeout
        return await self._request("POST", f"/sandbox/users/{user_id}/inline-query", json=body)

    async def choose_inline_result(
        self, user_id: int, inline_query_id: str, result_id: str, *, to_user_id: int | None = None
    ) -> Message:
        """Tap one of the bot's inline results: it is posted via the bot into the user's chat with ``to_user_id``
        (there it shows with ``sender`` "peer"), or with the bot when None. Returns the posted message."""
        body = {"inline_query_id": inline_query_id, "result_id": result_id, "to_user_id": to_user_id}
        return await self._request("POST", f"/sandbox/users/{user_id}/inline-results", json=body)

    async def share_with(
        self, user_id: int, button: str, to_user_id: int | None, *, result_id: str | None = None
    ) -> Message:
        """What a ``switch_inline_query*`` button does in Telegram: press it (by label, on the newest bot message
        having it), pick the chat with ``to_user_id`` (None: the chat with the bot, as
        ``switch_inline_query_current_chat`` does), get the bot's inline results and post one (``result_id``, or
        the first). Returns the posted message."""
        pressed = (await self.press(user_id, button))["button"]
        query = inline_query_of(pressed)
        if query is None:
            raise SandboxError(400, f"button {pressed} does not switch to inline mode")
        if "switch_inline_query_current_chat" in pressed:
            to_user_id = None
        chat_type = "private" if to_user_id not in (None, user_id) else "sender"
        answer = await self.inline_query(user_id, query, chat_type=chat_type)
        results = answer.get("results") or []
        if not results:
            raise SandboxError(404, f"the bot answered @bot {query!r} with no results ({answer.get('status')})")
        chosen = result_id if result_id is not None else str(results[0]["id"])
        return await self.choose_inline_result(user_id, answer["inline_query_id"], chosen, to_user_id=to_user_id)

    async def follow_link(self, user_id: int, button: str, *, message_id: int | None = None) -> Message:
        """Press a URL button that links to this bot (``t.me/<bot>?start=X``): as in Telegram, the user's chat with the
        bot opens and sends ``/start X``. Returns the user's message."""
        url = str((await self.press(user_id, button, message_id=message_id))["button"].get("url", ""))
        payload = start_payload(url, (await self.info())["bot"]["username"])
        if payload is None:
            raise SandboxError(400, f"button {button!r} links to {url!r}, not to this bot")
        return await self.send_text(user_id, f"/start {payload}".strip())

    # ---- group chats -----------------------------------------------------------------------------

    async def create_group(
        self,
        title: str,
        *,
        by: int,
        members: list[int],
        bot: bool = True,
        supergroup: bool = False,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """``by`` creates a group chat with ``members`` (and the bot, unless ``bot=False``); returns the group
        (``id``, ``title``, ``type``, ``members``, ``has_bot``)."""
        body = {"title": title, "by": by, "members": members, "bot": bot, "id": chat_id}
        body["type"] = "supergroup" if supergroup else "group"
        return await self._request("POST", "/sandbox/groups", json=_given(body))

    async def add_bot_to_group(self, chat_id: int, title: str, *, by: int, members: list[int]) -> dict[str, Any]:
        """``by`` creates the group chat ``chat_id`` (negative) with ``members`` in it and the bot."""
        return await self.create_group(title, by=by, members=members, chat_id=chat_id)

    async def groups(self) -> list[dict[str, Any]]:
        return list(await self._request("GET", "/sandbox/groups"))

    async def group(self, chat_id: int) -> dict[str, Any]:
        return await self._request("GET", f"/sandbox/groups/{chat_id}")

    async def group_chat(self, chat_id: int) -> dict[str, Any]:
        """``{group, seq, messages, commands}``: members' messages carry ``from_user``; the bot's answers to presses
        (``kind`` toast/alert) name the presser in ``user_id``."""
        return await self._request("GET", f"/sandbox/groups/{chat_id}/chat")

    async def send_group_text(self, chat_id: int, user_id: int, text: str, *, reply_to: int | None = None) -> Message:
        body = {"user_id": user_id, "text": text, "reply_to_message_id": reply_to}
        return await self._request("POST", f"/sandbox/groups/{chat_id}/messages", json=_given(body))

    async def press_in_group(
        self, chat_id: int, user_id: int, text: str | None = None, *, wait: bool = False, **at: Unpack[ButtonAt]
    ) -> dict[str, Any]:
        """``user_id`` presses a button of a bot message in the group chat; toasts go to their own chat (and show
        in the group's transcript). ``wait``: until the bot answers, whose ``answer`` (text, show_alert) is
        returned."""
        body = {"user_id": user_id, "text": text, "wait": wait or None, **at}
        return await self._request("POST", f"/sandbox/groups/{chat_id}/press", json=_given(body))

    async def add_bot_back(self, chat_id: int, *, by: int) -> dict[str, Any]:
        """A member adds the bot to the group again: it gets my_chat_member."""
        return await self._request("POST", f"/sandbox/groups/{chat_id}/add-bot", json={"by": by})

    async def remove_bot_from_group(self, chat_id: int, *, by: int) -> dict[str, Any]:
        return await self._request("POST", f"/sandbox/groups/{chat_id}/remove-bot", json={"by": by})

    async def block_bot(self, user_id: int) -> dict[str, Any]:
        return await self._request("POST", f"/sandbox/users/{user_id}/block")

    async def unblock_bot(self, user_id: int) -> dict[str, Any]:
        return await self._request("POST", f"/sandbox/users/{user_id}/unblock")

    # ---- what the user sees ----------------------------------------------------------------------

    async def chat(self, user_id: int, *, include_deleted: bool = False) -> dict[str, Any]:
        """``{user, seq, messages, reply_keyboard, commands, menu_button}``."""
        params = {"include_deleted": "1"} if include_deleted else None
        return await self._request("GET", f"/sandbox/users/{user_id}/chat", params=params)

    async def transcript(self, user_id: int, *, include_deleted: bool = False) -> list[Message]:
        return (await self.chat(user_id, include_deleted=include_deleted))["messages"]

    async def bot_messages(self, user_id: int) -> list[Message]:
        return [m for m in await self.transcript(user_id) if m["sender"] == "bot"]

    async def last_bot_message(self, user_id: int) -> Message | None:
        messages = await self.bot_messages(user_id)
        return messages[-1] if messages else None

    async def toasts(self, user_id: int) -> list[Message]:
        return [m for m in await self.transcript(user_id) if m["kind"] in ("toast", "alert")]

    async def command_menu(self, user_id: int) -> list[dict[str, str]]:
        """The commands the "/" menu shows this user (chat scope, then private chats, then default)."""
        return (await self._request("GET", f"/sandbox/users/{user_id}/menu"))["commands"]

    # ---- waiting ---------------------------------------------------------------------------------

    async def _wait_change(self, user_id: int | None, since: int, timeout: float) -> None:  # noqa: ASYNC109
        params: dict[str, Any] = {"since": since, "timeout": max(0.05, timeout)}
        if user_id is not None:
            params["user_id"] = user_id
        await self._request("GET", "/sandbox/wait", params=params)

    async def wait_for(
        self,
        user_id: int,
        check: Callable[[dict[str, Any]], T | None],
        *,
        timeout: float | None = None,  # noqa: ASYNC109
        what: str = "condition",
    ) -> T:
        """Call ``check(chat)`` each time the user's chat changes until it returns something not None/False.

        ``chat`` is :meth:`chat`'s result. Raises :class:`SandboxTimeout` with the transcript otherwise."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (self.default_timeout if timeout is None else timeout)
        while True:
            chat = await self.chat(user_id)
            found = check(chat)
            if found is not None and found is not False:
                return found
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise SandboxTimeout(
                    f"timed out waiting for {what} in chat {user_id}; transcript:\n"
                    + describe_transcript(chat["messages"])
                )
            # Any change anywhere wakes us (menus and queries are not per chat); re-checking is cheap.
            await self._wait_change(None, chat["world_seq"], min(remaining, 25.0))

    async def wait_for_message(
        self,
        user_id: int,
        match: MessageMatch = None,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
        since: int | None = None,
    ) -> Message:
        """The first bot message (new or edited after ``since``; default: the driver's mark) that matches:
        a substring of its text/caption, or a predicate on the transcript entry."""
        start = self._mark if since is None else since
        matches = message_matcher(match)

        def check(chat: dict[str, Any]) -> Message | None:
            fresh = [m for m in chat["messages"] if m["kind"] == "message" and m["from_bot"] and m["seq"] > start]
            return next((m for m in sorted(fresh, key=lambda m: m["seq"]) if matches(m)), None)

        return await self.wait_for(user_id, check, timeout=timeout, what=f"a bot message matching {match!r}")

    async def wait_for_toast(
        self,
        user_id: int,
        match: str | None = None,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
        since: int | None = None,
    ) -> Message:
        """The first callback-answer toast/alert (after ``since``) whose text contains ``match``."""
        start = self._mark if since is None else since

        def check(chat: dict[str, Any]) -> Message | None:
            return next(
                (
                    m
                    for m in chat["messages"]
                    if m["kind"] in ("toast", "alert") and m["seq"] > start and (match is None or match in m["text"])
                ),
                None,
            )

        return await self.wait_for(user_id, check, timeout=timeout, what=f"a toast matching {match!r}")

    async def wait_for_no_message(
        self, user_id: int, match: MessageMatch = None, *, duration: float = 0.5, since: int | None = None
    ) -> None:
        """Assert the bot sends nothing matching for ``duration`` seconds."""
        try:
            found = await self.wait_for_message(user_id, match, timeout=duration, since=since)
        except SandboxTimeout:
            return
        raise AssertionError(f"unexpected bot message in chat {user_id}: {found.get('text') or found}")
