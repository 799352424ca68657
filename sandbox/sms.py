"""The sandbox's SMS provider: a real HTTP server (aiohttp) on the running event loop that accepts the messages a
provider's API would (a form or JSON body, like Twilio's Messages API) and keeps them, by recipient, with the
request they came in.

``answer`` makes it reply with a given status to a number (429, 500 or 400, to show retries and refusals).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

SMS_PATH = "/sms"


@dataclass(frozen=True)
class Sms:
    to: str
    text: str
    body: dict[str, Any]
    content_type: str
    authorization: str


@dataclass
class SmsSink:
    to_field: str = "To"  # the body's fields holding the number and the text (Twilio's by default)
    text_field: str = "Body"
    messages: list[Sms] = field(default_factory=list)
    requests: int = 0
    answer: dict[str, list[int]] = field(default_factory=dict)  # number -> statuses to reply with first
    host: str = "127.0.0.1"
    port: int = 0
    _runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{SMS_PATH}"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> SmsSink:
        app = web.Application()
        app.router.add_post(SMS_PATH, self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        assert self._runner.addresses
        self.host, self.port = self._runner.addresses[0][:2]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def inbox(self, number: str) -> list[Sms]:
        return [sms for sms in self.messages if sms.to == number]

    async def _handle(self, request: web.Request) -> web.Response:
        self.requests += 1
        if request.content_type == "application/json":
            body = await request.json()
        else:
            body = dict(await request.post())
        to, text = str(body.get(self.to_field, "")), str(body.get(self.text_field, ""))
        queued = self.answer.get(to)
        if queued:
            status = queued.pop(0)
            return web.json_response({"message": f"answered {status} as told"}, status=status)
        if not to.startswith("+"):
            return web.json_response({"message": f"The 'To' number {to} is not a valid phone number."}, status=400)
        auth = request.headers.get("Authorization", "")
        self.messages.append(Sms(to, text, body, request.content_type, auth))
        return web.json_response({"sid": f"SM{len(self.messages):032d}", "status": "queued"}, status=201)
