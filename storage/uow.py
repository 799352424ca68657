"""The unit of work: one transaction, every repository, rolled back unless committed."""

from __future__ import annotations

from contextvars import Token
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from domain.clock import Clock, SystemClock
from domain.update_effects import note_commit
from storage.engine import no_transaction_engine, read_only_engine
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
        self._clock = clock
        # The session connects (and BEGINs) lazily, on the first statement a repository runs; each repository is
        # made on first use (a unit of work uses two or three of them, and making all of them cost more than the
        # session itself).
        self.session = AsyncSession(engine, expire_on_commit=False, autoflush=False)
        self._guard: Token[tuple[AsyncSession, ...]] | None = None

    @cached_property
    def audit(self) -> SqlAuditLog:
        return SqlAuditLog(self.session, self._clock)

    @cached_property
    def users(self) -> SqlUserRepository:
        return SqlUserRepository(self.session, self._clock)

    @cached_property
    def addresses(self) -> SqlAddressRepository:
        return SqlAddressRepository(self.session, self._clock)

    @cached_property
    def shops(self) -> SqlShopRepository:
        return SqlShopRepository(self.session, self._clock, self.audit)

    @cached_property
    def products(self) -> SqlProductRepository:
        return SqlProductRepository(self.session, self._clock, self.audit)

    @cached_property
    def carts(self) -> SqlCartRepository:
        return SqlCartRepository(self.session, self._clock)

    @cached_property
    def favourites(self) -> SqlFavouriteRepository:
        return SqlFavouriteRepository(self.session, self._clock)

    @cached_property
    def recent_views(self) -> SqlRecentViewRepository:
        return SqlRecentViewRepository(self.session, self._clock)

    @cached_property
    def orders(self) -> SqlOrderRepository:
        return SqlOrderRepository(self.session, self._clock, self.audit)

    @cached_property
    def group_buys(self) -> SqlGroupBuyRepository:
        return SqlGroupBuyRepository(self.session, self._clock, self.audit)

    @cached_property
    def tickets(self) -> SqlTicketRepository:
        return SqlTicketRepository(self.session, self._clock, self.audit)

    @cached_property
    def reviews(self) -> SqlReviewRepository:
        return SqlReviewRepository(self.session, self._clock)

    @cached_property
    def promotions(self) -> SqlPromotionRepository:
        return SqlPromotionRepository(self.session, self._clock, self.audit)

    @cached_property
    def coupons(self) -> SqlCouponRepository:
        return SqlCouponRepository(self.session, self._clock, self.audit)

    @cached_property
    def payments(self) -> SqlPaymentRepository:
        return SqlPaymentRepository(self.session, self._clock)

    @cached_property
    def ledger(self) -> SqlLedgerRepository:
        return SqlLedgerRepository(self.session, self._clock)

    @cached_property
    def payouts(self) -> SqlPayoutRepository:
        return SqlPayoutRepository(self.session, self._clock, self.audit)

    @cached_property
    def imports(self) -> SqlImportJobRepository:
        return SqlImportJobRepository(self.session, self._clock)

    @cached_property
    def ledger_check(self) -> SqlLedgerCheckQueries:
        return SqlLedgerCheckQueries(self.session)

    @cached_property
    def refund_queries(self) -> SqlRefundQueries:
        return SqlRefundQueries(self.session)

    @cached_property
    def outbox(self) -> SqlOutbox:
        return SqlOutbox(self.session, self._clock)

    @cached_property
    def alerts(self) -> SqlAlertPreferences:
        return SqlAlertPreferences(self.session, self._clock)

    @cached_property
    def staff(self) -> SqlStaffRepository:
        return SqlStaffRepository(self.session, self._clock)

    @cached_property
    def conversations(self) -> SqlConversationStore:
        return SqlConversationStore(self.session, self._clock)

    @cached_property
    def listing_views(self) -> SqlListingViews:
        return SqlListingViews(self.session, self._clock)

    @cached_property
    def processed_updates(self) -> SqlProcessedUpdates:
        return SqlProcessedUpdates(self.session, self._clock)

    @cached_property
    def dead_letter_updates(self) -> SqlDeadLetterUpdates:
        return SqlDeadLetterUpdates(self.session, self._clock)

    # Read-side aggregates (SQL only; use cases reach them through these attributes).
    @cached_property
    def shop_stats(self) -> SqlShopStatsQueries:
        return SqlShopStatsQueries(self.session)

    @cached_property
    def platform_stats(self) -> SqlPlatformStatsQueries:
        return SqlPlatformStatsQueries(self.session)

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
        if "orders" in self.__dict__:
            self.orders.forget_loaded()  # what was read or written in the rolled-back transaction no longer holds


class UnitOfWorkFactory:
    """``factory()`` for a unit of work that may write, ``factory(read_only=True)`` for one that only reads;
    ``transaction=False`` for either when its statements need no common transaction (each commits, or reads what is
    committed, on its own): for a unit of one statement, the same outcome in fewer round trips."""

    def __init__(self, engine: AsyncEngine, clock: Clock | None = None) -> None:
        self.engine = engine
        self.clock = clock or SystemClock()
        self._engines = {
            (False, True): engine,
            (True, True): read_only_engine(engine),
            (False, False): no_transaction_engine(engine, read_only=False),
            (True, False): no_transaction_engine(engine, read_only=True),
        }

    def __call__(self, read_only: bool = False, *, transaction: bool = True) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._engines[read_only, transaction], self.clock, read_only=read_only)
