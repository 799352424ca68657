"""The ``shopbot`` command: run the bot, the sandbox, migrations, operator views and benchmarks."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from bot.settings import Settings, SettingsError, load_settings

EXIT_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shopbot",
        description="A Pinduoduo-style marketplace that runs inside Telegram. Settings come from SHOPBOT_* "
        "environment variables or a .env file (see README.md).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run the bot against Telegram (needs SHOPBOT_BOT_TOKEN)")
    run.add_argument("--webhook", action="store_true", help="serve updates over HTTP instead of long polling")
    run.add_argument("--listen", default="127.0.0.1", help="webhook: address to listen on (default 127.0.0.1)")
    run.add_argument("--port", type=int, default=8080, help="webhook: port to listen on (default 8080)")
    run.add_argument("--webhook-url", default="", help="webhook: public URL Telegram should post to")

    sandbox = sub.add_parser("sandbox", help="try shopbot locally: a Telegram stand-in, a web page and demo data")
    sandbox.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    sandbox.add_argument("--port", type=int, default=8765, help="port to listen on (default 8765)")
    sandbox.add_argument("--empty", action="store_true", help="do not seed the demo marketplace")
    sandbox.add_argument("--database-url", default="", help="database (default: sqlite file sandbox.db here)")

    db = sub.add_parser("db", help="database migrations")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply every migration up to the newest")
    down = db_sub.add_parser("downgrade", help="revert migrations down to REVISION (e.g. base)")
    down.add_argument("revision")
    db_sub.add_parser("current", help="show the database's current revision")

    sub.add_parser("jobs", help="show the next due deadlines, the outbox backlog and the updates given up")

    updates = sub.add_parser("updates", help="updates given up (unreadable, or failing every try)")
    updates_sub = updates.add_subparsers(dest="updates_command", required=True, metavar="ACTION")
    listing = updates_sub.add_parser("list", help="the updates given up, newest first, with their errors")
    listing.add_argument("--all", action="store_true", help="include the ones already replayed")
    again = updates_sub.add_parser("replay", help="run a given-up update again (after a fix); exit 1 if it fails")
    again.add_argument("id", type=int, help="its number in `shopbot updates list`")

    ledger = sub.add_parser("ledger", help="the money ledger (see README: Money)")
    ledger_sub = ledger.add_subparsers(dest="ledger_command", required=True, metavar="ACTION")
    check = ledger_sub.add_parser(
        "check", help="prove the books balance and match payments and refunds; exit 1 listing any discrepancy"
    )
    check.add_argument("--offline", action="store_true", help="skip matching the Stars refunds with Telegram's")

    bench = sub.add_parser("bench", help="measure throughput and latency (see README: Performance)")
    bench.add_argument("suite", nargs="?", default="mixed", choices=["mixed", "deadlines", "delivery"])
    bench.add_argument("--products", type=int, default=100_000)
    bench.add_argument("--orders", type=int, default=1_000_000)
    bench.add_argument("--users", type=int, default=10_000)
    bench.add_argument("--updates", type=int, default=20_000, help="mixed: updates to replay")
    bench.add_argument("--database-url", default="", help="database to bench on (default: a temp SQLite file)")
    bench.add_argument(
        "--kinds",
        type=lambda value: tuple(kind.strip() for kind in value.split(",") if kind.strip()),
        default=None,
        help="mixed: replay only these kinds, comma-separated (e.g. search), their shares scaled to the whole",
    )
    bench.add_argument(
        "--concurrency", type=int, default=1, help="mixed: updates processed at once (1 = like polling; webhook: many)"
    )
    bench.add_argument(
        "--profile",
        nargs="?",
        const="shopbot-bench.pstats",
        default=None,
        metavar="PATH",
        help="mixed: profile the replay with cProfile, write the pstats file (default shopbot-bench.pstats) and "
        "print where the time goes",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(**({"database_url": args.database_url} if getattr(args, "database_url", "") else {}))
    except SettingsError as exc:
        print(f"shopbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    handler = {
        "run": _run,
        "sandbox": _sandbox,
        "db": _db,
        "jobs": _jobs,
        "updates": _updates,
        "ledger": _ledger,
        "bench": _bench,
    }[args.command]
    return handler(settings, args)


def _run(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.bot_token:
        print(
            "shopbot: SHOPBOT_BOT_TOKEN is not set. To try shopbot without Telegram, run `shopbot sandbox` "
            "and open the page it prints.",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    from bot.serve import serve_polling, serve_webhook

    if args.webhook:
        asyncio.run(serve_webhook(settings, listen=args.listen, port=args.port, public_url=args.webhook_url))
    else:
        asyncio.run(serve_polling(settings))
    return 0


def _sandbox(settings: Settings, args: argparse.Namespace) -> int:
    from bot.sandbox_cli import run_sandbox

    asyncio.run(
        run_sandbox(
            settings, host=args.host, port=args.port, seed=not args.empty, database_url=args.database_url or None
        )
    )
    return 0


def _db(settings: Settings, args: argparse.Namespace) -> int:
    from storage import migrate

    if args.db_command == "upgrade":
        asyncio.run(migrate.upgrade(settings.database_url))
        print("database is at the newest revision")
    elif args.db_command == "downgrade":
        asyncio.run(migrate.downgrade(settings.database_url, args.revision))
        print(f"database downgraded to {args.revision}")
    else:
        print(asyncio.run(migrate.current(settings.database_url)) or "empty (no migrations applied)")
    return 0


def _jobs(settings: Settings, args: argparse.Namespace) -> int:
    from bot.jobs_cli import show_jobs

    print(asyncio.run(show_jobs(settings)))
    return 0


def _updates(settings: Settings, args: argparse.Namespace) -> int:
    from bot.updates_cli import list_updates, replay_update

    if args.updates_command == "list":
        print(asyncio.run(list_updates(settings, include_replayed=args.all)))
        return 0
    text, code = asyncio.run(replay_update(settings, args.id))
    print(text, file=sys.stderr if code else sys.stdout)
    return code


def _ledger(settings: Settings, args: argparse.Namespace) -> int:
    from bot.ledger_cli import ledger_check

    text, code = asyncio.run(ledger_check(settings, offline=args.offline))
    print(text, file=sys.stderr if code > 1 else sys.stdout)  # 0 clean, 1 discrepancies: the report itself
    return code


def _bench(settings: Settings, args: argparse.Namespace) -> int:
    from bench.mixed import run_bench

    asyncio.run(run_bench(settings, args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
