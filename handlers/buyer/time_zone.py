"""/timezone: the zone every time the bot shows this user is in (deadlines, history, notifications).

The screen shows the current zone and the time there, buttons for common zones, and a button to type any IANA
name instead (any case, ``asia/shanghai``); an unknown name is answered, changes nothing and may be typed again.
The language screen links here.
"""

from __future__ import annotations

from babel.dates import get_timezone_location
from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from domain.routes import Press, Route
from domain.usecases.users import choose_time_zone
from handlers.common.buttons import add_buttons, on_button
from handlers.common.context import ZONE_KEY
from handlers.common.deps import LANG_KEY, Context, lang, services, user_id
from handlers.common.flows import DONE, Flow, Step, active_flow, advance_flow, register_flow, start_flow
from handlers.common.reply import ButtonSpec, acknowledge, keyboard, label, send, show, text
from i18n import Reader, zone_of

FLOW, ZONE = "time_zone", "zone"
COMMON_ZONES = (
    "UTC",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Australia/Sydney",
)


def zone_label(language: str, zone: str) -> str:
    """A zone as people know it: "China (Shanghai) Time", "中国（上海）时间"; UTC is just UTC."""
    if zone == "UTC":
        return zone
    return get_timezone_location(zone, locale="zh_Hans_CN" if language == "zh" else "en")


def zones_markup(context: Context) -> InlineKeyboardMarkup | None:
    current = zone_of(lang(context))
    buttons: list[ButtonSpec] = [
        (("✅ " if zone == current else "") + zone_label(lang(context), zone), Route.TIME_ZONE.data(index))
        for index, zone in enumerate(COMMON_ZONES)
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([(label(context, "settings.zone.btn_type"), Route.TIME_ZONE_TYPE.data())])
    return keyboard(rows)


async def time_zone_command(update: Update, context: Context) -> None:
    now = services(context).clock.now()
    body = text(context, "settings.zone.show", zone=zone_of(lang(context)), now=now)
    await send(update, context, body, zones_markup(context))


@on_button(Route.TIME_ZONES)
async def on_time_zones(update: Update, context: Context, press: Press) -> None:
    await acknowledge(update)
    await time_zone_command(update, context)


@on_button(Route.TIME_ZONE_TYPE)
async def on_type_zone(update: Update, context: Context, press: Press) -> None:
    """Whatever is typed next is read as a zone name (/cancel leaves the zone as it is)."""
    await acknowledge(update)
    await start_flow(update, context, FLOW, ZONE)
    await send(update, context, text(context, "settings.zone.ask"))


@on_button(Route.TIME_ZONE)
async def on_time_zone(update: Update, context: Context, press: Press) -> None:
    index = press.number()
    if index is None or index >= len(COMMON_ZONES):
        await show(update, context, text(context, "buyer.stale"))
        return
    await acknowledge(update)
    await _set(update, context, COMMON_ZONES[index])
    state = await active_flow(update, context, FLOW)
    if state is not None:  # pressed instead of typing after all
        await advance_flow(update, context, state, DONE)


async def _set(update: Update, context: Context, zone: str) -> None:
    user = await choose_time_zone(services(context), user_id=user_id(update), zone=zone)
    if context.user_data is not None:
        context.user_data[LANG_KEY] = user.language.value
        context.user_data[ZONE_KEY] = user.time_zone
    reader = Reader(user.language.value, user.time_zone)
    body = text(context, "settings.zone.set", zone=reader.zone, now=services(context).clock.now())
    await send(update, context, body)


async def step_zone(step: Step) -> str:
    """A zone typed by name; an unknown one is refused (by the use case) and the question stays open."""
    await _set(step.update, step.context, step.text)
    return DONE


register_flow(Flow(name=FLOW, steps={ZONE: step_zone}, cancel_key="settings.zone.cancelled"))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("timezone", time_zone_command))
    add_buttons(app, on_time_zones, on_time_zone, on_type_zone)
