"""Building and changing promotions from what a merchant typed: every rule check raises a coded DomainError.

The merchant's guided flow calls these; a new promotion comes back with ``id=0`` for the repository to assign.
- Limited-time discount: exactly one of a percent (1-99, ``INVALID_PERCENT``) or a positive fixed amount
  (``INVALID_AMOUNT``), for one product or the whole shop.
- The floor (``domain.pricing`` rule 4): a promotion never makes anything free. A fixed amount off must be below
  the price of every product it covers, so that at least 1 minor unit is left to pay: below the product's price
  (reason ``not_below_price``), or, over the whole shop, below the price of the shop's cheapest product on sale
  (reason ``not_below_cheapest``, naming that product). Products added or repriced below it later, and a percent
  that rounds a tiny price to nothing, are clamped at the floor by pricing instead.
- Spend-off (满减): 1-5 tiers, thresholds and amounts off both strictly increasing, each amount off positive and
  below its threshold (``INVALID_PROMOTION`` / ``INVALID_AMOUNT``).
- Window: timezone-aware, end after start and after now (``INVALID_DATE``). A start in the past means "from now".
- Group buy settings: size 2-10 (``INVALID_GROUP_SIZE``), group price positive and below the list price; for a
  product with options, an amount off every SKU's price, positive and below the cheapest SKU's price.
- Status: active ⇄ paused, either → ended; ended is final (``INVALID_TRANSITION``). Each change is audited.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from domain.errors import DomainError, ErrorCode
from domain.events import Actor, StateChanged
from domain.group_buys import MAX_GROUP_SIZE, MIN_GROUP_SIZE
from domain.money import Money, amount_error
from domain.pricing import PRICE_FLOOR
from domain.products import Product
from domain.promotions import Promotion, PromotionKind, PromotionStatus, SpendTier

MAX_NAME_LENGTH = 64
MAX_TIERS = 5
MAX_TIERS_TEXT = 200  # characters; five tiers with generous spacing fit easily
MIN_PERCENT, MAX_PERCENT = 1, 99

# Between tiers: ASCII or Chinese comma / semicolon / enumeration comma, or a new line.
_TIER_SEPARATOR = re.compile(r"[,;、\n]")
_TRAILING = ",;、 \t\r\n"
# Inside a tier: "100-10" or "满100减10" (NFKC has already turned full-width "－" and digits into ASCII).
_TIER = re.compile(r"(?:满)?\s*([^\s\-减]+)\s*(?:-|减)\s*([^\s\-减]+)")


def new_limited_time(
    *,
    shop_id: int,
    name: str,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    percent_off: int | None = None,
    amount_off: Money | None = None,
    product_id: int | None = None,
    list_price: Money | None = None,
    cheapest: Product | None = None,
    currency: str | None = None,
) -> Promotion:
    """A limited-time discount. A fixed amount off is checked against the floor: against ``list_price`` (the
    product's) for one product, against ``cheapest`` (the shop's cheapest product on sale) for the whole shop."""

    def terms() -> dict[str, Any]:
        if (percent_off is None) == (amount_off is None):
            raise DomainError(ErrorCode.INVALID_PROMOTION, reason="percent_or_amount")
        if percent_off is not None:
            validate_percent(percent_off)
        if amount_off is not None:
            _check_currency(amount_off, currency)
            if amount_off.amount <= 0:
                raise amount_error(str(amount_off), amount_off.currency, reason="not_positive")
            check_floor(amount_off, list_price)
            if cheapest is not None:
                check_floor(amount_off, cheapest.price, cheapest=cheapest.title)
        return {"product_id": product_id, "percent_off": percent_off, "amount_off": amount_off}

    return _new(PromotionKind.LIMITED_TIME, shop_id, name, starts_at, ends_at, now, terms)


def check_floor(amount_off: Money, price: Money | None, *, cheapest: str | None = None) -> None:
    """A fixed ``amount_off`` must leave at least the floor of ``price`` to pay (None: nothing to check).

    ``cheapest`` names the product when ``price`` is the cheapest of a whole shop's, for the merchant's message.
    """
    if price is None:
        return
    _check_currency(amount_off, price.currency)
    if price - amount_off < Money(PRICE_FLOOR, price.currency):
        if cheapest is None:
            raise amount_error(str(amount_off), price.currency, reason="not_below_price", price=price)
        raise amount_error(str(amount_off), price.currency, reason="not_below_cheapest", price=price, title=cheapest)


def new_spend_off(
    *,
    shop_id: int,
    name: str,
    tiers: Sequence[SpendTier],
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    currency: str | None = None,
) -> Promotion:
    """A spend-X-get-Y-off (满减) promotion over the whole shop."""

    def terms() -> dict[str, Any]:
        return {"tiers": validate_tiers(tiers, currency)}

    return _new(PromotionKind.SPEND_OFF, shop_id, name, starts_at, ends_at, now, terms)


def _new(
    kind: PromotionKind,
    shop_id: int,
    name: str,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    terms: Callable[[], dict[str, Any]],
) -> Promotion:
    """A new promotion (id 0 until the repository gives it one): its name and window are checked first, then
    ``terms`` checks and gives what is particular to its kind."""
    clean_name = validate_name(name)
    validate_window(starts_at, ends_at, now)
    return Promotion(
        id=0,
        shop_id=shop_id,
        kind=kind,
        name=clean_name,
        starts_at=starts_at,
        ends_at=ends_at,
        created_at=now,
        **terms(),
    )


def validate_name(name: str) -> str:
    """The promotion's name as buyers will see it on receipts: one line, 1-64 characters."""
    clean = name.strip() if isinstance(name, str) else ""
    if not clean or any(unicodedata.category(ch) in ("Cc", "Cs") for ch in clean):
        raise DomainError(ErrorCode.INVALID_TEXT, field="name")
    if len(clean) > MAX_NAME_LENGTH:
        raise DomainError(ErrorCode.TEXT_TOO_LONG, field="name", max=MAX_NAME_LENGTH)
    return clean


