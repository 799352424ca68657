"""Paying Stars refunds back: which ones are owed, and what Telegram's answer to one attempt means for it.

The use cases that cancel record that a refund is owed; the refund job asks Telegram and then records the answer
here, each in one unit of work: paid back, still pending after a hiccup, or failed for good, which also queues a
notice to every root admin in the same transaction.
"""

from __future__ import annotations

from dataclasses import replace

from domain.notifications import Notification
from domain.payments import Refund, RefundMethod, RefundStatus
from domain.services import Services

MAX_ERROR_LENGTH = 1000


async def star_refunds_owed(svc: Services, limit: int) -> list[Refund]:
    """Pending refunds to pay back through Telegram Stars, oldest first (among the first ``limit`` pending)."""
    async with svc.uow(read_only=True) as uow:
        pending = await uow.payments.pending_refunds(limit)
    return [refund for refund in pending if refund.method is RefundMethod.STARS]


async def refund_paid(svc: Services, refund: Refund) -> Refund:
    """Telegram paid the refund back (or says it already had)."""
    return await _record_attempt(svc, refund, RefundStatus.DONE, "")


async def refund_attempt_failed(
    svc: Services, refund: Refund, error: str, *, permanent: bool, max_attempts: int
) -> Refund:
    """One attempt failed: the refund stays pending for another try, unless the error is permanent or this was
    the last attempt; then it fails and the root admins are told, to settle it by hand."""
    final = permanent or refund.attempts + 1 >= max_attempts
    return await _record_attempt(svc, refund, RefundStatus.FAILED if final else RefundStatus.PENDING, error)


async def _record_attempt(svc: Services, refund: Refund, status: RefundStatus, error: str) -> Refund:
    now = svc.clock.now()
    recorded = replace(
        refund,
        attempts=refund.attempts + 1,
        status=status,
        error=error[:MAX_ERROR_LENGTH],
        done_at=now if status is RefundStatus.DONE else refund.done_at,
    )
    async with svc.uow() as uow:
        await uow.payments.save_refund(recorded)
        if status is RefundStatus.FAILED:
            for admin_id in sorted(svc.policy.root_admin_ids):
                await uow.outbox.add(_failure_notice(recorded, admin_id))
        await uow.commit()
    return recorded


def _failure_notice(refund: Refund, admin_id: int) -> Notification:
    return Notification(
        chat_id=admin_id,
        key="jobs.refund_failed",
        dedupe_key=f"refund:{refund.id}:failed:{admin_id}",
        args={
            "refund_id": refund.id,
            "order_id": refund.order_id,
            "user_id": refund.user_id,
            "amount": refund.amount,
            "error": refund.error,
        },
    )
