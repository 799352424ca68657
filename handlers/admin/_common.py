"""What the admin screens share: button labels, page arrows, preset reasons, the shop a pressed button names.

Every admin button is an ``ADMIN_…`` route of domain/routes.py; a client can forge any of them, so every use case
checks the presser is an admin.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Sequence

from telegram import InlineKeyboardMarkup, Update

from domain.routes import Press, Route
from domain.shops import ShopStatus
from domain.usecases.admin_console import Application, view_application
from domain.usecases.catalog import Page
from handlers.common.deps import Context, as_admin, services
from handlers.common.flows import start_flow
from handlers.common.pages import pager
from handlers.common.reply import ButtonSpec, keyboard, label, send, text
from i18n import t

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


def preset_reason(reasons: dict[str, str], code: str) -> str | None:
    """The preset reason a button names by its code, as stored on the shop; None for a code that is not one."""
    key = reasons.get(code)
    return bilingual(key) if key is not None else None


def bilingual(key: str) -> str:
    """A preset reason as stored on the shop: English and Chinese, plain text (escaped again when shown)."""
    english, chinese = html.unescape(t("en", key)), html.unescape(t("zh", key))
    return english if english == chinese else f"{english} / {chinese}"


async def pressed_application(update: Update, context: Context, press: Press) -> Application:
    """The application of the shop a pressed ``a1:<action>:<shop>`` button names (refused if not an admin)."""
    return await view_application(services(context), actor=as_admin(update), shop_id=press.id())


async def ask_to_type(
    update: Update, context: Context, allowed: Awaitable[object], flow: str, step: str, key: str
) -> None:
    """The next text the admin sends answers the question ``key`` (in ``flow`` at ``step``); only an admin the
    ``allowed`` use case lets through is asked."""
    await allowed
    await start_flow(update, context, flow, step)
    await send(update, context, text(context, key))


def admin_pager(page: Page, route: Route, *args: int | str) -> list[ButtonSpec]:
    """◀️ n/m ▶️ under a list; the arrows edit the same message to the previous or next page."""
    return pager(page, route, *args, counter=Route.ADMIN_PAGE_COUNTER)


def list_markup(context: Context, items: Sequence[ButtonSpec], page: Page, route: Route) -> InlineKeyboardMarkup | None:
    """An admin list: a button a row per item (each opens the item), the page arrows, and back to the menu."""
    rows = [[item] for item in items]
    rows.append(admin_pager(page, route))
    rows.append(back_to_menu(context))
    return keyboard(rows)


def shop_status_label(context: Context, status: ShopStatus | str) -> str:
    """A shop's status in words (plain text: statuses have no markup)."""
    return text(context, f"admin.shop_status.{ShopStatus(status).value}")


def reasons_markup(
    context: Context, shop_id: int, reasons: dict[str, str], preset: Route, typed: Route, back: ButtonSpec
) -> InlineKeyboardMarkup | None:
    """A button per preset reason (``preset`` with the shop and the reason's code), one to type a reason, and back."""
    rows = [[(label(context, key), preset.data(shop_id, code))] for code, key in reasons.items()]
    rows.append([(label(context, "admin.btn.other_reason"), typed.with_id(shop_id))])
    rows.append([back])
    return keyboard(rows)


def back_to_menu(context: Context) -> list[ButtonSpec]:
    return [(label(context, "admin.btn.menu"), Route.ADMIN_MENU.data())]


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f}%"
