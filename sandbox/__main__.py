"""``python -m sandbox``: run the Telegram sandbox and its play page until Ctrl+C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging

from sandbox.defaults import DEFAULT_BOT_TOKEN, DEFAULT_BOT_USERNAME
from sandbox.server import SandboxServer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_BOT_TOKEN)
    parser.add_argument("--bot-username", default=DEFAULT_BOT_USERNAME)
    parser.add_argument("--no-rate-limits", action="store_true", help="never answer 429")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    server = SandboxServer(args.token, args.bot_username)
    if args.no_rate_limits:
        server.disable_rate_limits()
    print(f"Telegram sandbox on http://{args.host}:{args.port}/  (bot token {args.token})")
    print(f"  bot base_url      = http://{args.host}:{args.port}/bot")
    print(f"  bot base_file_url = http://{args.host}:{args.port}/file/bot")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(server.run_forever(args.host, args.port))


if __name__ == "__main__":
    main()
