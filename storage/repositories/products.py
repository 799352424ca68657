"""Products (catalogue, search, atomic stock) and buyers' carts."""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import reduce
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Update,
    and_,
    bindparam,
    case,
    column,
    delete,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
    update,
)

from domain.listing import Listing, Sort
from domain.pricing import PRICE_FLOOR
from domain.products import CartItem, Product
from domain.promotions import PromotionKind, PromotionStatus
from domain.shops import ShopStatus
from storage.models import CartItemRow, CategoryCountRow, ProductRow, PromotionRow, ShopRow
from storage.models.catalog import PRODUCT_SEARCH_TABLE, SEARCH_GRAMS_TABLE
from storage.repositories.base import ROW_ID, AggregateRepository, Repository
from storage.repositories.mapping import RowMapper

PRODUCTS = ProductRow.__table__
QUANTITY = "_quantity"
_by_id = PRODUCTS.c.id == bindparam(ROW_ID)
_RESERVE = (
    update(PRODUCTS)
    .where(_by_id, PRODUCTS.c.stock >= bindparam(QUANTITY), PRODUCTS.c.active.is_(True))
    .values(stock=PRODUCTS.c.stock - bindparam(QUANTITY), version=PRODUCTS.c.version + 1)
)
_RELEASE = (
    update(PRODUCTS).where(_by_id).values(stock=PRODUCTS.c.stock + bindparam(QUANTITY), version=PRODUCTS.c.version + 1)
)
_ADD_SALES = (
    update(PRODUCTS)
    .where(_by_id)
    .values(sales_count=PRODUCTS.c.sales_count + bindparam(QUANTITY), version=PRODUCTS.c.version + 1)
)


PRODUCT = RowMapper(Product, ProductRow)


def _browsable(stmt: Select[Any]) -> Select[Any]:
    """Only what a buyer may see: active products of active shops.

    The shop is checked per product (a correlated EXISTS, one primary-key probe) rather than joined, so both
    databases walk a listing index in the page's order and stop after the page instead of starting from the
    shops and sorting everything they sell.
    """
    shop_open = exists().where(ShopRow.id == ProductRow.shop_id, ShopRow.status == str(ShopStatus.ACTIVE))
    return stmt.where(ProductRow.active.is_(True), ProductRow.parent_id.is_(None), shop_open)


_SKU = ProductRow.__table__.alias("sku")


def _in_stock() -> ColumnElement[bool]:
    """At least one unit to sell: of the product itself, or of one of its SKUs (domain/variants.py)."""
    sku_left = exists().where(_SKU.c.parent_id == ProductRow.id, _SKU.c.active.is_(True), _SKU.c.stock > 0)
    return or_(ProductRow.stock > 0, sku_left)


def _browse_filter(stmt: Select[Any], category: str | None, shop_id: int | None) -> Select[Any]:
    stmt = _browsable(stmt)
    if category is not None:
        stmt = stmt.where(ProductRow.category == category)
    if shop_id is not None:
        stmt = stmt.where(ProductRow.shop_id == shop_id)
    return stmt


def _words(words: Sequence[str]) -> list[str]:
    return [w for w in (word.strip() for word in words) if w]


def _matches(column: Any, word: str) -> ColumnElement[bool]:
    # ILIKE on PostgreSQL, lower() LIKE lower() on SQLite; % and _ in the word are matched literally.
    return column.icontains(word, autoescape=True)


_SEARCH_INDEX = table(PRODUCT_SEARCH_TABLE)
_FTS_ROWID = literal_column(f"{PRODUCT_SEARCH_TABLE}.rowid")
_GRAMS = table(SEARCH_GRAMS_TABLE, column("gram"), column("product_id"))
_PLAN_PER_SEARCH = text(
    "SELECT set_config('plan_cache_mode', 'force_custom_plan', true), set_config('enable_seqscan', 'off', true)"
)
_PLANNED_FOR = "search_planning"  # session.info: the transaction the settings above were made for
# Trigram indexes (FTS5 on SQLite, pg_trgm) find substrings of three characters or more; shorter words are read
# off ``search_grams`` (migration 0024), which holds every product's substrings of one and two characters.
TRIGRAM = 3
_TRIGRAM_MATCHES = "trigram_matches"  # PostgreSQL: a search's matches through the trigram indexes, for its count


