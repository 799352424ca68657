"""``shopbot sandbox``: the Telegram stand-in, the unchanged bot polling it, a demo marketplace, one page."""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from pathlib import Path

from telegram.ext import Application

from bot.alerts import UNSUBSCRIBE_PATH, unsubscribe_handler
from bot.app import Runtime, open_runtime
from bot.serve import run_polling, stop_on_signals
from bot.settings import Settings
from domain.usecases.alerts import alert_addresses
from sandbox import ADMIN_ADA_ID, BUYER_XIAOMING_ID, MERCHANT_BOB_ID
from sandbox.demo import seed_demo
from sandbox.mail import Mail, MailSink
from sandbox.server import SandboxServer
from sandbox.sms import SmsSink
from storage.outbox_store import SqlOutboxStore
from storage.transaction_guard import GuardMode

log = logging.getLogger("shopbot.sandbox")
SANDBOX_SMS_BODY = {"To": "{to}", "From": "+15005550006", "Body": "{text}"}


def mount_bot_pages(sandbox: SandboxServer, runtime: Runtime) -> None:
    """The bot's HTTP pages (the unsubscribe link of its e-mails) served by the sandbox, which the bot polls."""
    sandbox.pages[UNSUBSCRIBE_PATH] = unsubscribe_handler(runtime.svc, runtime.settings)


def connect_inboxes(sandbox: SandboxServer, runtime: Runtime, mail: MailSink | None, sms: SmsSink | None) -> None:
    """The page's per-user inboxes: the sinks' mails and SMS, matched to users by the addresses the bot has."""

    async def addresses(user_id: int) -> tuple[list[str], list[str]]:
        return await alert_addresses(runtime.svc, user_id)

    sandbox.inboxes.connect(mail, sms, addresses)


def print_mail(mail: Mail) -> None:
    print(f"  ✉️  mail to {', '.join(mail.to)}: {mail.subject}", flush=True)


def sandbox_settings(
    settings: Settings,
    sandbox: SandboxServer,
    database_url: str,
    mail: MailSink | None = None,
    sms: SmsSink | None = None,
) -> Settings:
    """The user's settings, pointed at the sandbox (and its SMTP and SMS sinks), with the sandbox's admin always an
    admin."""
    admins = tuple(dict.fromkeys((*settings.admin_ids, ADMIN_ADA_ID)))
    return settings.model_copy(
        update={
            "bot_token": sandbox.token,
            "api_base_url": sandbox.bot_base_url,
            "api_file_url": sandbox.file_base_url,
            "database_url": database_url,
            "admin_ids": admins,
            "payment_provider_token": "",
            # E-mails go to the sink; their unsubscribe links to the sandbox, which serves the bot's page.
            **({"smtp_url": mail.url, "public_url": sandbox.url} if mail is not None else {}),
            # SMS go to the sink, shaped as Twilio's Messages API (its default fields).
            **({"sms_provider": "http", "sms_url": sms.url, "sms_body": SANDBOX_SMS_BODY} if sms is not None else {}),
            # A Bot API call inside a transaction is logged in the sandbox unless the user chose otherwise.
            "transaction_guard": (
                settings.transaction_guard if "transaction_guard" in settings.model_fields_set else GuardMode.WARN
            ),
        }
    )


async def run_sandbox(
    settings: Settings,
    *,
    host: str,
    port: int,
    seed: bool,
    database_url: str | None,
    ready: asyncio.Event | None = None,
) -> None:
    started = time.monotonic()
    workdir = None
    if database_url is None:
        # The sandbox keeps chats and files in memory, so by default the database lives as long as they do.
        workdir = tempfile.TemporaryDirectory(prefix="shopbot-sandbox-")
        database_url = f"sqlite+aiosqlite:///{Path(workdir.name) / 'sandbox.db'}"
    sandbox = SandboxServer()
    await sandbox.start(host, port)
    mail = await MailSink(on_mail=print_mail).start(host)
    sms = await SmsSink().start(host)
    runtime = await open_runtime(sandbox_settings(settings, sandbox, database_url, mail, sms))
    mount_bot_pages(sandbox, runtime)
    connect_inboxes(sandbox, runtime, mail, sms)
    app = runtime.application

    def store_photo(file_id: str, data: bytes) -> str:
        return sandbox.world.put_file(file_id, data, mime_type="image/png", file_name=f"{file_id}.png").file_id

    try:
        if seed and await seed_demo(
            runtime.svc, store_photo, merchant_id=MERCHANT_BOB_ID, admin_id=ADMIN_ADA_ID, leader_id=BUYER_XIAOMING_ID
        ):
            # The demo was set up, not lived through: its approvals and receipts would greet the panes as stale
            # news (an "Approve" button for a shop that is already open), so they are not sent.
            await SqlOutboxStore(runtime.database.engine).skip_pending("demo seed")
        stop = stop_on_signals()
        polling = asyncio.create_task(run_polling(app, stop))
        await _until_running(app, polling)
        print(f"\n  shopbot sandbox is up in {time.monotonic() - started:.1f} s: open {sandbox.url}/\n", flush=True)
        print(f"  database: {database_url}{'' if workdir is None else ' (temporary)'}", flush=True)
        print(
            f"  e-mails go to the SMTP sink at {mail.host}:{mail.port} and are listed here as they arrive;", flush=True
        )
        print(f"  SMS to the SMS sink at {sms.url}; each user's inbox (✉️ on their pane) shows both", flush=True)
        print("  play the buyers, the merchant and the admin side by side; Ctrl+C stops.\n", flush=True)
        if ready is not None:
            ready.set()
        await polling
    finally:
        await sandbox.stop()
        await mail.stop()
        await sms.stop()
        if workdir is not None:
            workdir.cleanup()


async def _until_running(app: Application, polling: asyncio.Task[None]) -> None:
    """Until the Application has started (or polling failed trying)."""
    while not app.running and not polling.done():  # noqa: ASYNC110 - PTB offers no "started" event to wait on
        await asyncio.sleep(0.05)
    if polling.done():
        polling.result()  # raises what stopped it
