"""/notifications: where a merchant's alerts go. An e-mail address is added by typing it and then the 6-digit code
e-mailed to it, a phone (the shop's contact phone or a typed one) by the 6-digit code texted to it; each event
group (new paid orders, ship-by reminders, after-sales, reviews, evaluation, payouts) has a row of Telegram,
E-mail and SMS buttons that turn that channel on or off; SMS quiet hours are typed as "22:00-08:00". The e-mail
address and the phone can be removed (after a confirmation)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from domain.alerts import Channel, CodeCheck, EventGroup, hhmm
from domain.events import Actor
from domain.routes import Press, Route
from domain.usecases.alerts import (
    AlertSettings,
    alert_settings,
    ask_email_code,
    ask_phone_code,
    choose_channel,
    confirm_email_code,
    remove_contact,
    set_quiet_hours,
)
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_merchant, services, user_id
from handlers.common.flows import DONE, STAY, Flow, Step, register_flow, start_flow
from handlers.common.reply import keyboard, label, send, show, text

ALERTS_FLOW, ADDRESS, CODE = "merchant_alerts", "address", "code"
PHONE, PHONE_CODE, QUIET = "phone", "phone_code", "quiet"
USE_SHOP_PHONE = "shop"
_MARK = {True: "✅", False: "⬜"}


def settings_text(context: Context, settings: AlertSettings) -> str:
    lines = [
        text(context, "alerts.title"),
        _contact(context, "email", settings.email, settings.pending_email),
        _contact(context, "phone", settings.phone, settings.pending_phone),
    ]
    start, end = settings.quiet
    quiet = ("alerts.quiet", {"start": hhmm(start), "end": hhmm(end)}) if start != end else ("alerts.quiet_off", {})
    lines.append(text(context, quiet[0], **quiet[1]))
    lines.append(text(context, "alerts.explain"))
    return "\n\n".join(lines)


def _contact(context: Context, kind: str, verified: str, pending: str) -> str:
    """The verified e-mail (or phone), the one waiting for its code, or none yet."""
    if verified:
        return text(context, f"alerts.{kind}_verified", **{kind: verified})
    if pending:
        return text(context, f"alerts.{kind}_pending", **{kind: pending})
    return text(context, f"alerts.no_{kind}")


def settings_markup(context: Context, settings: AlertSettings) -> InlineKeyboardMarkup | None:
    rows = []
    for group in EventGroup:
        chosen, name = settings.chosen[group], label(context, f"alerts.group.{group}")
        row = []
        for channel in Channel:
            on = channel in chosen
            button = label(context, f"alerts.btn.{channel}", mark=_MARK[on], group=name)
            row.append((button, Route.MERCHANT_ALERT_SET.data(group, channel, int(not on))))
        rows.append(row)
    add = "alerts.btn.change_email" if settings.email else "alerts.btn.add_email"
    rows.append([(label(context, add), Route.MERCHANT_ALERT_EMAIL.data()), *_remove(context, Channel.EMAIL, settings)])
    phone = "alerts.btn.change_phone" if settings.phone else "alerts.btn.add_phone"
    phone_row = [(label(context, phone), Route.MERCHANT_ALERT_PHONE.data("typed"))]
    if settings.shop_phone and settings.shop_phone != settings.phone:
        use = label(context, "alerts.btn.use_shop_phone", phone=settings.shop_phone)
        phone_row.insert(0, (use, Route.MERCHANT_ALERT_PHONE.data(USE_SHOP_PHONE)))
    rows.append(phone_row)
    if remove_phone := _remove(context, Channel.SMS, settings):
        rows.append(remove_phone)
    rows.append([(label(context, "alerts.btn.quiet"), Route.MERCHANT_ALERT_QUIET.data())])
    return keyboard(rows)


def _contact_of(settings: AlertSettings, channel: Channel) -> str:
    """The e-mail address (or phone) a Remove button removes: the verified one, else the one waiting for its code."""
    if channel is Channel.EMAIL:
        return settings.email or settings.pending_email
    return settings.phone or settings.pending_phone


def _remove(context: Context, channel: Channel, settings: AlertSettings) -> list[tuple[str, str]]:
    """A Remove button when there is an address (or phone) to remove."""
    if not _contact_of(settings, channel):
        return []
    return [(label(context, f"alerts.btn.remove_{channel}"), Route.MERCHANT_ALERT_REMOVE.data(channel, 0))]


async def show_settings(update: Update, context: Context, settings: AlertSettings | None = None) -> None:
    settings = settings or await alert_settings(services(context), actor=as_merchant(update))
    await show(update, context, settings_text(context, settings), settings_markup(context, settings))


async def notifications_command(update: Update, context: Context) -> None:
    """/notifications"""
    await show_settings(update, context)


@on_button(Route.MERCHANT_ALERTS)
async def on_alerts(update: Update, context: Context, press: Press) -> None:
    await show_settings(update, context)


@on_button(Route.MERCHANT_ALERT_SET)
async def on_alert_set(update: Update, context: Context, press: Press) -> None:
    group, channel = EventGroup(press.arg(0)), Channel(press.arg(1))
    settings = await choose_channel(
        services(context), actor=as_merchant(update), group=group, channel=channel, on=press.arg(2) == "1"
    )
    await show_settings(update, context, settings)


@on_button(Route.MERCHANT_ALERT_EMAIL)
async def on_alert_email(update: Update, context: Context, press: Press) -> None:
    """The next message is the address."""
    await alert_settings(services(context), actor=as_merchant(update))  # only a merchant gets this far
    await start_flow(update, context, ALERTS_FLOW, ADDRESS)
    await send(update, context, text(context, "alerts.type_email"))


@on_button(Route.MERCHANT_ALERT_PHONE)
async def on_alert_phone(update: Update, context: Context, press: Press) -> None:
    """The shop's contact phone gets its code at once; otherwise the next message is the phone."""
    actor = as_merchant(update)
    if press.arg(0) == USE_SHOP_PHONE:
        phone = await ask_phone_code(services(context), actor=actor, typed=None)
        await start_flow(update, context, ALERTS_FLOW, PHONE_CODE)
        await send(update, context, text(context, "alerts.sms_code_sent", phone=phone))
        return
    await alert_settings(services(context), actor=actor)  # only a merchant gets this far
    await start_flow(update, context, ALERTS_FLOW, PHONE)
    await send(update, context, text(context, "alerts.type_phone"))