def _fts_phrases(words: list[str]) -> str | None:
    """An FTS5 query every product containing all the (long enough) words matches, or None if none is long enough.

    Each word is a quoted phrase, so nothing in it is FTS syntax. The trigram index folds case at least as
    widely as SQLite's lower(), so it finds a superset of what the LIKEs accept; the LIKEs still decide.
    """
    phrases = ['"' + word.replace('"', '""') + '"' for word in words if len(word) >= TRIGRAM]
    return " AND ".join(phrases) or None


def _short_word(words: list[str]) -> str | None:
    """The word ``search_grams`` finds products by when no word is long enough for the trigram indexes: the
    longest (two characters narrow more than one), or None when some word is long enough."""
    if any(len(word) >= TRIGRAM for word in words):
        return None
    return max(words, key=len)


def _every_word(words: list[str]) -> ColumnElement[bool]:
    return and_(
        *[
            or_(_matches(ProductRow.title, w), _matches(ProductRow.brand, w), _matches(ProductRow.description, w))
            for w in words
        ]
    )


def _search_filter(stmt: Select[Any], words: list[str], dialect: str) -> Select[Any]:
    """Products containing every word: an index narrows (FTS5 on SQLite, trigram GIN on PostgreSQL, which answers
    the ILIKEs by itself, or ``search_grams`` for short words), the LIKEs decide."""
    stmt = _browsable(stmt).where(_every_word(words))
    phrases = _fts_phrases(words) if dialect == "sqlite" else None
    short = _short_word(words)
    if phrases is not None:
        candidates = select(literal_column("rowid")).select_from(_SEARCH_INDEX)
        stmt = stmt.where(ProductRow.id.in_(candidates.where(literal_column(PRODUCT_SEARCH_TABLE).match(phrases))))
    elif short is not None:
        stmt = stmt.where(ProductRow.id.in_(select(_GRAMS.c.product_id).where(_GRAMS.c.gram == short)))
    return stmt


def _candidates(listing: Listing, dialect: str, now: datetime) -> Select[Any]:
    """The ids of a search's matches (words and filters), newest listing first, read in that order off an index
    where the database can: the FTS5 table's rowids on SQLite, ``search_grams`` for short words on both. A LIMIT
    on it stops after that many matches instead of finding, checking and ranking all of them.

    On PostgreSQL, words of three characters or more have no index in id order: the planner walks the primary key
    backwards checking the ILIKEs until enough matched (about 20 000 rows for the newest 1 000 of a word in one
    product in 20). It is kept for the page: reading every match through the trigram indexes instead halves that
    for such a word but costs three to five times as much for a word in one product in five or six (README:
    Performance).
    """
    words = _words(listing.words)
    phrases = _fts_phrases(words) if dialect == "sqlite" else None
    short = _short_word(words)
    if phrases is not None:
        driven = _SEARCH_INDEX.join(ProductRow, ProductRow.id == _FTS_ROWID)
        stmt = select(ProductRow.id).select_from(driven).where(literal_column(PRODUCT_SEARCH_TABLE).match(phrases))
        newest_first = _FTS_ROWID.desc()
    elif short is not None:
        driven = _GRAMS.join(ProductRow, ProductRow.id == _GRAMS.c.product_id)
        stmt = select(ProductRow.id).select_from(driven).where(_GRAMS.c.gram == short)
        newest_first = _GRAMS.c.product_id.desc()
    else:  # PostgreSQL: the ILIKEs use the trigram indexes
        stmt = select(ProductRow.id)
        newest_first = ProductRow.id.desc()
    stmt = _filtered(_browsable(stmt).where(_every_word(words)), listing, dialect, now)
    return stmt.order_by(newest_first)


def _first_matches(listing: Listing, dialect: str, now: datetime, at_most: int) -> Select[Any]:
    """At most ``at_most`` of a search's matches, in no particular order: what its count counts.

    On PostgreSQL, for words of three characters or more, the matches are a ``MATERIALIZED`` CTE, planned on its
    own as if all of them were wanted, so it reads them through the trigram indexes (a bitmap of the words'
    candidates) and stops after ``at_most``. Planned together with the LIMIT, the planner may instead walk the
    primary key or a listing index checking the ILIKEs row by row until enough matched.
    """
    words = _words(listing.words)
    found = _candidates(listing, dialect, now).order_by(None)
    if dialect == "postgresql" and _short_word(words) is None:
        matches = found.cte(_TRIGRAM_MATCHES).prefix_with("MATERIALIZED")
        return select(matches.c.id).limit(at_most)
    return found.limit(at_most)


