"""The play page: ``/`` serves ``web/index.html``; its script and styles are under ``/web/``."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

WEB_DIR = Path(__file__).parent / "web"


def web_routes() -> list[web.AbstractRouteDef]:
    async def index(request: web.Request) -> web.FileResponse:
        return web.FileResponse(WEB_DIR / "index.html", headers={"Cache-Control": "no-store"})

    return [web.get("/", index), web.static("/web", WEB_DIR)]
