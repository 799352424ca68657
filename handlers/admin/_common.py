"""What the admin screens share: the a1 namespace, button labels, page arrows, preset reasons.

Callback data (all ``a1:…``; a client can forge any of it, so every use case checks the presser is an admin):
``m`` menu · ``q:<offset>`` application queue · ``doc:<shop>`` its documents · ``ap|rj:<shop>`` approve / reject ·
``rr:<shop>:<code>`` reject with a preset reason · ``ro:<shop>`` reject, typing the reason ·
``sl:<status>:<offset>`` shops · ``ss`` search shops · ``sh:<shop>`` a shop's page · ``su:<shop>`` suspend ·
``sr:<shop>:<code>`` / ``so:<shop>`` suspend with a preset / typed reason · ``ri|ric:<shop>`` reinstate (confirm) ·
``cl|clc|clf:<shop>`` close (ask, confirm, confirm cancelling open orders) · ``ev|evr`` evaluation (ask, run) ·
``tl:<offset>`` escalated tickets · ``tk:<ticket>`` one of them · ``tp:<ticket>`` its photos ·
``tr|trc:<ticket>`` refund the buyer (ask, confirm) · ``tc|tcc:<ticket>`` close it (ask, confirm) · ``st`` stats ·
``al`` admins · ``aa`` appoint · ``an:<user>`` appoint this user · ``ai`` appoint by typed id ·
``ar|arc:<user>`` remove (ask, confirm) · ``au:<offset>`` audit trail · ``noop`` the page counter.
"""

from __future__ import annotations

import html
from typing import Any

from telegram import Update

from domain.shops import ShopStatus
from domain.usecases.admin_console import Application, view_application
from domain.usecases.catalog import Page
from handlers.common import codec
from handlers.common.buttons import attempt, pressed, pressed_int
from handlers.common.deps import Context, as_admin, services
from handlers.common.pages import page_row
from handlers.common.reply import ButtonSpec, acknowledge, text
from i18n import t

NS = "a1"

# Preset reasons: code → message key. The reason is stored in both languages, since the merchant may read either.
REJECT_REASONS = {
    "docs": "admin.reason.docs",
    "info": "admin.reason.info",
    "scope": "admin.reason.scope",
    "dup": "admin.reason.duplicate",
}
SUSPEND_REASONS = {
    "ship": "admin.reason.shipping",
    "qual": "admin.reason.quality",
    "fake": "admin.reason.counterfeit",
    "rules": "admin.reason.rules",
}
CLOSE_REASON = "admin.reason.closed"
REINSTATE_REASON = "admin.reason.reinstated"


def cb(action: str, *args: int | str) -> str:
    return codec.encode(NS, action, *args)


def label(context: Context, key: str, **args: Any) -> str:
    """Button labels are plain text: the escaping of arguments is undone."""
    return html.unescape(text(context, key, **args))


def bilingual(key: str) -> str:
    """A preset reason as stored on the shop: English and Chinese, plain text (escaped again when shown)."""
    english, chinese = html.unescape(t("en", key)), html.unescape(t("zh", key))
    return english if english == chinese else f"{english} / {chinese}"


def str_arg(update: Update, index: int) -> str:
    data = pressed(update)
    return data.args[index] if data and len(data.args) > index else ""


async def pressed_application(update: Update, context: Context) -> Application | None:
    """The application of the shop a pressed ``a1:<action>:<shop>`` button names; None once the press says why not."""
    shop_id = pressed_int(update)
    if shop_id is None:
        await acknowledge(update)
        return None
    return await attempt(update, context, view_application(services(context), actor=as_admin(update), shop_id=shop_id))


def pager(page: Page, action: str, *args: int | str) -> list[ButtonSpec]:
    """◀️ n/m ▶️ under a list; the arrows edit the same message to the previous or next page."""
    return page_row(page, lambda offset: cb(action, *args, offset), cb("noop"))


def shop_status_label(context: Context, status: ShopStatus | str) -> str:
    """A shop's status in words (plain text: statuses have no markup)."""
    return text(context, f"admin.shop_status.{ShopStatus(status).value}")


def back_to_menu(context: Context) -> list[ButtonSpec]:
    return [(label(context, "admin.btn.menu"), cb("m"))]


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f}%"
