"""The order use cases in one place: placing, paying, fulfilment and deadlines live in ``orders_*`` modules."""

from __future__ import annotations

from domain.usecases.group_buys import expire_group_buy, place_group_order, remind_group
from domain.usecases.orders_deadlines import alert_unaccepted, expire_order, expire_orders, remind_order
from domain.usecases.orders_fulfilment import (
    accept_order,
    add_tracking_update,
    cancel_order,
    confirm_receipt,
    decline_order,
    extend_receipt,
    ship_order,
)
from domain.usecases.orders_paying import pay_order, validate_payment
from domain.usecases.orders_placing import buy_now, place_order

__all__ = [
    "accept_order",
    "add_tracking_update",
    "alert_unaccepted",
    "buy_now",
    "cancel_order",
    "confirm_receipt",
    "decline_order",
    "expire_group_buy",
    "expire_order",
    "expire_orders",
    "extend_receipt",
    "pay_order",
    "place_group_order",
    "place_order",
    "remind_group",
    "remind_order",
    "ship_order",
    "validate_payment",
]
