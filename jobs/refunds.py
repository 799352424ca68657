"""The refund executor: pays back pending Telegram Stars refunds with ``refundStarPayment``.

Use cases only record that a refund is owed (in the transaction that cancels the order); this job talks to
Telegram, outside any transaction, then records the answer through ``domain.usecases.refunds``. A refund
Telegram says is already refunded counts as done, so running it twice (a crash after the call, two workers) is
harmless. After N failed attempts the refund is marked failed and the admins are told.
"""

from __future__ import annotations

import logging
from dataclasses import KW_ONLY, dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from telegram.error import BadRequest, TelegramError

from domain.payments import Refund, RefundStatus
from domain.services import Services
from domain.usecases.refunds import refund_attempt_failed, refund_paid, star_refunds_owed

log = logging.getLogger(__name__)

_ALREADY_DONE = "CHARGE_ALREADY_REFUNDED"


class RefundTransport(Protocol):
    async def refund_star_payment(self, user_id: int, telegram_payment_charge_id: str, **kwargs: Any) -> Any: ...


@dataclass
class RefundReport:
    done: int = 0
    retrying: int = 0
    failed: int = 0


@dataclass(eq=False)
class RefundExecutor:
    svc: Services
    bot: RefundTransport
    _: KW_ONLY
    max_attempts: int = 8
    batch_size: int = 50
    backoff_base: timedelta = timedelta(seconds=5)
    backoff_cap: timedelta = timedelta(minutes=10)
    _not_before: dict[int, datetime] = field(default_factory=dict, init=False)  # refund id -> next try after a failure

    async def run(self) -> RefundReport:
        report = RefundReport()
        now = self.svc.clock.now()
        for refund in await star_refunds_owed(self.svc, self.batch_size):
            if self._not_before.get(refund.id, now) <= now:
                await self._execute(refund, report)
        return report

    async def _execute(self, refund: Refund, report: RefundReport) -> None:
        error, permanent = await self._pay_back(refund)
        if not error:
            await refund_paid(self.svc, refund)
            self._not_before.pop(refund.id, None)
            report.done += 1
            return
        recorded = await refund_attempt_failed(
            self.svc, refund, error, permanent=permanent, max_attempts=self.max_attempts
        )
        if recorded.status is RefundStatus.FAILED:
            self._not_before.pop(refund.id, None)
            report.failed += 1
            log.error("refund %s of %s failed for good: %s", refund.id, refund.amount.format(), error)
            return
        delay = min(self.backoff_cap, self.backoff_base * 2 ** (recorded.attempts - 1))
        self._not_before[refund.id] = self.svc.clock.now() + delay
        report.retrying += 1
        log.warning("refund %s: %s; retrying in %s", refund.id, error, delay)

    async def _pay_back(self, refund: Refund) -> tuple[str, bool]:
        """Ask Telegram to refund: ("", False) when it is done, else the error and whether retrying is pointless."""
        try:
            await self.bot.refund_star_payment(user_id=refund.user_id, telegram_payment_charge_id=refund.charge_id)
        except BadRequest as exc:  # before TelegramError: a bad request will not get better by retrying
            if _ALREADY_DONE not in exc.message.upper():
                return f"bad request: {exc.message}", True
        except (TelegramError, OSError) as exc:
            return f"{type(exc).__name__}: {exc}", False
        return "", False
