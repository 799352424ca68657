"""Getting updates: long polling or a webhook."""

from __future__ import annotations

from typing import Any

from sandbox.context import SandboxContext
from sandbox.errors import GET_UPDATES_TERMINATED, GET_UPDATES_WITH_WEBHOOK, bad_request, conflict
from sandbox.methods.registry import api_method
from sandbox.params import Params
from sandbox.state import Webhook

MAX_POLL_TIMEOUT = 50.0


def _allowed_updates(ctx: SandboxContext, p: Params) -> None:
    allowed = p.json("allowed_updates")
    if allowed is None:
        return
    if not isinstance(allowed, list):
        raise bad_request("can't parse allowed_updates JSON array")
    ctx.world.allowed_updates = [str(kind) for kind in allowed]


@api_method("getUpdates")
async def get_updates(ctx: SandboxContext, p: Params) -> list[dict[str, Any]]:
    world = ctx.world
    if world.webhook is not None:
        raise conflict(GET_UPDATES_WITH_WEBHOOK)
    _allowed_updates(ctx, p)
    offset = p.int("offset")
    if offset is not None and offset != 0:
        world.confirm_updates(offset)
    limit = max(1, min(100, p.int("limit", 100) or 100))
    timeout = max(0.0, min(MAX_POLL_TIMEOUT, p.float("timeout", 0.0)))
    # A newer getUpdates request ends this one, as on Telegram.
    world.poll_generation += 1
    generation = world.poll_generation
    world.changes.notify()

    def ready() -> bool:
        return bool(world.deliverable_updates()) or world.poll_generation != generation or world.webhook is not None

    await world.changes.wait_until(ready, timeout)
    if world.poll_generation != generation:
        raise conflict(GET_UPDATES_TERMINATED)
    if world.webhook is not None:
        raise conflict(GET_UPDATES_WITH_WEBHOOK)
    return world.deliverable_updates()[:limit]


@api_method("setWebhook")
async def set_webhook(ctx: SandboxContext, p: Params) -> bool:
    world = ctx.world
    url = p.str("url", "") or ""
    if not url:
        world.webhook = None
        world.touch()
        return True
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
    _allowed_updates(ctx, p)
    if p.bool("drop_pending_updates"):
        world.updates.clear()
    world.webhook = Webhook(
        url=url, secret_token=p.str("secret_token"), max_connections=p.int("max_connections", 40) or 40
    )
    world.touch()
    return True


@api_method("deleteWebhook")
async def delete_webhook(ctx: SandboxContext, p: Params) -> bool:
    ctx.world.webhook = None
    if p.bool("drop_pending_updates"):
        ctx.world.updates.clear()
    ctx.world.touch()
    return True


@api_method("getWebhookInfo")
async def get_webhook_info(ctx: SandboxContext, p: Params) -> dict[str, Any]:
    hook = ctx.world.webhook
    info: dict[str, Any] = {
        "url": hook.url if hook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(ctx.world.updates),
    }
    if hook is not None:
        info["max_connections"] = hook.max_connections
        if ctx.world.allowed_updates:
            info["allowed_updates"] = ctx.world.allowed_updates
        if hook.last_error_date is not None:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message
    return info
