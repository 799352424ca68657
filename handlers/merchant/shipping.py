"""The merchant's shipping input, shared by every parcel a merchant sends (an order, an exchange's replacement).

The carrier is pressed (the usual ones, plus the sandbox carrier) or typed, then the tracking number is typed. A
flow using it keeps the carrier in its data under ``CARRIER`` and has the steps ``CARRIER`` (``step_carrier``) and
``TRACKING`` (its own: the use case that ships).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from domain.routes import Press
from domain.usecases.conversations import FlowState
from domain.validation import parse_carrier
from handlers.common.deps import Context
from handlers.common.flows import Flow, Step, StepFn, active_flow, advance_flow, register_flow
from handlers.common.reply import ButtonSpec, keyboard, label, send, text
from i18n import carrier_key

CARRIER, TRACKING = "carrier", "tracking"
SHIP_CARRIERS = ("SF Express", "JD Logistics", "EMS", "ZTO Express", "YTO Express", "sandbox")


async def ask_carrier(
    update: Update, context: Context, question: str, carrier_data: Callable[[int], str], cancel: ButtonSpec
) -> None:
    """Which carrier? One button per usual carrier (``carrier_data(index)``), and a way back."""
    rows: list[list[ButtonSpec]] = [
        [(text(context, "merchant.ship.sandbox") if name == "sandbox" else label(context, carrier_key(name)), data)]
        for name, data in ((name, carrier_data(i)) for i, name in enumerate(SHIP_CARRIERS))
    ]
    rows.append([cancel])
    await send(update, context, question, keyboard(rows))


async def on_carrier_pressed(
    update: Update,
    context: Context,
    press: Press,
    flow: str,
    key: str,
    fresh: Callable[[], Awaitable[FlowState | None]],
) -> None:
    """A carrier button: kept in ``flow`` (the one whose ``key`` is the pressed entity), then the tracking number
    is asked. An old button (the flow was left or finished) starts afresh from ``fresh()``, which re-checks (None:
    it showed where to start again instead)."""
    entity_id, index = press.id(), press.number(1)
    if index is None or index >= len(SHIP_CARRIERS):
        return
    state = await active_flow(update, context, flow)
    if state is None or state.data.get(key) != entity_id:
        state = await fresh()
        if state is None:
            return
    state.data[CARRIER] = parse_carrier(SHIP_CARRIERS[index])
    await advance_flow(update, context, state, TRACKING)
    await send(update, context, text(context, "merchant.ship.ask_tracking", carrier=state.data[CARRIER]))


def register_shipping_flow(name: str, ship: StepFn, cancel_key: str) -> None:
    """A flow of this input: the carrier, then the tracking number that ``ship`` ships with."""
    register_flow(Flow(name=name, steps={CARRIER: step_carrier, TRACKING: ship}, cancel_key=cancel_key))


async def step_carrier(step: Step) -> str:
    """A carrier typed instead of pressed."""
    step.data[CARRIER] = parse_carrier(step.text)
    await step.say("merchant.ship.ask_tracking", carrier=step.data[CARRIER])
    return TRACKING
