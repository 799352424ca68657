"""The alert rules: which channels a message goes by, e-mail addresses, verification codes, unsubscribe tokens."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from domain.alerts import (
    ALL_GROUPS,
    CODE_ATTEMPTS,
    CODE_TTL,
    AlertPreferences,
    Channel,
    CodeCheck,
    EventGroup,
    channel_dedupe_key,
    channels_for,
    check_code,
    group_of,
    hash_code,
    read_unsubscribe_token,
    unsubscribe,
    unsubscribe_token,
    valid_email,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KEYS = {
    "notify.order.paid.merchant": EventGroup.PAID_ORDER,
    "notify.order.remind_ship": EventGroup.SHIP_BY,
    "aftersales.notify.opened.refund_only": EventGroup.AFTERSALES,
    "aftersales.notify.review.new": EventGroup.REVIEWS,
    "admin.notify.evaluation.warning": EventGroup.EVALUATION,
    "notify.payout.earnings.paid": EventGroup.PAYOUTS,
    "notify.order.paid.buyer": None,  # the buyer's own receipt: Telegram only
    "aftersales.notify.review.replied": None,
}


def test_each_merchant_alert_has_its_group_and_nothing_else_has_one() -> None:
    assert {key: group_of(key) for key in KEYS} == KEYS


def prefs(email: str = "a@b.cn", **choices: list[str]) -> AlertPreferences:
    return AlertPreferences(1, email=email, choices=dict(choices))


def test_channels_follow_the_choice_and_need_a_verified_address() -> None:
    key = "aftersales.notify.review.new"
    assert channels_for(key, None, unreachable=False) == [Channel.TELEGRAM]
    assert channels_for(key, prefs(), unreachable=False) == [Channel.TELEGRAM, Channel.EMAIL]
    assert channels_for(key, prefs(reviews=["email"]), unreachable=False) == [Channel.EMAIL]
    assert channels_for(key, prefs(email="", reviews=["email"]), unreachable=False) == []
    assert channels_for("notify.order.paid.buyer", prefs(), unreachable=True) == [Channel.TELEGRAM]


def test_a_blocked_merchant_gets_new_paid_orders_by_email_whatever_they_chose() -> None:
    chosen = prefs(paid_order=["telegram"], reviews=["telegram"])
    assert channels_for("notify.order.paid.merchant", chosen, unreachable=True) == [Channel.TELEGRAM, Channel.EMAIL]
    assert channels_for("aftersales.notify.review.new", chosen, unreachable=True) == [Channel.TELEGRAM]
    assert channels_for("notify.order.paid.merchant", prefs(email=""), unreachable=True) == [Channel.TELEGRAM]


@given(st.text(min_size=1, max_size=40))
def test_dedupe_keys_differ_per_channel_and_telegram_keeps_its_own(key: str) -> None:
    keys = {channel_dedupe_key(key, channel) for channel in Channel}
    assert len(keys) == len(Channel) and channel_dedupe_key(key, Channel.TELEGRAM) == key


def test_addresses_are_checked_and_their_domain_lowercased() -> None:
    assert valid_email("  Bob.Lee+shop@Tea.Example.COM ") == "Bob.Lee+shop@tea.example.com"
    for bad in ("", "bob", "bob@", "@tea.cn", "bob@tea", "bo b@tea.cn", "<script>@x.cn", "a@b.cn\nc@d.cn"):
        assert valid_email(bad) is None, bad


@given(st.text(max_size=300))
def test_any_text_is_a_clean_address_or_refused(text: str) -> None:
    address = valid_email(text)
    assert address is None or (address.count("@") == 1 and not any(c in address for c in '<>"\n\r ,;'))


def pending(code: str = "123456") -> AlertPreferences:
    return AlertPreferences(7, pending_email="new@tea.cn", code_hash=hash_code(7, code), code_expires_at=NOW + CODE_TTL)


def test_the_right_code_in_time_verifies_the_address() -> None:
    mine = pending()
    assert check_code(mine, " 123456 ", NOW) is CodeCheck.OK
    assert (mine.email, mine.pending_email, mine.code_hash) == ("new@tea.cn", "", "")
    assert check_code(mine, "123456", NOW) is CodeCheck.NO_CODE  # used up


def test_wrong_codes_count_and_run_out_and_a_late_code_has_expired() -> None:
    mine = pending()
    results = [check_code(mine, "000000", NOW) for _ in range(CODE_ATTEMPTS)]
    assert results == [CodeCheck.WRONG] * (CODE_ATTEMPTS - 1) + [CodeCheck.TOO_MANY]
    assert check_code(mine, "123456", NOW) is CodeCheck.TOO_MANY and mine.email == ""
    assert check_code(pending(), "123456", NOW + CODE_TTL) is CodeCheck.EXPIRED


@given(st.integers(min_value=1, max_value=10**12), st.sampled_from([*EventGroup, ALL_GROUPS]))
def test_a_token_reads_back_and_a_changed_one_does_not(user_id: int, target: str) -> None:
    token = unsubscribe_token("s3cret", user_id, target)
    assert read_unsubscribe_token("s3cret", token) == (user_id, target)
    assert read_unsubscribe_token("other", token) is None
    assert read_unsubscribe_token("s3cret", token.replace(str(user_id), str(user_id + 1), 1)) is None


@given(st.text(max_size=80))
def test_garbage_is_never_a_token(text: str) -> None:
    assert read_unsubscribe_token("s3cret", text) is None


def test_unsubscribing_turns_email_off_for_that_group_or_all_once() -> None:
    mine = prefs()
    assert unsubscribe(mine, str(EventGroup.REVIEWS)) and not unsubscribe(mine, str(EventGroup.REVIEWS))
    assert Channel.EMAIL not in mine.chosen(EventGroup.REVIEWS) and Channel.EMAIL in mine.chosen(EventGroup.PAYOUTS)
    assert unsubscribe(mine, ALL_GROUPS)
    assert all(mine.chosen(group) == {Channel.TELEGRAM} for group in EventGroup)


PAID = "notify.order.paid.merchant"
BOTH = {"email": "a@b.cn", "phone": "+8613800000000"}


@given(
    st.sampled_from(list(KEYS)),
    st.lists(st.sampled_from(list(Channel)), unique=True),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_the_fallback_never_goes_by_telegram_and_respects_verification_and_unsubscribing(
    key: str, chosen: list[Channel], unreachable: bool, has_phone: bool, unsubscribed: bool
) -> None:
    mine = AlertPreferences(1, email="a@b.cn", phone="+8613800000000" if has_phone else "")
    for channel in Channel:
        mine.choose(EventGroup.PAID_ORDER, channel, channel in chosen)
    if unsubscribed:
        unsubscribe(mine, str(EventGroup.PAID_ORDER))
    routed = channels_for(key, mine, unreachable=unreachable, fallback=True)
    assert Channel.TELEGRAM not in routed
    assert all(mine.verified(channel) for channel in routed)
    if group_of(key) is not EventGroup.PAID_ORDER:
        assert routed == []
    else:
        assert (Channel.EMAIL in routed) == (not unsubscribed)
        assert (Channel.SMS in routed) == has_phone


def test_unsubscribing_stops_the_blocked_bot_fallback_email_until_asked_for_again() -> None:
    mine = AlertPreferences(1, **BOTH)
    assert channels_for(PAID, mine, unreachable=True) == [Channel.TELEGRAM, Channel.EMAIL, Channel.SMS]
    assert unsubscribe(mine, str(EventGroup.PAID_ORDER))
    assert channels_for(PAID, mine, unreachable=True) == [Channel.TELEGRAM, Channel.SMS]
    mine.choose(EventGroup.PAID_ORDER, Channel.EMAIL, True)  # turned on again in /notifications
    assert not mine.unsubscribed(EventGroup.PAID_ORDER)
    assert channels_for(PAID, mine, unreachable=True) == [Channel.TELEGRAM, Channel.EMAIL, Channel.SMS]


def test_a_removed_address_or_phone_gets_nothing_and_a_new_address_starts_afresh() -> None:
    mine = AlertPreferences(1, **BOTH)
    mine.choose(EventGroup.PAID_ORDER, Channel.SMS, True)
    unsubscribe(mine, ALL_GROUPS)
    mine.forget(Channel.EMAIL)
    assert mine.email == "" and not mine.unsubscribed(EventGroup.PAID_ORDER)
    assert channels_for(PAID, mine, unreachable=True) == [Channel.TELEGRAM, Channel.SMS]
    mine.forget(Channel.SMS)
    assert channels_for(PAID, mine, unreachable=True, fallback=True) == []
    assert channels_for(PAID, mine, unreachable=True) == [Channel.TELEGRAM]
    mine.email = "new@b.cn"
    assert mine.chosen(EventGroup.REVIEWS) == {Channel.TELEGRAM, Channel.EMAIL}
