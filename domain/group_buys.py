"""Group buys (拼团): a leader opens, friends join by paying, the group fills or fails by its deadline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.aggregate import Stateful
from domain.events import Actor, StateChanged
from domain.money import Money
from domain.state_machine import StateMachine


class GroupBuyStatus(StrEnum):
    OPEN = "open"
    COMPLETE = "complete"
    FAILED = "failed"


GROUP_BUY_MACHINE: StateMachine[GroupBuyStatus] = StateMachine(
    "group_buy",
    {
        GroupBuyStatus.OPEN: {GroupBuyStatus.COMPLETE, GroupBuyStatus.FAILED},
        GroupBuyStatus.COMPLETE: set(),
        GroupBuyStatus.FAILED: set(),
    },
)

MIN_GROUP_SIZE = 2
MAX_GROUP_SIZE = 10


@dataclass
class GroupBuy(Stateful):
    ENTITY = "group_buy"
    MACHINE = GROUP_BUY_MACHINE

    id: int
    product_id: int
    shop_id: int
    leader_id: int
    size: int
    price: Money  # what the leader pays per unit (a group of a product sold as itself: what every member pays)
    status: GroupBuyStatus
    created_at: datetime
    deadline_at: datetime | None
    member_count: int = 0  # members who have paid and hold a seat
    reminder_at: datetime | None = None
    completed_at: datetime | None = None
    # A group of a product with options (``product_id`` is the product): each member picks a SKU and pays its group
    # price with this amount off (``pricing.sku_group_price``), kept from when the group opened. None otherwise.
    group_off: Money | None = None
    version: int = 0
    events: list[StateChanged] = field(default_factory=list, repr=False, compare=False)

    def end(self, status: GroupBuyStatus, *, actor: Actor, at: datetime, reason: str = "") -> None:
        """Complete or fail: an ended group has no deadline and no reminder left to fire."""
        self.transition_to(status, actor=actor, at=at, reason=reason)
        self.deadline_at = self.reminder_at = None

    @property
    def of_skus(self) -> bool:
        """Each member picks a SKU of the product (it has options)."""
        return self.group_off is not None

    @property
    def missing(self) -> int:
        return max(self.size - self.member_count, 0)

    @property
    def is_full(self) -> bool:
        return self.member_count >= self.size