def validate_window(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    if any(not isinstance(t, datetime) or t.utcoffset() is None for t in (starts_at, ends_at, now)):
        raise DomainError(ErrorCode.INVALID_DATE, reason="timezone_required")
    if ends_at <= starts_at:
        raise DomainError(ErrorCode.INVALID_DATE, reason="end_before_start")
    if ends_at <= now:
        raise DomainError(ErrorCode.INVALID_DATE, reason="end_in_past")


def validate_percent(percent: int) -> int:
    if isinstance(percent, bool) or not isinstance(percent, int) or not MIN_PERCENT <= percent <= MAX_PERCENT:
        raise DomainError(ErrorCode.INVALID_PERCENT, value=str(percent), min=MIN_PERCENT, max=MAX_PERCENT)
    return percent


def parse_percent(text: str) -> int:
    """A whole percent typed by a merchant: ``15`` or ``15%``, 1-99."""
    raw = unicodedata.normalize("NFKC", text).strip().removesuffix("%").strip() if isinstance(text, str) else ""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 3):
        raise DomainError(ErrorCode.INVALID_PERCENT, value=text, min=MIN_PERCENT, max=MAX_PERCENT)
    return validate_percent(int(raw))


def validate_tiers(tiers: Sequence[SpendTier], currency: str | None = None) -> list[SpendTier]:
    """Tiers as the pricing rules need them: 1-5, each off in (0, threshold), both strictly increasing."""
    if not tiers:
        raise DomainError(ErrorCode.INVALID_PROMOTION, reason="no_tiers")
    if len(tiers) > MAX_TIERS:
        raise DomainError(ErrorCode.INVALID_PROMOTION, reason="too_many_tiers", max=MAX_TIERS)
    currency = currency or tiers[0].threshold.currency
    previous: SpendTier | None = None
    for position, tier in enumerate(tiers, start=1):
        _check_currency(tier.threshold, currency)
        _check_currency(tier.off, currency)
        if tier.threshold.amount <= 0 or tier.off.amount <= 0:
            raise amount_error(str(tier.off), currency, reason="not_positive", position=position)
        if tier.off >= tier.threshold:
            raise DomainError(ErrorCode.INVALID_PROMOTION, reason="off_not_below_threshold", position=position)
        # A higher threshold that saves no more would never be chosen; it is a typo, so say so.
        if previous is not None and (tier.threshold <= previous.threshold or tier.off <= previous.off):
            raise DomainError(ErrorCode.INVALID_PROMOTION, reason="tiers_not_increasing", position=position)
        previous = tier
    return list(tiers)