def _hits(column: Any, words: list[str]) -> ColumnElement[int]:
    """How many of the words occur in ``column``: the ranking weight of that field."""
    return reduce(operator.add, [case((_matches(column, w), 1), else_=0) for w in words])


def price_now(now: datetime, dialect: str) -> ColumnElement[int]:
    """The unit price a buyer pays at ``now``, as ``domain.pricing.unit_price_now`` prices it, for SQL to filter
    and sort by: the list price, or the lowest price a live limited-time discount of the product or of its whole
    shop gives (rule 2: percent rounded half up, or an amount off; never a rise), floored (rule 4). The contract
    tests hold it to the pricing engine, case by case and with hypothesis (tests/contract/test_listing.py)."""
    greatest, least = (func.greatest, func.least) if dialect == "postgresql" else (func.max, func.min)
    price = ProductRow.price_amount
    promotion = PromotionRow.__table__.alias("live_discount")
    percent = (price * promotion.c.percent_off * 2 + 100) // 200  # Money.percent: half up, in integers
    saving = case(
        (promotion.c.percent_off.is_not(None), percent), else_=func.coalesce(promotion.c.amount_off_amount, 0)
    )
    # A negative saving gives a unit above the list price, which the last least() drops.
    unit = greatest(price - saving, least(price, PRICE_FLOOR))
    best = (
        select(func.min(unit))
        .where(
            promotion.c.shop_id == ProductRow.shop_id,
            promotion.c.kind == str(PromotionKind.LIMITED_TIME),
            promotion.c.status == str(PromotionStatus.ACTIVE),
            promotion.c.starts_at <= now,
            promotion.c.ends_at > now,
            or_(promotion.c.product_id.is_(None), promotion.c.product_id == ProductRow.id),
        )
        .scalar_subquery()
    )
    return least(func.coalesce(best, price), price)


def _listing_filter(stmt: Select[Any], listing: Listing, dialect: str, now: datetime) -> Select[Any]:
    words = _words(listing.words)
    stmt = _search_filter(stmt, words, dialect) if words else _browsable(stmt)
    return _filtered(stmt, listing, dialect, now)


def _filtered(stmt: Select[Any], listing: Listing, dialect: str, now: datetime) -> Select[Any]:
    """The buyer's filters: category, shop, in stock, price range."""
    if listing.category is not None:
        stmt = stmt.where(ProductRow.category == listing.category)
    if listing.shop_id is not None:
        stmt = stmt.where(ProductRow.shop_id == listing.shop_id)
    if listing.in_stock:
        stmt = stmt.where(_in_stock())
    if listing.has_price_range:
        price = price_now(now, dialect)
        if listing.low is not None:
            stmt = stmt.where(price >= listing.low)
        if listing.high is not None:
            stmt = stmt.where(price <= listing.high)
    return stmt


def _listing_order(listing: Listing, dialect: str, now: datetime) -> list[ColumnElement[Any]]:
    """The sort, then the id (highest first), so no two products tie (domain/listing.py)."""
    words = _words(listing.words)
    by: list[ColumnElement[Any]]
    if listing.sort is Sort.RELEVANCE and words:
        by = [
            _hits(ProductRow.title, words).desc(),
            _hits(ProductRow.brand, words).desc(),
            ProductRow.sales_count.desc(),
        ]
    elif listing.sort is Sort.SALES:
        by = [ProductRow.sales_count.desc()]
    elif listing.sort is Sort.PRICE_UP:
        by = [price_now(now, dialect).asc()]
    elif listing.sort is Sort.PRICE_DOWN:
        by = [price_now(now, dialect).desc()]
    else:
        by = [ProductRow.created_at.desc()]
    return [*by, ProductRow.id.desc()]


