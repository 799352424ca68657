"""What a product list shows: a search's words or a category, the sort, and the buyer's filters.

The rules buyers are told (README, "Search and browse"); change the code and this text together.

- **Sorts.** Relevance (a search only: title hits, then brand hits, then sales), sales (most sold first), price up,
  price down, newest (latest listed first). A search starts on relevance, a category on newest. Every sort ends
  with the product id, highest first, so two products never tie and a page always holds the same products.
- **Price** means the unit price a buyer pays now, as the product card shows it: the list price with the best
  live limited-time discount, never below the floor (``domain/pricing.py`` rules 2 and 4). Group prices and
  spend-X-get-Y-off (满减) depend on how one buys and on the whole cart, so they are not part of it.
- **Filters.** A price range (inclusive at both ends, either end open), in stock only (at least one unit),
  a category, a shop. A category list keeps its category: clearing the filters of a category leaves it a
  category list; clearing those of a search leaves the words alone.
- **Paging.** A page is the ``offset``-th products of that one order; the same list, sort, filters and page give
  the same products while the catalogue stands still, and pages laid end to end are the whole list, each product
  once.
- **A search shows at most ``SEARCH_LIMIT`` products.** Past that it says "1 000+" instead of counting on. Sorted
  by relevance it ranks its first ``SEARCH_LIMIT`` matches, newest listing (highest id) first, which the search
  indexes give in that order without reading the rest; sorted any other way it shows the first ``SEARCH_LIMIT`` of
  that order. A buyer with that many matches narrows the search with another word or a filter.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from domain.errors import DomainError, ErrorCode
from domain.money import Money, minor_digits

# Ranges a buyer picks with one press, in whole units of the currency (None: open at that end).
PRICE_PRESETS: tuple[tuple[int | None, int | None], ...] = ((None, 50), (50, 100), (100, 200), (200, 500), (500, None))
MAX_RANGE_TEXT = 40
SEARCH_LIMIT = 1000  # products a search shows at most; past it, "1 000+"
# "10-50", "10 ~ 50", "10至50", "10 to 50", "10-" (from 10), "-50" (up to 50); NFKC has made full-width ASCII.
_RANGE = re.compile(r"^\s*(?P<low>[^\s~\-–—至到]*)\s*(?:-|~|–|—|至|到|\bto\b)\s*(?P<high>[^\s~\-–—至到]*)\s*$")


class Sort(StrEnum):
    """How a list is ordered; the values travel in callback data and stored views, so they never change."""

    RELEVANCE = "r"
    SALES = "s"
    PRICE_UP = "u"
    PRICE_DOWN = "d"
    NEWEST = "n"


SEARCH_SORTS = (Sort.RELEVANCE, Sort.SALES, Sort.PRICE_UP, Sort.PRICE_DOWN, Sort.NEWEST)
BROWSE_SORTS = (Sort.NEWEST, Sort.SALES, Sort.PRICE_UP, Sort.PRICE_DOWN)


@dataclass(frozen=True)
class Listing:
    """One product list: what it is of (``words`` of a search, or a ``category``), its order and its filters.

    Build it with ``Listing.of``, which keeps it well formed (a sort the list offers, a range in order)."""

    words: tuple[str, ...] = ()
    category: str | None = None
    shop_id: int | None = None
    sort: Sort = Sort.NEWEST
    low: int | None = None  # minor units, inclusive
    high: int | None = None
    in_stock: bool = False

    @classmethod
    def of(
        cls,
        *,
        words: tuple[str, ...] = (),
        category: str | None = None,
        shop_id: int | None = None,
        sort: Sort | str | None = None,
        low: int | None = None,
        high: int | None = None,
        in_stock: bool = False,
    ) -> Listing:
        words = tuple(words)
        offered = SEARCH_SORTS if words else BROWSE_SORTS
        chosen = Sort(sort) if sort in set(Sort) else None
        if low is not None and high is not None and low > high:
            raise DomainError(ErrorCode.INVALID_PRICE_RANGE, value=f"{low}-{high}")
        return cls(
            words=words,
            category=category or None,
            shop_id=shop_id or None,
            sort=chosen if chosen in offered else offered[0],
            low=low if low is not None and low > 0 else None,
            high=high,
            in_stock=bool(in_stock),
        )

    @property
    def is_search(self) -> bool:
        return bool(self.words)

    @property
    def sorts(self) -> tuple[Sort, ...]:
        return SEARCH_SORTS if self.is_search else BROWSE_SORTS

    @property
    def has_price_range(self) -> bool:
        return self.low is not None or self.high is not None

    @property
    def filter_count(self) -> int:
        """How many filters are on (a category list's own category is not one)."""
        category = self.category is not None and self.is_search
        return sum([self.has_price_range, self.in_stock, category, self.shop_id is not None])

    def changed(self, **changes: Any) -> Listing:
        """This list with some fields changed, well formed again."""
        values = {**self.fields(), **changes}
        return Listing.of(**values)

    def cleared(self) -> Listing:
        """No filters: a search keeps its words and sort, a category list its category and sort."""
        return Listing.of(words=self.words, category=None if self.is_search else self.category, sort=self.sort)

    def fields(self) -> dict[str, Any]:
        return asdict(self)

    def key(self) -> str:
        """The list as canonical text: two lists are the same list exactly when their keys are equal."""
        values = self.fields()
        values["words"] = list(self.words)
        values["sort"] = self.sort.value
        return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_key(cls, key: str) -> Listing:
        values = json.loads(key)
        values["words"] = tuple(values.get("words") or ())
        return cls.of(**values)


@dataclass
class ListingView:
    """A list a buyer sorted or filtered, stored so its buttons can name it by ``id``; only its owner sees it."""

    id: int
    user_id: int
    listing: Listing
    created_at: datetime


def view_key(user_id: int, listing: Listing) -> str:
    """What makes two stored views the same view: the owner and the list."""
    return f"{user_id} {listing.key()}"


def preset_range(index: int, currency: str) -> tuple[int | None, int | None]:
    """The ``index``-th preset in minor units of ``currency``; IndexError when there is none."""
    low, high = PRICE_PRESETS[index]
    unit = 10 ** minor_digits(currency)
    return (low * unit if low is not None else None, high * unit if high is not None else None)


def parse_price_range(text: str, currency: str) -> tuple[int | None, int | None]:
    """A range a buyer typed (``10-50``, ``10~50``, ``10至50``, ``10-``, ``-50``, ``12.5-30``) in minor units.

    INVALID_PRICE_RANGE for anything else, PRICE_RANGE_REVERSED when the lowest price is above the highest."""
    raw = unicodedata.normalize("NFKC", text if isinstance(text, str) else "")[:MAX_RANGE_TEXT]
    echo = raw.strip()
    found = _RANGE.match(raw)
    if found is None or not (found["low"] or found["high"]):
        raise DomainError(ErrorCode.INVALID_PRICE_RANGE, value=echo)
    low, high = (_bound(found[end], currency, echo) for end in ("low", "high"))
    if low is not None and high is not None and low > high:
        shown = (Money(low, currency).format(), Money(high, currency).format())
        raise DomainError(ErrorCode.PRICE_RANGE_REVERSED, low=shown[0], high=shown[1])
    return low, high


def _bound(text: str, currency: str, echo: str) -> int | None:
    if not text:
        return None
    try:
        return Money.parse(text, currency).amount
    except DomainError as error:
        raise DomainError(ErrorCode.INVALID_PRICE_RANGE, value=echo) from error


def in_range(amount: int, low: int | None, high: int | None) -> bool:
    return (low is None or amount >= low) and (high is None or amount <= high)


__all__ = [
    "BROWSE_SORTS",
    "PRICE_PRESETS",
    "SEARCH_LIMIT",
    "SEARCH_SORTS",
    "Listing",
    "ListingView",
    "Sort",
    "in_range",
    "parse_price_range",
    "preset_range",
    "view_key",
]