def parse_spend_tiers(text: str, currency: str) -> list[SpendTier]:
    """Parse tiers a merchant typed, e.g. ``100-10, 200-25`` or ``满100减10，满200减25``, then validate them.

    Tiers are separated by commas, semicolons or new lines (so no thousands separators inside amounts);
    amounts follow ``Money.parse`` (``99.5``, ``¥100``). Full-width characters typed by a Chinese IME are
    accepted. Every problem is a DomainError naming the reason and the 1-based tier position.
    """
    if not isinstance(text, str):
        raise DomainError(ErrorCode.INVALID_PROMOTION, reason="no_tiers")
    if len(text) > MAX_TIERS_TEXT:
        raise DomainError(ErrorCode.TEXT_TOO_LONG, field="tiers", max=MAX_TIERS_TEXT)
    # NFKC turns full-width "１００－１０，" into "100-10,"; separators left dangling at the end are harmless.
    body = unicodedata.normalize("NFKC", text).rstrip(_TRAILING)
    if not body:
        raise DomainError(ErrorCode.INVALID_PROMOTION, reason="no_tiers")
    tiers: list[SpendTier] = []
    for position, chunk in enumerate((c.strip() for c in _TIER_SEPARATOR.split(body)), start=1):
        # An empty tier ("100-10,,200-25") is rejected rather than guessed at: the merchant may have lost one.
        match = _TIER.fullmatch(chunk)
        if match is None:
            raise DomainError(ErrorCode.INVALID_PROMOTION, reason="tier_format", tier=chunk, position=position)
        threshold, off = (_parse_amount(part, currency, position) for part in match.groups())
        tiers.append(SpendTier(threshold=threshold, off=off))
    return validate_tiers(tiers, currency)


def _check_group_size(size: int) -> None:
    if isinstance(size, bool) or not isinstance(size, int) or not MIN_GROUP_SIZE <= size <= MAX_GROUP_SIZE:
        raise DomainError(ErrorCode.INVALID_GROUP_SIZE, value=str(size), min=MIN_GROUP_SIZE, max=MAX_GROUP_SIZE)


def validate_group_discount(cheapest: Money, off: Money, size: int) -> None:
    """A product with options' group buy: 2-10 people, each paying ``off`` less than the price of the SKU they pick;
    positive and below the ``cheapest`` SKU's price, so no SKU's group price is free (``pricing.sku_group_price``
    floors a SKU repriced below it later)."""
    _check_group_size(size)
    _check_currency(off, cheapest.currency)
    if off.amount <= 0:
        raise amount_error(str(off), cheapest.currency, reason="not_positive")
    if off >= cheapest:
        raise amount_error(str(off), cheapest.currency, reason="not_below_cheapest_sku")


def validate_group_settings(price: Money, group_price: Money, size: int) -> None:
    """A product's group buy: 2-10 people, each paying a positive price below the product's own."""
    _check_group_size(size)
    _check_currency(group_price, price.currency)
    if group_price.amount <= 0:
        raise amount_error(str(group_price), price.currency, reason="not_positive")
    if group_price >= price:
        raise amount_error(str(group_price), price.currency, reason="not_below_price")


def pause(promotion: Promotion, *, actor: Actor, at: datetime, reason: str = "") -> StateChanged:
    """Stop a promotion counting until resumed (an active one only)."""
    return promotion.transition_to(PromotionStatus.PAUSED, actor=actor, at=at, reason=reason)


def resume(promotion: Promotion, *, actor: Actor, at: datetime, reason: str = "") -> StateChanged:
    """Make a paused promotion count again; its window is unchanged, so one already over cannot resume."""
    promotion.MACHINE.check(promotion.status, PromotionStatus.ACTIVE)
    if at >= promotion.ends_at:
        raise DomainError(ErrorCode.INVALID_DATE, reason="end_in_past")
    return promotion.transition_to(PromotionStatus.ACTIVE, actor=actor, at=at, reason=reason)


def end(promotion: Promotion, *, actor: Actor, at: datetime, reason: str = "") -> StateChanged:
    """End a promotion for good (active or paused); to run it again, create a new one."""
    return promotion.transition_to(PromotionStatus.ENDED, actor=actor, at=at, reason=reason)


def _parse_amount(text: str, currency: str, position: int) -> Money:
    try:
        return Money.parse(text, currency)
    except DomainError as error:
        raise amount_error(text, currency, position=position) from error


def _check_currency(amount: Money, currency: str | None) -> None:
    if currency is not None and amount.currency != currency:
        raise DomainError(ErrorCode.CURRENCY_MISMATCH, left=currency, right=amount.currency)
