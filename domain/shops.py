"""Shops and their application lifecycle (申请开店 → 审核 → 保证金 → 营业)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.aggregate import Stateful
from domain.events import StateChanged
from domain.money import Money
from domain.shipping import ShippingTemplate
from domain.state_machine import StateMachine


class ShopStatus(StrEnum):
    PENDING_REVIEW = "pending_review"
    AWAITING_DEPOSIT = "awaiting_deposit"
    ACTIVE = "active"
    REJECTED = "rejected"
    EXPIRED = "expired"  # deposit not paid in time after approval
    SUSPENDED = "suspended"
    CLOSED = "closed"


class ShopType(StrEnum):
    INDIVIDUAL = "individual"
    ENTERPRISE = "enterprise"
    FLAGSHIP = "flagship"


SHOP_MACHINE: StateMachine[ShopStatus] = StateMachine(
    "shop",
    {
        ShopStatus.PENDING_REVIEW: {ShopStatus.AWAITING_DEPOSIT, ShopStatus.REJECTED},
        ShopStatus.AWAITING_DEPOSIT: {ShopStatus.ACTIVE, ShopStatus.EXPIRED},
        ShopStatus.REJECTED: {ShopStatus.PENDING_REVIEW},
        ShopStatus.EXPIRED: {ShopStatus.PENDING_REVIEW},
        ShopStatus.ACTIVE: {ShopStatus.SUSPENDED, ShopStatus.CLOSED},
        ShopStatus.SUSPENDED: {ShopStatus.ACTIVE, ShopStatus.CLOSED},
        ShopStatus.CLOSED: set(),
    },
)

# A merchant holds at most one shop that is not finished; these count as "has a shop".
LIVE_SHOP_STATUSES = frozenset(
    {ShopStatus.PENDING_REVIEW, ShopStatus.AWAITING_DEPOSIT, ShopStatus.ACTIVE, ShopStatus.SUSPENDED}
)


@dataclass
class Shop(Stateful):
    ENTITY = "shop"
    MACHINE = SHOP_MACHINE

    id: int
    owner_id: int
    name: str
    business_scope: str
    shop_type: ShopType
    contact_phone: str
    documents: list[str]  # Telegram file ids: business licence, ID photos
    status: ShopStatus
    created_at: datetime
    deposit: Money
    agreement_accepted_at: datetime | None = None
    decided_at: datetime | None = None
    decided_by: int | None = None
    reject_reason: str = ""
    suspend_reason: str = ""
    deadline_at: datetime | None = None  # deposit due while awaiting_deposit
    deposit_paid_at: datetime | None = None
    deposit_balance: Money | None = None  # what is left of the deposit after covering refunds
    score: int = 100
    late_shipments: int = 0
    warned_at: datetime | None = None
    deposit_return_at: datetime | None = None  # closed: when to look at returning the deposit (after-sales over)
    shipping: ShippingTemplate | None = None  # what delivery costs (None: free, nothing shown)
    version: int = 0
    events: list[StateChanged] = field(default_factory=list, repr=False, compare=False)

    @property
    def is_open_for_business(self) -> bool:
        return self.status is ShopStatus.ACTIVE
