"""Admins and the audit trail: appoint (pick a recent user, or type an id), remove (confirmed), list what admins did.

The admins listed in the settings are shown but cannot be removed (``CANNOT_REMOVE_ROOT_ADMIN``). Appointing by id
runs the ``admin_appoint`` flow: the next text is the user id (they must have talked to the bot already).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application

from domain.errors import DomainError, ErrorCode
from domain.events import Actor, StateChanged
from domain.routes import Press, Route
from domain.usecases.admins import (
    AdminEntry,
    AuditPage,
    admin_candidates,
    appoint_admin,
    audit_log,
    audit_subject,
    list_admins,
    remove_admin,
)
from domain.usecases.catalog import Page
from domain.usecases.security import REFUSAL_ENTITY
from domain.users import User
from domain.validation import parse_int
from handlers.admin._common import admin_pager, ask_to_type, back_to_menu
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_admin, services, user_id
from handlers.common.flows import DONE, Flow, Step, register_flow
from handlers.common.reply import ButtonSpec, keyboard, label, show, text
from i18n import has

APPOINT_FLOW, USER_ID = "admin_appoint", "user_id"
AUDIT_PAGE = 10
MAX_USER_ID = 10**15


# --- the list -------------------------------------------------------------------------------------------------------


def admins_text(context: Context, admins: list[AdminEntry]) -> str:
    lines = [text(context, "admin.admins.title", count=len(admins))]
    for entry in admins:
        key = "admin.admins.root" if entry.root else "admin.admins.appointed"
        lines.append(text(context, key, name=entry.name or "—", user_id=entry.user_id))
    return "\n".join(lines)


def admins_markup(context: Context, admins: list[AdminEntry]) -> InlineKeyboardMarkup | None:
    rows: list[list[ButtonSpec]] = [
        [
            (
                label(context, "admin.btn.remove_admin", name=entry.name or entry.user_id),
                Route.ADMIN_REMOVE.with_id(entry.user_id),
            )
        ]
        for entry in admins
        if not entry.root
    ]
    rows.append([(label(context, "admin.btn.appoint"), Route.ADMIN_APPOINT.data())])
    rows.append(back_to_menu(context))
    return keyboard(rows)


@on_button(Route.ADMIN_TEAM)
async def on_admins(update: Update, context: Context, press: Press) -> None:
    admins = await list_admins(services(context), actor=as_admin(update))
    await show(update, context, admins_text(context, admins), admins_markup(context, admins))


def done_markup(context: Context) -> InlineKeyboardMarkup | None:
    return keyboard([[(label(context, "admin.btn.admins"), Route.ADMIN_TEAM.data())], back_to_menu(context)])


# --- appoint ----------------------------------------------------------------------------------------------------------


@on_button(Route.ADMIN_APPOINT)
async def on_appoint(update: Update, context: Context, press: Press) -> None:
    """The newest users as one-tap buttons, or type an id."""
    candidates = await admin_candidates(services(context), actor=as_admin(update))
    rows: list[list[ButtonSpec]] = [
        [
            (
                label(context, "admin.admins.candidate", name=user.display_name, user_id=user.id),
                Route.ADMIN_APPOINT_USER.with_id(user.id),
            )
        ]
        for user in candidates
    ]
    rows.append([(label(context, "admin.btn.type_user_id"), Route.ADMIN_APPOINT_BY_ID.data())])
    rows.append([(label(context, "admin.btn.back"), Route.ADMIN_TEAM.data())])
    await show(update, context, text(context, "admin.admins.pick"), keyboard(rows))


@on_button(Route.ADMIN_APPOINT_USER)
async def on_appoint_user(update: Update, context: Context, press: Press) -> None:
    await _change_team(update, context, press, appoint_admin, "admin.admins.appointed_done")


async def _change_team(
    update: Update, context: Context, press: Press, change: Callable[..., Awaitable[User]], done_key: str
) -> None:
    """Appoint or remove the user the pressed button names, then say it is done."""
    user = await change(services(context), actor=as_admin(update), user_id=press.id())
    body = text(context, done_key, name=user.display_name, user_id=user.id)
    await show(update, context, body, done_markup(context))


@on_button(Route.ADMIN_APPOINT_BY_ID)
async def on_appoint_by_id(update: Update, context: Context, press: Press) -> None:
    """The next text is the user id."""
    allowed = list_admins(services(context), actor=as_admin(update))
    await ask_to_type(update, context, allowed, APPOINT_FLOW, USER_ID, "admin.admins.ask_id")


async def step_user_id(step: Step) -> str:
    """A user id typed (digits): appoint them. Unknown users are told to open the bot first."""
    target = parse_int(step.text.strip().lstrip("#"), minimum=1, maximum=MAX_USER_ID)
    try:
        user = await appoint_admin(services(step.context), actor=Actor.admin(user_id(step.update)), user_id=target)
    except DomainError as error:
        if error.code is ErrorCode.NOT_FOUND:
            await step.say("admin.admins.unknown_user", done_markup(step.context), user_id=target)
            return DONE
        raise
    await step.say("admin.admins.appointed_done", done_markup(step.context), name=user.display_name, user_id=user.id)
    return DONE


# --- remove -----------------------------------------------------------------------------------------------------------


@on_button(Route.ADMIN_REMOVE)
async def on_remove(update: Update, context: Context, press: Press) -> None:
    """Ask first."""
    target = press.id()
    admins = await list_admins(services(context), actor=as_admin(update))
    entry = next((a for a in admins if a.user_id == target), None)
    name = entry.name if entry and entry.name else str(target)
    rows = [
        [(label(context, "admin.btn.confirm_remove"), Route.ADMIN_REMOVE_CONFIRMED.with_id(target))],
        [(label(context, "admin.btn.back"), Route.ADMIN_TEAM.data())],
    ]
    await show(update, context, text(context, "admin.admins.remove_confirm", name=name, user_id=target), keyboard(rows))


@on_button(Route.ADMIN_REMOVE_CONFIRMED)
async def on_remove_confirmed(update: Update, context: Context, press: Press) -> None:
    await _change_team(update, context, press, remove_admin, "admin.admins.removed_done")


# --- the audit trail --------------------------------------------------------------------------------------------------


def event_text(context: Context, page: AuditPage, event: StateChanged) -> str:
    """One line of the audit trail in words: "Ada approved Bob's Tea", with the reason when there is one."""
    who = page.people.get(event.actor_id, str(event.actor_id)) if event.actor_id is not None else "—"
    if event.entity == REFUSAL_ENTITY:  # someone pressed or typed what they may not: worth an admin's eye
        attempt_made = event.data.get("attempt") or "—"
        return text(context, "admin.audit.refused", at=event.at, user=who, action=event.reason, attempt=attempt_made)
    reason = text(context, "admin.audit.reason", reason=event.reason) if event.reason else ""
    said = f"admin.audit.did.{event.entity}.{event.dst}"
    if has(said):
        line = text(context, said, at=event.at, actor=who, subject=audit_subject(page, event))
    else:
        line = text(
            context,
            "admin.audit.line",
            at=event.at,
            actor=who,
            entity=event.entity,
            entity_id=event.entity_id,
            src=event.src or "—",
            dst=event.dst,
        )
    return line + reason


def audit_text(context: Context, page: AuditPage) -> str:
    if not page.events:
        return text(context, "admin.audit.empty")
    lines = [text(context, "admin.audit.title")]
    lines += [event_text(context, page, event) for event in page.events]
    return "\n".join(lines)


def audit_markup(context: Context, page: AuditPage) -> InlineKeyboardMarkup | None:
    # The total is not counted; one more page is known to exist when it was asked for and found.
    known = page.offset + len(page.events) + (1 if page.has_more else 0)
    return keyboard([admin_pager(Page(page.offset, page.limit, known), Route.ADMIN_AUDIT), back_to_menu(context)])


@on_button(Route.ADMIN_AUDIT)
async def on_audit(update: Update, context: Context, press: Press) -> None:
    """What admins did, newest first."""
    page = await audit_log(services(context), actor=as_admin(update), offset=press.number() or 0, limit=AUDIT_PAGE)
    await show(update, context, audit_text(context, page), audit_markup(context, page))


register_flow(Flow(name=APPOINT_FLOW, steps={USER_ID: step_user_id}, cancel_key="admin.admins.appoint_cancelled"))


def register(app: Application) -> None:
    add_buttons(app, on_admins, on_appoint, on_appoint_user, on_appoint_by_id, on_remove, on_remove_confirmed, on_audit)
