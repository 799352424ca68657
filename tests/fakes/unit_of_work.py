"""The fake unit of work: staging, row locks, version checks (see tests/fakes/database.py for the semantics)."""

from __future__ import annotations

import asyncio
import copy
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from domain.events import StateChanged
from tests.fakes.alerts import FakeAlerts
from tests.fakes.database import DELETED, LOCK_WAIT_SECONDS, FakeDatabase, conflict, sorted_rows
from tests.fakes.favourites import FakeFavourites, FakeRecentViews
from tests.fakes.ledger import FakeLedger, FakeLedgerCheck
from tests.fakes.refunds import FakeRefundQueries
from tests.fakes.repositories import (
    FakeAddresses,
    FakeAudit,
    FakeCarts,
    FakeConversations,
    FakeCoupons,
    FakeDeadLetterUpdates,
    FakeGroupBuys,
    FakeImports,
    FakeListingViews,
    FakeOrders,
    FakeOutbox,
    FakePayments,
    FakePayouts,
    FakeProcessedUpdates,
    FakeProducts,
    FakePromotions,
    FakeReviews,
    FakeShops,
    FakeTickets,
    FakeUsers,
)
from tests.fakes.staff import FakeStaff
from tests.fakes.stats import FakePlatformStats, FakeShopStats


class FakeUnitOfWork:
    def __init__(self, db: FakeDatabase, *, read_only: bool = False) -> None:
        self.db = db
        self.read_only = read_only
        self._staged: dict[str, dict[Any, Any]] = defaultdict(dict)
        self._held: set[tuple[str, Any]] = set()
        self.users = FakeUsers(self)
        self.addresses = FakeAddresses(self)
        self.shops = FakeShops(self)
        self.products = FakeProducts(self)
        self.carts = FakeCarts(self)
        self.favourites = FakeFavourites(self)
        self.recent_views = FakeRecentViews(self)
        self.orders = FakeOrders(self)
        self.group_buys = FakeGroupBuys(self)
        self.tickets = FakeTickets(self)
        self.reviews = FakeReviews(self)
        self.promotions = FakePromotions(self)
        self.coupons = FakeCoupons(self)
        self.payments = FakePayments(self)
        self.ledger = FakeLedger(self)
        self.payouts = FakePayouts(self)
        self.imports = FakeImports(self)
        self.ledger_check = FakeLedgerCheck(self)
        self.refund_queries = FakeRefundQueries(self)
        self.outbox = FakeOutbox(self)
        self.alerts = FakeAlerts(self)
        self.staff = FakeStaff(self)
        self.audit = FakeAudit(self)
        self.conversations = FakeConversations(self)
        self.listing_views = FakeListingViews(self)
        self.processed_updates = FakeProcessedUpdates(self)
        self.dead_letter_updates = FakeDeadLetterUpdates(self)
        self.shop_stats = FakeShopStats(self)
        self.platform_stats = FakePlatformStats(self)

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.rollback()

    async def commit(self, *, idempotent: bool = False) -> None:
        await self.db.checkpoint("commit")
        self.db.apply(self._staged)
        self._staged = defaultdict(dict)
        self._release()

    async def rollback(self) -> None:
        self._staged = defaultdict(dict)
        self._release()

    # --- rows -------------------------------------------------------------------------------------------------
    def visible(self, table: str, key: Any) -> Any:
        """The row as this unit sees it (its own staged write, else the committed one); not a copy."""
        staged = self._staged[table].get(key)
        if staged is DELETED:
            return None
        if staged is not None:
            return staged
        return self.db.tables[table].get(key)

    def select(self, table: str, where: Callable[[Any], bool] = lambda _: True) -> list[Any]:
        """Copies of every visible row of ``table`` matching ``where``, in key order."""
        merged = dict(self.db.tables[table])
        for key, row in self._staged[table].items():
            if row is DELETED:
                merged.pop(key, None)
            else:
                merged[key] = row
        return [copy.deepcopy(row) for _, row in sorted_rows(merged.items()) if where(row)]

    async def read(self, table: str, key: Any, *, for_update: bool = False, wait: bool = False) -> Any:
        """``wait``: block on the row lock whatever the database's ``for_update`` mode (``SELECT ... FOR UPDATE``
        without ``SKIP LOCKED``)."""
        mode = ("block" if wait else self.db.for_update) if for_update and not self.read_only else "ignore"
        if mode == "skip_locked" and (table, key) not in self._held and self.db.lock(table, key).locked():
            await self.db.checkpoint(f"{table}.get")
            return None
        if mode != "ignore":
            await self.lock(table, key)
        row = copy.deepcopy(self.visible(table, key))
        await self.db.checkpoint(f"{table}.get")
        return row

    async def insert(self, table: str, row: Any, key: Any = None) -> Any:
        """Stage a new row; assigns ``row.id`` (in place, like a flush) when no key is given."""
        self._writable()
        if key is None:
            if getattr(row, "id", 0) == 0:
                row.id = self.db.next_id(table)
            key = row.id
        await self.lock(table, key)
        self._take_events(row)
        self._staged[table][key] = copy.deepcopy(row)
        return row

    async def update(self, table: str, row: Any, key: Any = None) -> None:
        """Write a loaded row back: version-checked when it has a version, which is then bumped in place."""
        self._writable()
        key = row.id if key is None else key
        await self.lock(table, key)
        current = self.visible(table, key)
        if current is None:
            raise AssertionError(f"fake: saving {table} {key!r}, which does not exist")
        if hasattr(row, "version"):
            if current.version != row.version:
                raise conflict(table, key)
            row.version += 1
        self._take_events(row)
        self._staged[table][key] = copy.deepcopy(row)
        await self.db.checkpoint(f"{table}.save")

    async def change(self, table: str, key: Any, mutate: Callable[[Any], bool]) -> bool:
        """An atomic conditional UPDATE of one row (``mutate`` returns False to leave it alone); bumps the version,
        so an aggregate loaded before it can no longer be saved."""
        self._writable()
        await self.lock(table, key)
        current = self.visible(table, key)
        if current is None:
            return False
        row = copy.deepcopy(current)
        if not mutate(row):
            return False
        if hasattr(row, "version"):
            row.version += 1
        self._staged[table][key] = row
        return True

    async def delete(self, table: str, key: Any) -> None:
        self._writable()
        await self.lock(table, key)
        self._staged[table][key] = DELETED

    def append_audit(self, events: list[StateChanged]) -> None:
        for event in events:
            self._staged["audit"][self.db.next_id("audit")] = event

    # --- locks --------------------------------------------------------------------------------------------------
    async def lock(self, table: str, key: Any) -> None:
        if (table, key) in self._held:
            return
        try:
            await asyncio.wait_for(self.db.lock(table, key).acquire(), LOCK_WAIT_SECONDS)
        except TimeoutError as error:
            raise AssertionError(f"fake: waited {LOCK_WAIT_SECONDS}s for a lock on {table} {key!r}") from error
        self._held.add((table, key))

    def _release(self) -> None:
        for table, key in self._held:
            self.db.lock(table, key).release()
        self._held.clear()

    def _writable(self) -> None:
        if self.read_only:
            raise AssertionError("fake: write in a read-only unit of work")

    def _take_events(self, row: Any) -> None:
        events = getattr(row, "events", None)
        if events:
            self.append_audit(list(events))
            events.clear()
