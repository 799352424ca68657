"""A local stand-in for the Telegram Bot API, with simulated users, a driver API and a play page.

    async with SandboxServer() as server:
        app = (ApplicationBuilder().token(server.token).base_url(server.bot_base_url)
               .base_file_url(server.file_base_url).build())
        ...  # start the unchanged bot (polling, or a webhook the sandbox POSTs to)
        async with SandboxDriver(server.url) as tg:
            await tg.send_text(BUYER_ALICE_ID, "/start")
            await tg.wait_for_message(BUYER_ALICE_ID, "Welcome")

The page at ``server.url`` shows one phone per user. Run it by hand with ``python -m sandbox``.
"""

from sandbox.defaults import (
    ADMIN_ADA_ID,
    BUYER_ALICE_ID,
    BUYER_XIAOMING_ID,
    DEFAULT_BOT_TOKEN,
    DEFAULT_BOT_USERNAME,
    DEFAULT_USERS,
    MERCHANT_BOB_ID,
)
from sandbox.driver import SandboxDriver, SandboxError, SandboxTimeout
from sandbox.rate_limit import RateLimits
from sandbox.server import SandboxServer

__all__ = [
    "ADMIN_ADA_ID",
    "BUYER_ALICE_ID",
    "BUYER_XIAOMING_ID",
    "DEFAULT_BOT_TOKEN",
    "DEFAULT_BOT_USERNAME",
    "DEFAULT_USERS",
    "MERCHANT_BOB_ID",
    "RateLimits",
    "SandboxDriver",
    "SandboxError",
    "SandboxServer",
    "SandboxTimeout",
]
