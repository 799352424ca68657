"""One schedule for every clock the marketplace runs: when it falls due, and when (if ever) its reminder goes out."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.policy import Deadline, Deadlines

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)

# Each kind with its length and its reminder's lead under a policy whose every value differs, so that a kind
# reading another kind's setting shows.
DISTINCT = Deadlines(
    pay=1 * HOUR,
    group_fill=2 * HOUR,
    ship=3 * HOUR,
    confirm_receipt=4 * HOUR,
    ticket_answer=5 * HOUR,
    return_ship=6 * HOUR,
    return_receive=7 * HOUR,
    review_window=8 * HOUR,
    deposit=9 * HOUR,
    after_sale_window=10 * HOUR,
    remind_pay=timedelta(minutes=11),
    remind_ship=timedelta(minutes=12),
    remind_group=timedelta(minutes=13),
    receipt_extension=14 * HOUR,
    confirm_resume=15 * HOUR,
)
EXPECTED: dict[Deadline, tuple[timedelta, timedelta | None]] = {
    Deadline.PAY: (1 * HOUR, 1 * HOUR - timedelta(minutes=11)),
    Deadline.GROUP_FILL: (2 * HOUR, 2 * HOUR - timedelta(minutes=13)),
    Deadline.SHIP: (3 * HOUR, 3 * HOUR - timedelta(minutes=12)),
    Deadline.CONFIRM_RECEIPT: (4 * HOUR, None),
    Deadline.TICKET_ANSWER: (5 * HOUR, None),
    Deadline.RETURN_SHIP: (6 * HOUR, None),
    Deadline.RETURN_RECEIVE: (7 * HOUR, None),
    Deadline.DEPOSIT: (9 * HOUR, None),
    Deadline.RECEIPT_EXTENSION: (14 * HOUR, None),
    Deadline.CONFIRM_RESUME: (15 * HOUR, None),
}
REMINDED = {Deadline.PAY: "remind_pay", Deadline.SHIP: "remind_ship", Deadline.GROUP_FILL: "remind_group"}


def test_every_kind_is_scheduled() -> None:
    assert set(EXPECTED) == set(Deadline)


@pytest.mark.parametrize("kind", list(Deadline))
def test_each_kind_falls_due_after_its_own_length_and_is_reminded_only_if_it_has_a_reminder(kind: Deadline) -> None:
    due_after, remind_after = EXPECTED[kind]
    assert DISTINCT.schedule(kind, NOW) == (NOW + due_after, None if remind_after is None else NOW + remind_after)


@pytest.mark.parametrize("kind", list(REMINDED))
@pytest.mark.parametrize("extra", [timedelta(0), timedelta(minutes=1)], ids=["lead_equals_length", "lead_longer"])
def test_a_reminder_that_would_come_at_or_before_the_start_is_not_scheduled(kind: Deadline, extra: timedelta) -> None:
    length = DISTINCT.length(kind)
    policy = replace(DISTINCT, **{REMINDED[kind]: length + extra})
    assert policy.schedule(kind, NOW) == (NOW + length, None)


def test_the_default_policy_reminds_the_buyer_ten_minutes_before_the_pay_by_time() -> None:
    deadline_at, reminder_at = Deadlines().schedule(Deadline.PAY, NOW)
    assert (deadline_at, reminder_at) == (NOW + timedelta(minutes=30), NOW + timedelta(minutes=20))


@given(
    st.sampled_from(list(REMINDED)),
    st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=30)),
    st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=30)),
)
def test_a_reminder_always_falls_strictly_between_the_start_and_the_deadline(
    kind: Deadline, length: timedelta, lead: timedelta
) -> None:
    length_field = {Deadline.PAY: "pay", Deadline.SHIP: "ship", Deadline.GROUP_FILL: "group_fill"}[kind]
    policy = replace(Deadlines(), **{length_field: length, REMINDED[kind]: lead})
    deadline_at, reminder_at = policy.schedule(kind, NOW)
    assert deadline_at == NOW + length
    if lead < length:
        assert reminder_at == deadline_at - lead and NOW < reminder_at < deadline_at
    else:
        assert reminder_at is None
