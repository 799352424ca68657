"""Where a parcel's timeline comes from: the carrier port and the two carriers the marketplace knows.

- ``ManualCarrier``: whatever the merchant posted (``add_tracking_update``) is the timeline.
- ``SandboxCarrier``: a pretend courier for trying the bot out. It moves a parcel one stage further every
  ``step`` after it was shipped: picked up (at shipping), in transit, out for delivery, delivered. The stages are
  computed from the clock when someone looks, so nothing has to run in the background; updates the merchant
  posted by hand are merged in.

The merchant names the carrier when shipping; the code ``sandbox`` (any case) picks the sandbox carrier, anything
else (SF Express, EMS, ...) is tracked by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from domain.orders import Order, TrackingEvent

SANDBOX_CODE = "sandbox"
MANUAL_CODE = "manual"


class TrackingStatus(StrEnum):
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"


# The sandbox courier's stages, in the order a parcel goes through them.
SANDBOX_STAGES: tuple[TrackingStatus, ...] = tuple(TrackingStatus)


class Carrier(Protocol):
    code: str

    def timeline(self, order: Order, recorded: Sequence[TrackingEvent], now: datetime) -> list[TrackingEvent]:
        """Every tracking event of ``order`` known at ``now``, oldest first (``recorded``: the stored ones)."""
        ...


def _chronological(events: Sequence[TrackingEvent]) -> list[TrackingEvent]:
    return sorted(events, key=lambda event: event.at)


@dataclass(frozen=True)
class ManualCarrier:
    code: str = MANUAL_CODE

    def timeline(self, order: Order, recorded: Sequence[TrackingEvent], now: datetime) -> list[TrackingEvent]:
        return _chronological([event for event in recorded if event.at <= now])


@dataclass(frozen=True)
class SandboxCarrier:
    step: timedelta
    code: str = SANDBOX_CODE

    def __post_init__(self) -> None:
        if self.step <= timedelta(0):
            raise ValueError("the sandbox carrier needs a positive step")

    def timeline(self, order: Order, recorded: Sequence[TrackingEvent], now: datetime) -> list[TrackingEvent]:
        events = [event for event in recorded if event.at <= now]
        if order.shipped_at is not None:
            for index, stage in enumerate(SANDBOX_STAGES):
                at = order.shipped_at + self.step * index
                if at <= now:
                    events.append(TrackingEvent(order.id, at, "", SANDBOX_CODE, stage.value))
        return _chronological(events)


def carrier_for(code: str, *, sandbox_step: timedelta) -> Carrier:
    """The carrier behind the name a merchant gave when shipping."""
    if code.strip().lower() == SANDBOX_CODE:
        return SandboxCarrier(sandbox_step)
    return ManualCarrier()


def is_delivered(events: Sequence[TrackingEvent]) -> bool:
    return any(event.status == TrackingStatus.DELIVERED.value for event in events)
