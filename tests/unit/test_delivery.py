"""The redelivery rule polling and the webhook share: payment updates are held while the database is out, every
other failure is retried a few times and then given up (kept as a dead letter); and what counts as the database
being out."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError
from telegram import Update

from bench.telegram_api import UpdateFactory
from domain.errors import DomainError, ErrorCode
from handlers import middleware
from handlers.delivery import MAX_ATTEMPTS_PER_UPDATE, Redelivery, Verdict, is_payment_update
from handlers.middleware import UpdateOutcome
from storage.outage import is_outage

BUYER = 1001
LOCKED = OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))
BUG = IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed"))


def as_update(payload: dict[str, Any]) -> Update:
    update = Update.de_json(payload, None)
    assert update is not None
    return update


def paid() -> Update:
    return as_update(UpdateFactory().paid(BUYER, "o:7", 120, "XTR", "charge-1"))


def refunded() -> Update:
    payload = UpdateFactory().paid(BUYER, "o:7", 120, "XTR", "charge-1")
    payload["message"]["refunded_payment"] = payload["message"].pop("successful_payment")
    return as_update(payload)


def failed(error: BaseException) -> UpdateOutcome:
    """The middleware started on the update, the error handler saw ``error``; the update was never claimed."""
    return UpdateOutcome(seen=True, money=True, failed=True, error=error)


def handled() -> UpdateOutcome:
    return UpdateOutcome(seen=True, claimed=True, money=True)


def verdicts(rule: Redelivery, update: Update, outcome: UpdateOutcome, times: int) -> list[Verdict]:
    return [rule.verdict(update, outcome) for _ in range(times)]


def test_payments_and_refunds_are_payment_updates_other_updates_are_not() -> None:
    factory = UpdateFactory()
    assert is_payment_update(paid()) and is_payment_update(refunded())
    assert not is_payment_update(as_update(factory.text(BUYER, "hello")))
    assert not is_payment_update(as_update(factory.pre_checkout(BUYER, "o:7", 120, "XTR")))


@pytest.mark.parametrize("payment", [paid, refunded], ids=["successful_payment", "refunded_payment"])
def test_a_payment_is_held_for_as_long_as_the_database_is_out_then_done(payment: Any) -> None:
    rule = Redelivery(is_outage)
    update = payment()

    assert verdicts(rule, update, failed(LOCKED), 3 * MAX_ATTEMPTS_PER_UPDATE) == [Verdict.HOLD] * (
        3 * MAX_ATTEMPTS_PER_UPDATE
    )
    assert rule.verdict(update, handled()) is Verdict.DONE


def test_a_payment_whose_bookkeeping_failed_after_handling_is_held_too() -> None:
    # The payment was settled, but recording the update as processed hit the locked database
    rule = Redelivery(is_outage)
    assert rule.verdict(paid(), UpdateOutcome(seen=True, money=True), LOCKED) is Verdict.HOLD


def test_a_payment_failing_for_another_reason_is_retried_a_few_times_then_given_up() -> None:
    rule = Redelivery(is_outage)
    update = paid()

    tries = verdicts(rule, update, failed(BUG), MAX_ATTEMPTS_PER_UPDATE)

    assert tries == [Verdict.RETRY] * (MAX_ATTEMPTS_PER_UPDATE - 1) + [Verdict.GIVE_UP]


def test_any_other_update_is_given_up_after_a_few_tries_even_while_the_database_is_out() -> None:
    rule = Redelivery(is_outage)
    text = as_update(UpdateFactory().text(BUYER, "hello"))
    unrecorded = UpdateOutcome(seen=True, failed=True, error=LOCKED)

    tries = verdicts(rule, text, unrecorded, MAX_ATTEMPTS_PER_UPDATE)

    assert tries == [Verdict.RETRY] * (MAX_ATTEMPTS_PER_UPDATE - 1) + [Verdict.GIVE_UP]


async def test_an_update_that_cannot_be_kept_as_a_dead_letter_stays_to_be_delivered_again() -> None:
    class DatabaseOut(Redelivery):
        async def _keep(self, update_id: int, kind: Any, payload: str, error: str, attempts: int) -> bool:
            return False

    rule = DatabaseOut(is_outage, max_attempts=1)
    text = as_update(UpdateFactory().text(BUYER, "hello"))

    verdict = await rule.conclude(text, UpdateOutcome(seen=True, failed=True, error=LOCKED))

    assert verdict is Verdict.RETRY


def test_an_update_handled_without_the_middleware_tracking_it_is_done() -> None:
    assert Redelivery(is_outage).verdict(paid(), None) is Verdict.DONE


def test_a_locked_or_unreachable_database_is_an_outage_a_bad_statement_is_not() -> None:
    wrapped = RuntimeError("while settling")
    wrapped.__cause__ = ConnectionRefusedError(111, "Connect call failed")

    assert is_outage(LOCKED) and is_outage(ConnectionRefusedError()) and is_outage(wrapped)
    assert not is_outage(BUG)
    assert not is_outage(DomainError(ErrorCode.NOT_FOUND))
    assert not is_outage(ValueError("bad payload"))


async def test_the_user_hears_of_a_failure_once_even_while_its_dead_letter_cannot_be_kept() -> None:
    class DatabaseOut(Redelivery):
        async def _keep(self, update_id: int, kind: Any, payload: str, error: str, attempts: int) -> bool:
            return False

    told: list[bool] = []

    class Failing:
        async def process_update(self, update: object) -> None:
            told.append(middleware.is_last_try())  # what the error handler asks before telling the user
            middleware.note_failure(RuntimeError("bug"))
            outcome = middleware._OUTCOME.get()
            assert outcome is not None
            outcome.seen = True

    rule = DatabaseOut(is_outage, max_attempts=2)
    text = as_update(UpdateFactory().text(BUYER, "hello"))

    verdicts = [await rule.process(Failing(), text) for _ in range(4)]  # type: ignore[arg-type]

    assert verdicts == [Verdict.RETRY] * 4
    assert told == [False, True, False, False]
