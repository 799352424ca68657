"""What a merchant can and cannot set up as a promotion, and how its status may change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import promotion_rules as rules
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.money import Money
from domain.promotions import Promotion, PromotionKind, PromotionStatus, SpendTier

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
MERCHANT = Actor.merchant(42)


def cny(yuan: str) -> Money:
    return Money.parse(yuan, "CNY")


def yuan(money: Money) -> str:
    return f"{money.amount // 100}.{money.amount % 100:02d}"


def tier(threshold: str, off: str) -> SpendTier:
    return SpendTier(cny(threshold), cny(off))


def code_of(call, *args, **kwargs) -> ErrorCode:
    with pytest.raises(DomainError) as error:
        call(*args, **kwargs)
    return error.value.code


def a_limited_time(**overrides) -> Promotion:
    values = dict(shop_id=7, name=" 春季 15% ", starts_at=NOW, ends_at=NOW + 7 * DAY, now=NOW, percent_off=15)
    values.update(overrides)
    return rules.new_limited_time(**values)


def a_spend_off(**overrides) -> Promotion:
    values = dict(
        shop_id=7, name="满减", tiers=[tier("100", "10"), tier("200", "25")], starts_at=NOW, ends_at=NOW + DAY, now=NOW
    )
    values.update(overrides)
    return rules.new_spend_off(**values)


# --- limited-time discounts ------------------------------------------------------------------------------


def test_a_percent_discount_is_built_active_and_unsaved():
    promo = a_limited_time(product_id=5)
    assert (promo.id, promo.kind, promo.status, promo.name) == (
        0,
        PromotionKind.LIMITED_TIME,
        PromotionStatus.ACTIVE,
        "春季 15%",
    )
    assert (promo.percent_off, promo.amount_off, promo.product_id, promo.created_at) == (15, None, 5, NOW)
    assert promo.live_at(NOW)


def test_a_fixed_amount_discount_below_the_price_is_accepted():
    promo = a_limited_time(percent_off=None, amount_off=cny("15"), list_price=cny("99"), currency="CNY")
    assert promo.amount_off == cny("15")


def test_a_discount_may_have_started_already():
    assert a_limited_time(starts_at=NOW - DAY).live_at(NOW)


@pytest.mark.parametrize("percent", [0, 100, -5, 150])
def test_percent_must_be_between_1_and_99(percent: int):
    assert code_of(a_limited_time, percent_off=percent) is ErrorCode.INVALID_PERCENT


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"percent_off": None}, ErrorCode.INVALID_PROMOTION),  # neither percent nor amount
        ({"amount_off": cny("5")}, ErrorCode.INVALID_PROMOTION),  # both
        ({"percent_off": None, "amount_off": cny("0")}, ErrorCode.INVALID_AMOUNT),
        ({"percent_off": None, "amount_off": Money(-100, "CNY")}, ErrorCode.INVALID_AMOUNT),
        ({"percent_off": None, "amount_off": cny("99"), "list_price": cny("99")}, ErrorCode.INVALID_AMOUNT),
        ({"percent_off": None, "amount_off": Money(5, "USD"), "currency": "CNY"}, ErrorCode.CURRENCY_MISMATCH),
        ({"ends_at": NOW}, ErrorCode.INVALID_DATE),  # ends when it starts
        ({"starts_at": NOW - 2 * DAY, "ends_at": NOW - DAY}, ErrorCode.INVALID_DATE),  # already over
        ({"ends_at": datetime(2026, 3, 9)}, ErrorCode.INVALID_DATE),  # no time zone
        ({"name": "   "}, ErrorCode.INVALID_TEXT),
        ({"name": "two\nlines"}, ErrorCode.INVALID_TEXT),
        ({"name": "x" * 65}, ErrorCode.TEXT_TOO_LONG),
    ],
)
def test_a_limited_time_discount_that_breaks_a_rule_is_refused(overrides: dict, code: ErrorCode):
    assert code_of(a_limited_time, **overrides) is code


@given(st.integers(-1000, 1000) | st.booleans())
def test_any_percent_is_either_accepted_in_range_or_refused(percent: int):
    try:
        promo = a_limited_time(percent_off=percent)
    except DomainError as error:
        assert error.code is ErrorCode.INVALID_PERCENT
        assert isinstance(percent, bool) or not 1 <= percent <= 99
    else:
        assert 1 <= promo.percent_off <= 99


@pytest.mark.parametrize(("text", "percent"), [("15", 15), (" 15% ", 15), ("１５％", 15), ("99", 99), ("1", 1)])
def test_a_typed_percent_is_read(text: str, percent: int):
    assert rules.parse_percent(text) == percent


@pytest.mark.parametrize("text", ["", "0", "100", "15.5", "-5", "%", "15%%", "fifteen", "1e1", "٥"])
def test_a_typed_percent_that_is_not_1_to_99_is_refused(text: str):
    assert code_of(rules.parse_percent, text) is ErrorCode.INVALID_PERCENT


@given(st.text(max_size=12))
def test_any_typed_percent_is_a_number_1_to_99_or_a_domain_error(text: str):
    try:
        assert 1 <= rules.parse_percent(text) <= 99
    except DomainError as error:
        assert error.code is ErrorCode.INVALID_PERCENT


# --- spend-off tiers -------------------------------------------------------------------------------------


def test_a_spend_off_keeps_its_tiers_in_order():
    promo = a_spend_off()
    assert promo.kind is PromotionKind.SPEND_OFF
    assert promo.tiers == [tier("100", "10"), tier("200", "25")]


@pytest.mark.parametrize(
    ("tiers", "code", "reason"),
    [
        ([], ErrorCode.INVALID_PROMOTION, "no_tiers"),
        ([tier("200", "25"), tier("100", "10")], ErrorCode.INVALID_PROMOTION, "tiers_not_increasing"),
        ([tier("100", "10"), tier("100", "20")], ErrorCode.INVALID_PROMOTION, "tiers_not_increasing"),
        ([tier("100", "20"), tier("200", "20")], ErrorCode.INVALID_PROMOTION, "tiers_not_increasing"),
        ([tier("100", "100")], ErrorCode.INVALID_PROMOTION, "off_not_below_threshold"),
        ([tier("100", "0")], ErrorCode.INVALID_AMOUNT, "not_positive"),
        ([tier(str(t), "1") for t in range(10, 70, 10)], ErrorCode.INVALID_PROMOTION, "too_many_tiers"),
    ],
)
def test_spend_off_tiers_that_break_a_rule_are_refused(tiers: list[SpendTier], code: ErrorCode, reason: str):
    with pytest.raises(DomainError) as error:
        a_spend_off(tiers=tiers)
    assert (error.value.code, error.value.params["reason"]) == (code, reason)


def test_spend_off_tiers_in_another_currency_are_refused():
    tiers = [SpendTier(Money(10000, "USD"), Money(1000, "USD"))]
    assert code_of(a_spend_off, tiers=tiers, currency="CNY") is ErrorCode.CURRENCY_MISMATCH


@pytest.mark.parametrize(
    "text",
    [
        "100-10, 200-25",
        "满100减10，满200减25",
        "１００－１０，２００－２５",
        "100 - 10; 200 - 25",
        "100-10\n200-25\n",
        "¥100-¥10、¥200-¥25",
        "100.00-10, 200-25.00,",
    ],
)
def test_tiers_typed_by_a_merchant_are_read(text: str):
    assert rules.parse_spend_tiers(text, "CNY") == [tier("100", "10"), tier("200", "25")]


def test_tier_amounts_keep_their_fen():
    assert rules.parse_spend_tiers("99.5-9.99", "CNY") == [tier("99.50", "9.99")]


@pytest.mark.parametrize(
    ("text", "code", "params"),
    [
        ("", ErrorCode.INVALID_PROMOTION, {"reason": "no_tiers"}),
        (" ,, ", ErrorCode.INVALID_PROMOTION, {"reason": "no_tiers"}),
        ("100", ErrorCode.INVALID_PROMOTION, {"reason": "tier_format", "tier": "100", "position": 1}),
        ("100-10, 200", ErrorCode.INVALID_PROMOTION, {"reason": "tier_format", "tier": "200", "position": 2}),
        ("100-10,,200-25", ErrorCode.INVALID_PROMOTION, {"reason": "tier_format", "tier": "", "position": 2}),
        ("100-10-5", ErrorCode.INVALID_PROMOTION, {"reason": "tier_format", "tier": "100-10-5", "position": 1}),
        ("1,000-100", ErrorCode.INVALID_PROMOTION, {"reason": "tier_format", "tier": "1", "position": 1}),
        ("100-abc", ErrorCode.INVALID_AMOUNT, {"value": "abc", "position": 1}),
        ("100.001-10", ErrorCode.INVALID_AMOUNT, {"value": "100.001", "position": 1}),
        ("200-25, 100-10", ErrorCode.INVALID_PROMOTION, {"reason": "tiers_not_increasing", "position": 2}),
        ("100-100", ErrorCode.INVALID_PROMOTION, {"reason": "off_not_below_threshold", "position": 1}),
        ("100-0", ErrorCode.INVALID_AMOUNT, {"reason": "not_positive", "position": 1}),
        ("1-0.5" * 50, ErrorCode.TEXT_TOO_LONG, {"field": "tiers", "max": 200}),
    ],
)
def test_mistyped_tiers_are_refused_with_the_reason_and_the_tier(text: str, code: ErrorCode, params: dict):
    with pytest.raises(DomainError) as error:
        rules.parse_spend_tiers(text, "CNY")
    assert error.value.code is code
    assert params.items() <= error.value.params.items()


@given(st.text(max_size=60) | st.from_regex(r"[满减0-9.,，\- ¥]{0,30}", fullmatch=True))
def test_any_typed_tiers_give_valid_tiers_or_a_domain_error(text: str):
    try:
        tiers = rules.parse_spend_tiers(text, "CNY")
    except DomainError:
        return
    assert tiers == rules.validate_tiers(tiers, "CNY")  # what parses is always a valid promotion


@given(
    st.lists(st.tuples(st.integers(2, 10**8), st.integers(1, 10**8)), min_size=1, max_size=5).filter(
        lambda pairs: all(off < threshold for threshold, off in pairs)
    )
)
def test_valid_tiers_written_out_read_back_the_same(pairs: list[tuple[int, int]]):
    tiers = [SpendTier(Money(t, "CNY"), Money(o, "CNY")) for t, o in pairs]
    text = ", ".join(f"{yuan(t.threshold)}-{yuan(t.off)}" for t in tiers)
    try:
        expected = rules.validate_tiers(tiers, "CNY")
    except DomainError as error:
        assert code_of(rules.parse_spend_tiers, text, "CNY") is error.code
    else:
        assert rules.parse_spend_tiers(text, "CNY") == expected


# --- group-buy settings ----------------------------------------------------------------------------------


def test_a_group_of_three_at_59_for_a_79_product_is_fine():
    rules.validate_group_settings(cny("79"), cny("59"), 3)


@pytest.mark.parametrize(
    ("group_price", "size", "code"),
    [
        (cny("59"), 1, ErrorCode.INVALID_GROUP_SIZE),
        (cny("59"), 11, ErrorCode.INVALID_GROUP_SIZE),
        (cny("0"), 3, ErrorCode.INVALID_AMOUNT),
        (cny("79"), 3, ErrorCode.INVALID_AMOUNT),
        (cny("80"), 3, ErrorCode.INVALID_AMOUNT),
        (Money(5900, "USD"), 3, ErrorCode.CURRENCY_MISMATCH),
    ],
)
def test_group_settings_that_break_a_rule_are_refused(group_price: Money, size: int, code: ErrorCode):
    assert code_of(rules.validate_group_settings, cny("79"), group_price, size) is code


@given(st.integers(-(10**6), 10**6), st.integers(-(10**6), 10**6), st.integers(-100, 100) | st.booleans())
def test_group_settings_are_accepted_exactly_when_the_rules_hold(price: int, group: int, size: int):
    ok = not isinstance(size, bool) and 2 <= size <= 10 and 0 < group < price
    try:
        rules.validate_group_settings(Money(price, "CNY"), Money(group, "CNY"), size)
    except DomainError as error:
        assert not ok
        assert error.code in {ErrorCode.INVALID_GROUP_SIZE, ErrorCode.INVALID_AMOUNT}
    else:
        assert ok


# --- pausing, resuming, ending ---------------------------------------------------------------------------


def test_pausing_and_resuming_are_audited():
    promo = a_limited_time()
    event = rules.pause(promo, actor=MERCHANT, at=NOW + DAY, reason="stock check")
    assert promo.status is PromotionStatus.PAUSED and not promo.live_at(NOW + DAY)
    assert (event.entity, event.src, event.dst, event.actor_id, event.actor_role, event.reason) == (
        "promotion",
        "active",
        "paused",
        42,
        ActorRole.MERCHANT,
        "stock check",
    )
    rules.resume(promo, actor=MERCHANT, at=NOW + 2 * DAY)
    assert promo.live_at(NOW + 2 * DAY)
    assert [e.dst for e in promo.events] == ["paused", "active"]


@pytest.mark.parametrize("change", [rules.pause, rules.resume, rules.end])
def test_an_ended_promotion_stays_ended(change):
    promo = a_limited_time()
    rules.end(promo, actor=MERCHANT, at=NOW)
    assert code_of(change, promo, actor=MERCHANT, at=NOW) is ErrorCode.INVALID_TRANSITION
    assert promo.status is PromotionStatus.ENDED


def test_pausing_twice_or_resuming_an_active_promotion_is_refused():
    promo = a_limited_time()
    assert code_of(rules.resume, promo, actor=MERCHANT, at=NOW) is ErrorCode.INVALID_TRANSITION
    rules.pause(promo, actor=MERCHANT, at=NOW)
    assert code_of(rules.pause, promo, actor=MERCHANT, at=NOW) is ErrorCode.INVALID_TRANSITION


def test_a_paused_promotion_whose_window_is_over_cannot_resume_but_can_end():
    promo = a_limited_time()
    rules.pause(promo, actor=MERCHANT, at=NOW)
    assert code_of(rules.resume, promo, actor=MERCHANT, at=NOW + 7 * DAY) is ErrorCode.INVALID_DATE
    rules.end(promo, actor=MERCHANT, at=NOW + 7 * DAY)
    assert promo.status is PromotionStatus.ENDED


@pytest.mark.parametrize(
    ("when", "resumable"),
    [
        (NOW - DAY, True),  # paused before it even started: resuming puts it back on schedule
        (NOW + 7 * DAY - timedelta(microseconds=1), True),  # the last instant of its window
        (NOW + 7 * DAY, False),  # the window's end is exclusive
        (NOW + 8 * DAY, False),
    ],
)
def test_a_paused_promotion_can_resume_until_its_window_ends(when: datetime, resumable: bool):
    promo = a_limited_time()
    rules.pause(promo, actor=MERCHANT, at=NOW)
    assert promo.can_resume(when) is resumable


@pytest.mark.parametrize("stop", [None, rules.end], ids=["active", "ended"])
def test_an_active_or_ended_promotion_cannot_resume(stop):
    promo = a_limited_time()
    if stop is not None:
        stop(promo, actor=MERCHANT, at=NOW)
    assert not promo.can_resume(NOW + DAY)


@given(
    st.lists(st.sampled_from(["pause", "resume", "end"]), max_size=4),
    st.timedeltas(min_value=-3 * DAY, max_value=10 * DAY),
)
def test_can_resume_says_exactly_whether_resuming_would_succeed(actions: list[str], offset: timedelta):
    promo = a_limited_time()
    for action in actions:
        try:
            getattr(rules, action)(promo, actor=MERCHANT, at=NOW)
        except DomainError:
            pass
    when = NOW + offset
    predicted = promo.can_resume(when)
    try:
        rules.resume(promo, actor=MERCHANT, at=when)
    except DomainError:
        assert not predicted
    else:
        assert predicted


@given(st.lists(st.sampled_from(["pause", "resume", "end"]), max_size=8))
def test_any_sequence_of_changes_follows_the_table(actions: list[str]):
    allowed = {
        ("active", "pause"): "paused",
        ("active", "end"): "ended",
        ("paused", "resume"): "active",
        ("paused", "end"): "ended",
    }
    promo = a_limited_time()
    for action in actions:
        before = str(promo.status)
        try:
            getattr(rules, action)(promo, actor=MERCHANT, at=NOW)
        except DomainError as error:
            assert error.code is ErrorCode.INVALID_TRANSITION
            assert (before, action) not in allowed and str(promo.status) == before
        else:
            assert str(promo.status) == allowed[(before, action)]
