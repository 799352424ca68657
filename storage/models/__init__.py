"""SQLAlchemy models, one module per area; importing this package registers every table on ``metadata``."""

from storage.models.aftersales import ReviewRow, TicketMessageRow, TicketRow
from storage.models.base import NAMING_CONVENTION, Base
from storage.models.catalog import CartItemRow, CategoryCountRow, ProductRow, PromotionRow
from storage.models.coupons import CouponClaimRow, CouponRow
from storage.models.favourites import FavouriteRow, PriceAlertRow, RecentViewRow
from storage.models.imports import ImportErrorRow, ImportJobRow
from storage.models.ledger import LedgerEntryRow, LedgerTransactionRow
from storage.models.messaging import (
    AlertPreferencesRow,
    AuditEventRow,
    ConversationRow,
    DeadLetterUpdateRow,
    ListingViewRow,
    OutboxRow,
    ProcessedUpdateRow,
)
from storage.models.orders import GroupBuyRow, OrderLineRow, OrderRow, TrackingEventRow
from storage.models.payments import PaymentRow, RefundRow
from storage.models.payouts import PayoutRow
from storage.models.shops import ShopRow
from storage.models.staff import ShopGroupRow, ShopStaffRow, StaffInviteRow
from storage.models.users import AddressRow, UserRow

metadata = Base.metadata

__all__ = [
    "NAMING_CONVENTION",
    "AddressRow",
    "AlertPreferencesRow",
    "AuditEventRow",
    "Base",
    "CartItemRow",
    "CategoryCountRow",
    "ConversationRow",
    "CouponClaimRow",
    "CouponRow",
    "DeadLetterUpdateRow",
    "FavouriteRow",
    "GroupBuyRow",
    "ImportErrorRow",
    "ImportJobRow",
    "LedgerEntryRow",
    "LedgerTransactionRow",
    "ListingViewRow",
    "OrderLineRow",
    "OrderRow",
    "OutboxRow",
    "PaymentRow",
    "PayoutRow",
    "PriceAlertRow",
    "ProcessedUpdateRow",
    "ProductRow",
    "PromotionRow",
    "RecentViewRow",
    "RefundRow",
    "ReviewRow",
    "ShopGroupRow",
    "ShopRow",
    "ShopStaffRow",
    "StaffInviteRow",
    "TicketMessageRow",
    "TicketRow",
    "TrackingEventRow",
    "UserRow",
    "metadata",
]
