"""SQLAlchemy implementations of the domain's repository ports (domain/ports.py)."""

from storage.repositories.audit import SqlAuditLog
from storage.repositories.conversations import (
    SqlConversationStore,
    SqlDeadLetterUpdates,
    SqlListingViews,
    SqlProcessedUpdates,
)
from storage.repositories.coupons import SqlCouponRepository
from storage.repositories.favourites import SqlFavouriteRepository, SqlRecentViewRepository
from storage.repositories.group_buys import SqlGroupBuyRepository
from storage.repositories.imports import SqlImportJobRepository
from storage.repositories.ledger import SqlLedgerRepository
from storage.repositories.orders import SqlOrderRepository
from storage.repositories.outbox import SqlOutbox
from storage.repositories.payments import SqlPaymentRepository
from storage.repositories.payouts import SqlPayoutRepository
from storage.repositories.products import SqlCartRepository, SqlProductRepository
from storage.repositories.promotions import SqlPromotionRepository
from storage.repositories.reviews import SqlReviewRepository
from storage.repositories.shops import SqlShopRepository
from storage.repositories.tickets import SqlTicketRepository
from storage.repositories.users import SqlAddressRepository, SqlUserRepository

__all__ = [
    "SqlAddressRepository",
    "SqlAuditLog",
    "SqlCartRepository",
    "SqlConversationStore",
    "SqlCouponRepository",
    "SqlDeadLetterUpdates",
    "SqlFavouriteRepository",
    "SqlGroupBuyRepository",
    "SqlImportJobRepository",
    "SqlLedgerRepository",
    "SqlListingViews",
    "SqlOrderRepository",
    "SqlOutbox",
    "SqlPaymentRepository",
    "SqlPayoutRepository",
    "SqlProcessedUpdates",
    "SqlProductRepository",
    "SqlPromotionRepository",
    "SqlRecentViewRepository",
    "SqlReviewRepository",
    "SqlShopRepository",
    "SqlTicketRepository",
    "SqlUserRepository",
]
