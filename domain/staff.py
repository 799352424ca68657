"""Staff (子账号): people the owner lets work in their shop, each with one role, and the one-time invitations that
bring them in; and a shop's linked Telegram group chat.

A role says which merchant screens and actions its holder gets (the table in domain/authorization.py) and which
alerts reach them (``alerted_roles``). An invitation is a token in a deep link (``/start staff_<token>``): it
expires and is used once. A group chat linked to a shop may receive its order and ticket alerts; the buttons on
them work for whoever presses them only as far as the table lets that person act for the shop.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.alerts import EventGroup, group_of

INVITE_PREFIX = "staff_"
# The argument a staff member's copy of a shop alert carries: the shop's name, shown above the alert (someone
# working for several shops must see which one it is for).
FOR_SHOP = "for_shop"
INVITE_TTL = timedelta(days=2)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,48}$")
MAX_STAFF = 20  # per shop


class StaffRole(StrEnum):
    ORDERS = "orders"  # accept, ship, tracking
    SERVICE = "service"  # after-sales tickets, reviews, buyers' messages
    VIEWER = "viewer"  # the shop's numbers

    @property
    def menu_role(self) -> str:
        """The role name the command menu and /help know this staff role by (``staff_orders`` …)."""
        return f"staff_{self.value}"


@dataclass
class StaffMember:
    shop_id: int
    user_id: int
    role: StaffRole
    added_by: int
    added_at: datetime
    name: str = ""  # shown on the owner's list (first name or @username when the row was read)
    # The shop they work in (staff of several shops): the one they chose or joined last; at most one per person
    # (``StaffRepository.choose``).
    working: bool = False


@dataclass
class StaffInvite:
    token: str
    shop_id: int
    role: StaffRole
    created_by: int
    created_at: datetime
    expires_at: datetime
    used_by: int | None = None
    used_at: datetime | None = None

    def usable(self, now: datetime) -> bool:
        return self.used_by is None and now < self.expires_at


@dataclass
class ShopGroup:
    """A Telegram group chat linked to a shop; ``alerts``: its order and ticket alerts are posted there too."""

    chat_id: int
    shop_id: int
    title: str
    linked_by: int
    linked_at: datetime
    alerts: bool = True


def new_token() -> str:
    return secrets.token_urlsafe(18)  # 24 characters of [A-Za-z0-9_-]: fits a /start payload


def invite_token(payload: str) -> str | None:
    """The token of a ``staff_<token>`` start payload; None for any other payload or a malformed token."""
    if not payload.startswith(INVITE_PREFIX):
        return None
    token = payload[len(INVITE_PREFIX) :]
    return token if _TOKEN.match(token) else None


_ALERTED: dict[EventGroup, frozenset[StaffRole]] = {
    EventGroup.PAID_ORDER: frozenset({StaffRole.ORDERS}),
    EventGroup.SHIP_BY: frozenset({StaffRole.ORDERS}),
    EventGroup.AFTERSALES: frozenset({StaffRole.SERVICE}),
    EventGroup.REVIEWS: frozenset({StaffRole.SERVICE}),
}
GROUP_CHAT_EVENTS = frozenset({EventGroup.PAID_ORDER, EventGroup.SHIP_BY, EventGroup.AFTERSALES})


def alerted_roles(key: str) -> frozenset[StaffRole]:
    """The staff roles an owner's alert (its message key) also goes to: orders to order staff, tickets and reviews
    to service staff; nothing else (money, evaluation) leaves the owner."""
    group = group_of(key)
    return _ALERTED.get(group, frozenset()) if group is not None else frozenset()


def for_group_chat(key: str) -> bool:
    """Whether an owner's alert is also posted in the shop's group chat (when its alerts are on)."""
    return group_of(key) in GROUP_CHAT_EVENTS
