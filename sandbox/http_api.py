"""The Bot API over HTTP: ``/bot<token>/<method>`` and file downloads at ``/file/bot<token>/<path>``."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from sandbox.context import SandboxContext
from sandbox.errors import ApiError, not_found, unauthorized
from sandbox.methods import find_method
from sandbox.params import Params, Upload

log = logging.getLogger(__name__)

JSON_CONTENT_TYPES = ("application/json",)
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def read_params(request: web.Request) -> Params:
    """Merge query string and body, whatever the body's encoding."""
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.method == "POST" and request.body_exists:
        if request.content_type in JSON_CONTENT_TYPES:
            body = await request.json()
            if isinstance(body, dict):
                values.update(body)
        elif request.content_type in FORM_CONTENT_TYPES:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    uploads[key] = Upload(key, value.filename, value.content_type, value.file.read())
                else:
                    values[key] = value
    return Params(values, uploads)


def _error_response(ctx: SandboxContext, err: ApiError) -> web.Response:
    ctx.world.counters.errors[err.code] += 1
    if err.code == 429:
        ctx.world.counters.rate_limited += 1
    return web.json_response(err.to_json(), status=err.code)


def bot_api_routes(ctx: SandboxContext) -> list[web.AbstractRouteDef]:
    async def call_method(request: web.Request) -> web.Response:
        try:
            if request.match_info["token"] != ctx.token:
                raise unauthorized()
            found = find_method(request.match_info["method"])
            if found is None:
                raise not_found()
            canonical, handler = found
            ctx.world.counters.method_calls[canonical] += 1
            await ctx.faults.apply(canonical)
            result = await handler(ctx, await read_params(request))
        except ApiError as err:
            return _error_response(ctx, err)
        except Exception:
            log.exception("sandbox: %s failed", request.match_info.get("method"))
            return web.json_response(
                {"ok": False, "error_code": 500, "description": "Internal Server Error"}, status=500
            )
        return web.json_response({"ok": True, "result": result})

    async def download_file(request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != ctx.token:
            return _error_response(ctx, unauthorized())
        stored = ctx.world.files_by_path.get(request.match_info["path"])
        if stored is None or stored.url is not None:
            return _error_response(ctx, not_found())
        return web.Response(body=stored.data, content_type=stored.mime_type)

    return [
        web.route("*", "/bot{token}/{method}", call_method),
        web.get("/file/bot{token}/{path:.+}", download_file),
    ]