class SqlProductRepository(AggregateRepository):
    async def get(self, product_id: int) -> Product | None:
        return await self.first_entity(PRODUCT, select(ProductRow).where(ProductRow.id == product_id))

    async def get_many(self, product_ids: Sequence[int]) -> dict[int, Product]:
        if not product_ids:
            return {}
        rows = await self.all(select(ProductRow).where(ProductRow.id.in_(set(product_ids))))
        return {row.id: PRODUCT.entity(row) for row in rows}

    async def add(self, product: Product) -> Product:
        await self.add_aggregate(PRODUCT, product)
        return product

    async def skus(self, product_id: int) -> list[Product]:
        stmt = select(ProductRow).where(ProductRow.parent_id == product_id).order_by(ProductRow.id)
        return [PRODUCT.entity(row) for row in await self.all(stmt) if row.option_values]

    async def sku_stock(self, product_ids: Sequence[int]) -> dict[int, int]:
        if not product_ids:
            return {}
        stmt = (
            select(ProductRow.parent_id, func.sum(ProductRow.stock))
            .where(ProductRow.parent_id.in_(set(product_ids)), ProductRow.active.is_(True))
            .group_by(ProductRow.parent_id)
        )
        return {int(parent): int(total or 0) for parent, total in (await self.session.execute(stmt)).all()}

    async def save(self, product: Product) -> None:
        await self.save_aggregate(PRODUCT, product)

    async def add_many(self, products: Sequence[Product]) -> list[Product]:
        await self.add_aggregates(PRODUCT, products)
        return list(products)

    # Stock and sales move with single conditional UPDATEs so concurrent orders can never oversell. Each bumps
    # the version, so a merchant's edit loaded before the change fails with CONFLICT instead of undoing it.
    async def reserve_stock(self, product_id: int, quantity: int) -> bool:
        return (await self.session.execute(_RESERVE, {ROW_ID: product_id, QUANTITY: quantity})).rowcount == 1

    async def release_stock(self, product_id: int, quantity: int) -> None:
        await self.release_stock_many({product_id: quantity})

    async def add_sales(self, product_id: int, quantity: int) -> None:
        await self.add_sales_many({product_id: quantity})

    async def release_stock_many(self, quantities: Mapping[int, int]) -> None:
        await self._move(_RELEASE, quantities)

    async def add_sales_many(self, quantities: Mapping[int, int]) -> None:
        await self._move(_ADD_SALES, quantities)

    async def _move(self, stmt: Update, quantities: Mapping[int, int]) -> None:
        # One executemany; rows in id order, the order every transaction locks products in.
        params = [{ROW_ID: product_id, QUANTITY: quantities[product_id]} for product_id in sorted(quantities)]
        if params:
            await self.session.execute(stmt, params)

    @property
    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name

    async def browse(
        self, *, category: str | None = None, shop_id: int | None = None, offset: int = 0, limit: int = 10
    ) -> list[Product]:
        stmt = _browse_filter(select(ProductRow), category, shop_id)
        stmt = stmt.order_by(ProductRow.created_at.desc(), ProductRow.id.desc()).offset(offset).limit(limit)
        return [PRODUCT.entity(row) for row in await self.all(stmt)]

    async def count_browse(self, *, category: str | None = None, shop_id: int | None = None) -> int:
        if shop_id is None:  # a category, or everything: the maintained counts answer without counting
            listed = func.coalesce(func.sum(CategoryCountRow.listed), 0)
            stmt = select(listed)
            if category is not None:
                stmt = stmt.where(CategoryCountRow.category == category)
            return await self.count_of(stmt)
        return await self.count_of(_browse_filter(select(func.count(ProductRow.id)), category, shop_id))

    async def search(self, words: Sequence[str], *, offset: int = 0, limit: int = 10) -> list[Product]:
        """Products containing every word; title matches rank first, then brand, then description, then sales."""
        if not _words(words):
            return []
        return await self.listing(Listing.of(words=tuple(words)), offset=offset, limit=limit)

    async def count_search(self, words: Sequence[str]) -> int:
        if not _words(words):
            return 0
        return await self.count_listing(Listing.of(words=tuple(words)))

    async def listing(
        self, listing: Listing, *, offset: int = 0, limit: int = 10, candidates: int | None = None
    ) -> list[Product]:
        """A page of ``listing``. With ``candidates``, a search by relevance ranks only its first ``candidates``
        matches, newest listing first (``domain.listing``): the ranking never touches the rest."""
        now = self.clock.now()
        words = _words(listing.words)
        if candidates is not None and words and listing.sort is Sort.RELEVANCE:
            ranked = _candidates(listing, self._dialect, now).limit(candidates)
            stmt = select(ProductRow).where(ProductRow.id.in_(ranked))
        else:
            stmt = _listing_filter(select(ProductRow), listing, self._dialect, now)
        stmt = stmt.order_by(*_listing_order(listing, self._dialect, now))
        await self._on_search_indexes(words)
        return [PRODUCT.entity(row) for row in await self.all(stmt.offset(offset).limit(limit))]

    async def count_listing(self, listing: Listing, *, at_most: int | None = None) -> int:
        """How many products ``listing`` holds; a search stops counting at ``at_most``."""
        if not listing.words and listing == Listing.of(category=listing.category, sort=listing.sort):
            return await self.count_browse(category=listing.category)  # the maintained counts
        words = _words(listing.words)
        if at_most is not None and words:
            found = _first_matches(listing, self._dialect, self.clock.now(), at_most).subquery()
            stmt = select(func.count()).select_from(found)
        else:
            stmt = _listing_filter(select(func.count(ProductRow.id)), listing, self._dialect, self.clock.now())
        await self._on_search_indexes(words)
        return await self.count_of(stmt)

    async def _on_search_indexes(self, words: list[str]) -> None:
        """On PostgreSQL, have the search statements use the search indexes (trigram GIN, ``search_grams``).

        The planner prices ILIKE like any cheap operator, so for a catalogue of a few thousand pages it picks a
        sequential scan, which case-folds every row's text (about 85 ms at 100 000 products), over the index
        scans that recheck only the candidates. Plans are made per execution (custom), as the statements differ
        only in their words, and a generic plan made for one word would be reused for another. Both settings are
        local to the transaction (set_config's third argument), so they end with it; they are set once per
        transaction, whatever it searches (the count and the page), and the rest of a search's transaction only
        reads by primary keys and indexed columns.
        """
        if self._dialect != "postgresql" or not words:
            return
        if self.session.info.get(_PLANNED_FOR) is self.session.get_transaction() is not None:
            return
        await self.session.execute(_PLAN_PER_SEARCH)
        self.session.info[_PLANNED_FOR] = self.session.get_transaction()

    async def categories(self) -> list[tuple[str, int]]:
        """Categories with something to buy, the fullest first (from the counts the triggers keep)."""
        stmt = (
            select(CategoryCountRow.category, CategoryCountRow.listed)
            .where(CategoryCountRow.listed > 0)
            .order_by(CategoryCountRow.listed.desc(), CategoryCountRow.category)
        )
        rows = await self.session.execute(stmt)
        return [(category, int(n)) for category, n in rows.all()]

    async def for_shop(self, shop_id: int, *, offset: int = 0, limit: int = 10) -> list[Product]:
        stmt = (
            select(ProductRow)
            .where(ProductRow.shop_id == shop_id, ProductRow.parent_id.is_(None))
            .order_by(ProductRow.created_at.desc(), ProductRow.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return [PRODUCT.entity(row) for row in await self.all(stmt)]

    async def count_for_shop(self, shop_id: int) -> int:
        stmt = select(func.count(ProductRow.id)).where(ProductRow.shop_id == shop_id, ProductRow.parent_id.is_(None))
        return await self.count_of(stmt)

    async def cheapest_on_sale(self, shop_id: int) -> Product | None:
        stmt = (
            select(ProductRow)
            .where(ProductRow.shop_id == shop_id, ProductRow.active.is_(True), ProductRow.parent_id.is_(None))
            .order_by(ProductRow.price_amount, ProductRow.id)
            .limit(1)
        )
        row = await self.first(stmt)
        return PRODUCT.entity(row) if row is not None else None


CART_ITEM = RowMapper(CartItem, CartItemRow)


class SqlCartRepository(Repository):
    async def items(self, user_id: int) -> list[CartItem]:
        stmt = (
            select(CartItemRow)
            .where(CartItemRow.user_id == user_id)
            .order_by(CartItemRow.added_at, CartItemRow.product_id)
        )
        return [CART_ITEM.entity(row) for row in await self.all(stmt)]

    async def get(self, user_id: int, product_id: int) -> CartItem | None:
        stmt = select(CartItemRow).where(CartItemRow.user_id == user_id, CartItemRow.product_id == product_id)
        return await self.first_entity(CART_ITEM, stmt)

    async def put(self, item: CartItem) -> None:
        await self.upsert(CartItemRow, CART_ITEM.values(item), keys=("user_id", "product_id"))

    async def remove(self, user_id: int, product_id: int) -> None:
        stmt = delete(CartItemRow).where(CartItemRow.user_id == user_id, CartItemRow.product_id == product_id)
        await self.session.execute(stmt)

    async def clear(self, user_id: int) -> None:
        await self.session.execute(delete(CartItemRow).where(CartItemRow.user_id == user_id))