@on_button(Route.MERCHANT_ALERT_QUIET)
async def on_alert_quiet(update: Update, context: Context, press: Press) -> None:
    await alert_settings(services(context), actor=as_merchant(update))
    await start_flow(update, context, ALERTS_FLOW, QUIET)
    await send(update, context, text(context, "alerts.type_quiet"))


@on_button(Route.MERCHANT_ALERT_REMOVE)
async def on_alert_remove(update: Update, context: Context, press: Press) -> None:
    """Asks first ("Remove x? Nothing will go there any more"); confirmed, removes it and shows the settings."""
    channel, actor = Channel(press.arg(0)), as_merchant(update)
    if channel not in (Channel.EMAIL, Channel.SMS):
        raise ValueError(channel)
    if press.arg(1) != "1":
        settings = await alert_settings(services(context), actor=actor)
        contact = _contact_of(settings, channel)
        if not contact:  # removed already (an old confirmation): the settings as they are
            await show_settings(update, context, settings)
            return
        rows = [
            [(label(context, "alerts.btn.remove_yes"), Route.MERCHANT_ALERT_REMOVE.data(channel, 1))],
            [(label(context, "alerts.btn.remove_keep"), Route.MERCHANT_ALERTS.data())],
        ]
        await show(update, context, text(context, f"alerts.remove_{channel}_confirm", contact=contact), keyboard(rows))
        return
    settings = await remove_contact(services(context), actor=actor, channel=channel)
    await show_settings(update, context, settings)


async def step_phone(step: Step) -> str:
    actor = Actor.merchant(user_id(step.update))
    phone = await ask_phone_code(services(step.context), actor=actor, typed=step.text)
    await step.say("alerts.sms_code_sent", phone=phone)
    return PHONE_CODE


async def step_quiet(step: Step) -> str:
    actor = Actor.merchant(user_id(step.update))
    settings = await set_quiet_hours(services(step.context), actor=actor, typed=step.text)
    await show_settings(step.update, step.context, settings)
    return DONE


async def step_address(step: Step) -> str:
    """A bad address is answered (type again); a good one is sent a code, typed back next."""
    actor = Actor.merchant(user_id(step.update))
    address = await ask_email_code(services(step.context), actor=actor, typed=step.text)
    step.data["email"] = address
    await step.say("alerts.code_sent", email=address)
    return CODE


async def step_code(step: Step, channel: Channel = Channel.EMAIL) -> str:
    actor = Actor.merchant(user_id(step.update))
    result = await confirm_email_code(services(step.context), actor=actor, typed=step.text, channel=channel)
    sms = "sms_" if channel is Channel.SMS else ""
    if result.check is CodeCheck.OK:
        confirmed = "alerts.phone_confirmed" if channel is Channel.SMS else "alerts.email_confirmed"
        await step.say(confirmed, email=result.email, phone=result.email)
        await show_settings(step.update, step.context)
        return DONE
    if result.check is CodeCheck.WRONG:
        await step.say("alerts.code_wrong", left=result.attempts_left)
        return STAY
    await step.say(f"alerts.{sms}code_{result.check}")
    return DONE


async def step_phone_code(step: Step) -> str:
    return await step_code(step, Channel.SMS)


register_flow(
    Flow(
        name=ALERTS_FLOW,
        steps={
            ADDRESS: step_address,
            CODE: step_code,
            PHONE: step_phone,
            PHONE_CODE: step_phone_code,
            QUIET: step_quiet,
        },
        cancel_key="alerts.cancelled",
    )
)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("notifications", notifications_command))
    add_buttons(app, on_alerts, on_alert_set, on_alert_email, on_alert_phone, on_alert_quiet, on_alert_remove)
