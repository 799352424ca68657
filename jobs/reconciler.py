"""The reconciler: pages through the bot's own Stars record at Telegram and repairs every charge we never recorded.

Each run fetches first — ``getStarTransactions`` page by page (100 at a time) from where the last clean run
stopped, all of it at start-up — and only then calls the use case, once per missing charge
(domain/usecases/reconcile.py). It runs at start-up and every ``SHOPBOT_RECONCILE_EVERY``. Each repair is
logged and audited; a charge that cannot be repaired now is logged and tried again on the next run.

A charge younger than ``min_age`` (Telegram's timestamp against the wall clock) is left for the next run: its
``successful_payment`` update is most likely still on its way, and settling it is that update's job. (Repairing
it anyway would be harmless — a charge is recorded once — but would be audited as a repair it was not.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from telegram import StarTransaction, TransactionPartnerUser
from telegram.constants import TransactionPartnerUser as PartnerUserType

from domain.money import Money
from domain.services import Services
from domain.usecases.ledger_check import StarRefund
from domain.usecases.reconcile import Repair, Settle, StarCharge, repair_charge, unrecorded_charges

log = logging.getLogger(__name__)

PAGE_SIZE = 100  # Telegram's most per call
STARS = "XTR"
UPDATE_GRACE = timedelta(minutes=2)  # how long a charge's own update gets to arrive before we step in


class StarRecord(Protocol):
    async def get_star_transactions(
        self, offset: int | None = None, limit: int | None = None, **kwargs: Any
    ) -> Any: ...


@dataclass
class ReconcileReport:
    read: int = 0  # transactions fetched from Telegram
    charges: int = 0  # buyers' invoice payments among them
    repaired: list[Repair] = field(default_factory=list)
    failed: int = 0
    waiting: int = 0  # missing, but young enough that their updates may still come
    finished_at: datetime | None = None


class Reconciler:
    def __init__(
        self,
        svc: Services,
        bot: StarRecord,
        settle: Settle,
        *,
        page_size: int = PAGE_SIZE,
        min_age: timedelta = UPDATE_GRACE,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.svc = svc
        self.bot = bot
        self.settle = settle
        self.page_size = page_size
        self.min_age = min_age
        self.wall_clock = wall_clock  # Telegram stamps transactions in real time, whatever the services' clock says
        self.clean_upto = 0  # Telegram's transactions before this offset are all recorded
        self.last: ReconcileReport | None = None

    async def run(self) -> ReconcileReport:
        report = ReconcileReport()
        transactions = await self._fetch(self.clean_upto)
        charges = star_charges(transactions)
        report.read, report.charges = len(transactions), len(charges)
        now = self.wall_clock()
        for charge in await unrecorded_charges(self.svc, charges):
            if now - charge.paid_at < self.min_age:
                report.waiting += 1
                continue
            try:
                repair = await repair_charge(self.svc, charge, self.settle)
            except Exception:  # one charge failing must not stop the others; it is retried next run
                report.failed += 1
                log.exception("charge %s of user %s could not be repaired", charge.charge_id, charge.payer_id)
                continue
            report.repaired.append(repair)
            log.warning(
                "reconciled charge %s (%s from user %s, payload %r): %s",
                repair.charge.charge_id,
                charge.amount.format(),
                charge.payer_id,
                charge.payload,
                repair.outcome,
            )
        if not report.failed and not report.waiting:
            self.clean_upto += len(transactions)
        report.finished_at = self.svc.clock.now()
        self.last = report
        return report

    async def _fetch(self, offset: int) -> list[StarTransaction]:
        return await fetch_star_transactions(self.bot, offset, self.page_size)


async def fetch_star_transactions(
    bot: StarRecord, offset: int = 0, page_size: int = PAGE_SIZE
) -> list[StarTransaction]:
    """Every transaction of the bot's Stars account from ``offset`` on, oldest first, ``page_size`` per call."""
    found: list[StarTransaction] = []
    while True:
        page = (await bot.get_star_transactions(offset=offset + len(found), limit=page_size)).transactions
        found.extend(page)
        if len(page) < page_size:
            return found


def star_refunds(transactions: Sequence[StarTransaction]) -> list[StarRefund]:
    """The refunds among ``transactions``: Stars sent back to a user, each under the charge id it gave back."""
    return [
        StarRefund(charge_id=t.id, user_id=t.receiver.user.id, amount=Money(t.amount, STARS))
        for t in transactions
        if isinstance(t.receiver, TransactionPartnerUser)
        and t.receiver.transaction_type == PartnerUserType.INVOICE_PAYMENT
    ]


def star_charges(transactions: Sequence[StarTransaction]) -> list[StarCharge]:
    """The buyers' invoice payments among ``transactions``, each marked if a refund of it is among them too."""
    refunded = {t.id for t in transactions if isinstance(t.receiver, TransactionPartnerUser)}
    charges = []
    for transaction in transactions:
        partner = transaction.source
        if not isinstance(partner, TransactionPartnerUser):
            continue  # not from a user (Fragment, Telegram Ads, …): nothing we sold
        if partner.transaction_type != PartnerUserType.INVOICE_PAYMENT:
            continue  # paid media, gifts, subscriptions: not our invoices
        charges.append(
            StarCharge(
                charge_id=transaction.id,
                payer_id=partner.user.id,
                amount=Money(transaction.amount, STARS),
                payload=partner.invoice_payload or "",
                paid_at=transaction.date,
                refunded=transaction.id in refunded,
            )
        )
    return charges
