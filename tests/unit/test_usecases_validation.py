"""Input parsers and the who-may-do-what table that every use case consults."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import validation as v
from domain.authorization import NEW_BUSINESS, PERMISSIONS, Action, Party, check
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.money import Money
from domain.orders import Order, OrderStatus
from domain.shops import Shop, ShopStatus, ShopType
from domain.users import AddressSnapshot
from tests.fakes.assertions import refused

# --- parsers -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [("1", 1), (" 12 ", 12), ("999", 999)])
def test_quantity_accepts_whole_numbers_in_range(text: str, value: int) -> None:
    assert v.parse_quantity(text) == value


@pytest.mark.parametrize("text", ["0", "1000", "-1", "1.5", "two", "", "１", "1 2", "+3"])
def test_quantity_rejects_the_rest_saying_the_limit(text: str) -> None:
    with pytest.raises(DomainError) as error:
        v.parse_quantity(text)
    assert error.value.code is ErrorCode.INVALID_QUANTITY and error.value.params["max"] == 999


def test_quantity_limit_can_be_lowered() -> None:
    assert v.parse_quantity("5", 5) == 5
    with refused(ErrorCode.INVALID_QUANTITY):
        v.parse_quantity("6", 5)


def test_parse_int_with_bounds() -> None:
    assert v.parse_int(" -3 ") == -3
    assert v.parse_int("7", minimum=0, maximum=10) == 7
    for bad in ("11", "x", "", "3.0", "٣"):
        with refused(ErrorCode.INVALID_NUMBER):
            v.parse_int(bad, minimum=0, maximum=10)


def test_clean_text_trims_and_limits() -> None:
    assert v.clean_text("  Green tea \x00 ", 20, "title") == "Green tea"
    assert v.clean_text("line one\nline two", 40, "text") == "line one\nline two"
    with pytest.raises(DomainError) as empty:
        v.clean_text(" \n\t ", 20, "title")
    assert empty.value.code is ErrorCode.INVALID_TEXT and empty.value.params == {"field": "title"}
    with pytest.raises(DomainError) as long:
        v.clean_text("x" * 21, 20, "title")
    assert long.value.code is ErrorCode.TEXT_TOO_LONG and long.value.params["max"] == 20


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("+86 138-0013-8000", "+8613800138000"),
        ("(010) 6552.9988", "+861065529988"),
        ("138 0013 8000", "+8613800138000"),
        (" +1 (415) 555-2671 ", "+14155552671"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_numbers_lose_their_punctuation(text: str, phone: str) -> None:
    assert v.parse_phone(text) == phone


@pytest.mark.parametrize(
    "text", ["12345", "123456", "+" + "1" * 16, "call me", "138 0013 800a", "++8613800138000", "", "+86 138", "１３８"]
)
def test_phone_rejects_non_numbers(text: str) -> None:
    with refused(ErrorCode.INVALID_PHONE):
        v.parse_phone(text)


@pytest.mark.parametrize("text", ["SF1234567890", " YT-998877 ", "abcd", "A" * 40])
def test_tracking_numbers(text: str) -> None:
    assert v.parse_tracking_number(text) == text.strip()


@pytest.mark.parametrize("text", ["abc", "A" * 41, "SF 1234", "SF_1234", "单号1234", "SF1234\n5", ""])
def test_tracking_numbers_rejected(text: str) -> None:
    with refused(ErrorCode.INVALID_TRACKING):
        v.parse_tracking_number(text)


def test_carriers_known_by_nickname_or_kept_as_typed() -> None:
    assert v.parse_carrier(" sf ") == "SF Express"
    assert v.parse_carrier("顺丰") == "SF Express"
    assert v.parse_carrier("Bob's Courier") == "Bob's Courier"
    with refused(ErrorCode.TEXT_TOO_LONG):
        v.parse_carrier("x" * 41)
    with refused(ErrorCode.INVALID_TEXT):
        v.parse_carrier("two\nlines")


def test_prices_must_be_positive() -> None:
    assert v.parse_price("12.50", "CNY") == Money(1250, "CNY")
    for bad in ("0", "-1", "free"):
        with refused(ErrorCode.INVALID_AMOUNT):
            v.parse_price(bad, "CNY")
    with refused(ErrorCode.CURRENCY_MISMATCH):
        v.check_price(Money(100, "USD"), "CNY")


PARSERS = [
    lambda text: v.parse_quantity(text),
    lambda text: v.parse_int(text, minimum=-5, maximum=5),
    lambda text: v.clean_text(text, 10, "field"),
    lambda text: v.optional_text(text, 10, "field"),
    v.parse_phone,
    lambda text: v.clean_line(text, min_len=2, max_len=10, field="name"),
    v.parse_tracking_number,
    v.parse_carrier,
    v.parse_stock,
    lambda text: v.parse_price(text, "CNY"),
    lambda text: v.parse_price(text, "XTR"),
]


@pytest.mark.parametrize("parse", PARSERS)
@given(text=st.text(max_size=60))
def test_no_input_raises_anything_but_a_domain_error(parse, text: str) -> None:
    try:
        parse(text)
    except DomainError:
        pass


@pytest.mark.parametrize("parse", PARSERS)
@given(value=st.one_of(st.none(), st.integers(), st.floats(), st.binary(max_size=5), st.lists(st.integers())))
def test_not_even_non_text_raises_anything_else(parse, value: object) -> None:
    try:
        parse(value)
    except DomainError:
        pass


@given(st.integers(min_value=1, max_value=999))
def test_every_valid_quantity_round_trips(quantity: int) -> None:
    assert v.parse_quantity(str(quantity)) == quantity


# --- the authorisation table ---------------------------------------------------------------------------------------

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _shop(status: ShopStatus = ShopStatus.ACTIVE, owner: int = 10) -> Shop:
    return Shop(1, owner, "S", "scope", ShopType.INDIVIDUAL, "123456", ["f"], status, NOW, Money(1, "XTR"))


def _order(buyer: int = 20, shop_id: int = 1) -> Order:
    m = Money(1, "XTR")
    return Order(1, buyer, shop_id, OrderStatus.PAID, [], m, m, m, AddressSnapshot("a", "1", "b"), NOW)


def test_every_action_has_an_entry() -> None:
    assert set(PERMISSIONS) == set(Action)


def test_the_buyer_of_the_order_and_nobody_else() -> None:
    check(Action.CANCEL_ORDER, Actor.buyer(20), order=_order(), shop=_shop())
    for actor in (Actor.buyer(21), Actor.merchant(10), Actor.merchant(20), Actor.admin(20), Actor.system()):
        with refused(ErrorCode.FORBIDDEN):
            check(Action.CANCEL_ORDER, actor, order=_order(), shop=_shop(), admin=True)


def test_the_merchant_of_the_shop_and_nobody_else() -> None:
    check(Action.SHIP_ORDER, Actor.merchant(10), order=_order(), shop=_shop())
    for actor in (Actor.merchant(11), Actor.buyer(10), Actor.buyer(20), Actor.admin(10)):
        with refused(ErrorCode.FORBIDDEN):
            check(Action.SHIP_ORDER, actor, order=_order(), shop=_shop(), admin=True)
    with refused(ErrorCode.FORBIDDEN):  # the order of another shop, even when the merchant names their own shop
        check(Action.SHIP_ORDER, Actor.merchant(10), order=_order(shop_id=2), shop=_shop())


def test_admins_must_be_confirmed_admins() -> None:
    check(Action.DECIDE_SHOP, Actor.admin(1), shop=_shop(), admin=True)
    with refused(ErrorCode.FORBIDDEN):
        check(Action.DECIDE_SHOP, Actor.admin(1), shop=_shop(), admin=False)
    with refused(ErrorCode.FORBIDDEN):
        check(Action.DECIDE_SHOP, Actor.merchant(10), shop=_shop(), admin=True)


def test_only_the_scheduler_runs_deadlines() -> None:
    check(Action.EXPIRE_ORDER, Actor.system())
    with refused(ErrorCode.FORBIDDEN):
        check(Action.EXPIRE_ORDER, Actor.admin(1), admin=True)


@pytest.mark.parametrize("status", list(ShopStatus))
def test_new_business_needs_an_active_shop_and_a_closed_shop_allows_nothing_but_its_money(status: ShopStatus) -> None:
    for action in sorted(PERMISSIONS, key=str):
        if PERMISSIONS[action] != frozenset({Party.MERCHANT}):
            continue
        closed = status is ShopStatus.CLOSED and action not in {Action.VIEW_BALANCE, Action.REQUEST_PAYOUT}
        refused_here = closed or (action in NEW_BUSINESS and status is not ShopStatus.ACTIVE)
        if refused_here:
            with refused(ErrorCode.SHOP_NOT_ACTIVE):
                check(action, Actor.merchant(10), shop=_shop(status))
        else:
            check(action, Actor.merchant(10), shop=_shop(status))
