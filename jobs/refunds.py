"""The refund executor: pays back pending Telegram Stars refunds with ``refundStarPayment``.

Use cases only record that a refund is owed (in the transaction that cancels the order); this job talks to
Telegram. A refund Telegram says is already refunded counts as done, so running it twice (a crash after the
call, two workers) is harmless. After N failed attempts the refund is marked failed and the admins are told.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from telegram.error import BadRequest, TelegramError

from domain.notifications import Notification
from domain.payments import Refund, RefundMethod, RefundStatus
from domain.services import Services

log = logging.getLogger(__name__)

_ALREADY_DONE = "CHARGE_ALREADY_REFUNDED"


class RefundTransport(Protocol):
    async def refund_star_payment(self, user_id: int, telegram_payment_charge_id: str, **kwargs: Any) -> Any: ...


@dataclass
class RefundReport:
    done: int = 0
    retrying: int = 0
    failed: int = 0


class RefundExecutor:
    def __init__(
        self,
        svc: Services,
        bot: RefundTransport,
        *,
        max_attempts: int = 8,
        batch_size: int = 50,
        backoff_base: timedelta = timedelta(seconds=5),
        backoff_cap: timedelta = timedelta(minutes=10),
    ) -> None:
        self.svc = svc
        self.bot = bot
        self.max_attempts = max_attempts
        self.batch_size = batch_size
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._not_before: dict[int, datetime] = {}  # refund id -> next try after a failure

    async def run(self) -> RefundReport:
        report = RefundReport()
        now = self.svc.clock.now()
        async with self.svc.uow(read_only=True) as uow:
            pending = await uow.payments.pending_refunds(self.batch_size)
        for refund in pending:
            if refund.method is not RefundMethod.STARS or self._not_before.get(refund.id, now) > now:
                continue
            await self._execute(refund, report)
        return report

    async def _execute(self, refund: Refund, report: RefundReport) -> None:
        error, permanent = "", False
        try:
            await self.bot.refund_star_payment(user_id=refund.user_id, telegram_payment_charge_id=refund.charge_id)
        except BadRequest as exc:  # before TelegramError: a bad request will not get better by retrying
            if _ALREADY_DONE not in exc.message.upper():
                error, permanent = f"bad request: {exc.message}", True
        except (TelegramError, OSError) as exc:
            error, permanent = f"{type(exc).__name__}: {exc}", False
        if not error:
            await self._record(refund, RefundStatus.DONE, "")
            report.done += 1
            return
        attempts = refund.attempts + 1
        if permanent or attempts >= self.max_attempts:
            await self._record(refund, RefundStatus.FAILED, error)
            report.failed += 1
            log.error("refund %s of %s failed for good: %s", refund.id, refund.amount.format(), error)
        else:
            await self._record(refund, RefundStatus.PENDING, error)
            delay = min(self.backoff_cap, self.backoff_base * 2 ** (attempts - 1))
            self._not_before[refund.id] = self.svc.clock.now() + delay
            report.retrying += 1
            log.warning("refund %s: %s; retrying in %s", refund.id, error, delay)

    async def _record(self, refund: Refund, status: RefundStatus, error: str) -> None:
        now = self.svc.clock.now()
        async with self.svc.uow() as uow:
            refund.attempts += 1
            refund.status = status
            refund.error = error[:1000]
            if status is RefundStatus.DONE:
                refund.done_at = now
                self._not_before.pop(refund.id, None)
            await uow.payments.save_refund(refund)
            if status is RefundStatus.FAILED:
                self._not_before.pop(refund.id, None)
                for admin_id in sorted(self.svc.policy.root_admin_ids):
                    await uow.outbox.add(
                        Notification(
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
                    )
            await uow.commit()
