"""The unit of work: one transaction, every repository, rolled back unless committed."""

from __future__ import annotations

from contextvars import Token

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.clock import Clock, SystemClock
from domain.update_effects import note_commit
from storage.engine import no_snapshot_engine, read_only_engine
from storage.ledger_check_queries import SqlLedgerCheckQueries
from storage.platform_stats_queries import SqlPlatformStatsQueries
from storage.refund_queries import SqlRefundQueries
from storage.repositories import (
    SqlAddressRepository,
    SqlAuditLog,
    SqlCartRepository,
    SqlConversationStore,
    SqlCouponRepository,
    SqlDeadLetterUpdates,
    SqlFavouriteRepository,
    SqlGroupBuyRepository,
    SqlImportJobRepository,
    SqlLedgerRepository,
    SqlListingViews,
    SqlOrderRepository,
    SqlOutbox,
    SqlPaymentRepository,
    SqlPayoutRepository,
    SqlProcessedUpdates,
    SqlProductRepository,
    SqlPromotionRepository,
    SqlRecentViewRepository,
    SqlReviewRepository,
    SqlShopRepository,
    SqlTicketRepository,
    SqlUserRepository,
)
from storage.repositories.alerts import SqlAlertPreferences
from storage.repositories.staff import SqlStaffRepository
from storage.stats_queries import SqlShopStatsQueries
from storage.transaction_guard import enter, leave


class SqlUnitOfWork:
    """``async with factory() as uow: … await uow.commit()``; leaving the block without commit rolls back.

    On SQLite a writing unit of work takes the database's write lock at its first statement (BEGIN IMMEDIATE)
    and keeps it to the end, so keep it short and never wait on Telegram inside it.
    """

    def __init__(self, engine: AsyncEngine, clock: Clock, *, read_only: bool = False) -> None:
        self.read_only = read_only
        # The session connects (and BEGINs) lazily, on the first statement a repository runs.
        self.session = AsyncSession(engine, expire_on_commit=False, autoflush=False)
        session = self.session
        self.audit = SqlAuditLog(session, clock)
        self.users = SqlUserRepository(session, clock)
        self.addresses = SqlAddressRepository(session, clock)
        self.shops = SqlShopRepository(session, clock, self.audit)
        self.products = SqlProductRepository(session, clock, self.audit)
        self.carts = SqlCartRepository(session, clock)
        self.favourites = SqlFavouriteRepository(session, clock)
        self.recent_views = SqlRecentViewRepository(session, clock)
        self.orders = SqlOrderRepository(session, clock, self.audit)
        self.group_buys = SqlGroupBuyRepository(session, clock, self.audit)
        self.tickets = SqlTicketRepository(session, clock, self.audit)
        self.reviews = SqlReviewRepository(session, clock)
        self.promotions = SqlPromotionRepository(session, clock, self.audit)
        self.coupons = SqlCouponRepository(session, clock, self.audit)
        self.payments = SqlPaymentRepository(session, clock)
        self.ledger = SqlLedgerRepository(session, clock)
        self.payouts = SqlPayoutRepository(session, clock, self.audit)
        self.imports = SqlImportJobRepository(session, clock)
        self.ledger_check = SqlLedgerCheckQueries(session)
        self.refund_queries = SqlRefundQueries(session)
        self.outbox = SqlOutbox(session, clock)
        self.alerts = SqlAlertPreferences(session, clock)
        self.staff = SqlStaffRepository(session, clock)
        self.conversations = SqlConversationStore(session, clock)
        self.listing_views = SqlListingViews(session, clock)
        self.processed_updates = SqlProcessedUpdates(session, clock)
        self.dead_letter_updates = SqlDeadLetterUpdates(session, clock)
        # Read-side aggregates (SQL only; use cases reach them through these attributes).
        self.shop_stats = SqlShopStatsQueries(session)
        self.platform_stats = SqlPlatformStatsQueries(session)
        self._guard: Token[tuple[AsyncSession, ...]] | None = None

    async def __aenter__(self) -> SqlUnitOfWork:
        self._guard = enter(self.session)  # the transaction guard sees this block (storage/transaction_guard.py)
        return self

    async def __aexit__(self, *exc: object) -> None:
        # Closing a session rolls back whatever was not committed and returns the connection to the pool.
        try:
            await self.session.close()
        finally:
            if self._guard is not None:
                leave(self._guard)
                self._guard = None

    async def commit(self, *, idempotent: bool = False) -> None:
        """``idempotent``: doing these writes again (the update processed a second time after a crash) changes
        nothing a user would notice, so the update need not be recorded as processed at once
        (domain/update_effects.py)."""
        await self.session.commit()
        if not self.read_only:
            note_commit(idempotent=idempotent)

    async def rollback(self) -> None:
        await self.session.rollback()
        self.orders.forget_loaded()  # what was read or written in the rolled-back transaction no longer holds


class UnitOfWorkFactory:
    """``factory()`` for a unit of work that may write, ``factory(read_only=True)`` for one that only reads, and
    ``factory(read_only=True, snapshot=False)`` for reads that need not see one snapshot (no transaction: for a
    unit of one statement, the same answer in fewer round trips)."""

    def __init__(self, engine: AsyncEngine, clock: Clock | None = None) -> None:
        self.engine = engine
        self.clock = clock or SystemClock()
        self._read_engine = read_only_engine(engine)
        self._no_snapshot_engine = no_snapshot_engine(engine)

    def __call__(self, read_only: bool = False, *, snapshot: bool = True) -> SqlUnitOfWork:
        if not read_only:
            return SqlUnitOfWork(self.engine, self.clock)
        engine = self._read_engine if snapshot else self._no_snapshot_engine
        return SqlUnitOfWork(engine, self.clock, read_only=True)
