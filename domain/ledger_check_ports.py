"""What ``shopbot ledger check`` asks of storage: the ledger's totals and the rows that disagree with the books.

storage/ledger_check_queries.py answers in SQL (anti-joins, so only the disagreements travel); the fakes answer
from their rows. Each ``limit`` caps how many disagreements of one kind come back (the check says when it is hit).

- A payment is *booked once* when exactly one CHARGE_RECEIVED transaction references it and takes the paid amount,
  in the paid currency, out of ``outside:received``.
- A Stars refund marked done is *booked once* when exactly one REFUND_TO_CHARGE transaction references it and puts
  the refunded amount into ``outside:refunded``. A REFUND_TO_CHARGE for a refund that is not done (or that does
  not exist) says money went back before it did.
- An order's store credit is *booked once* when the credit it says it spent at checkout (``credit_applied``) is
  exactly one CREDIT_SPENT transaction referencing it, putting that amount into escrow; an order that spent none
  has no CREDIT_SPENT.
- A *finished* order (completed and so settled, cancelled, or refunded) has moved its money on — to the merchant,
  back to the buyer — so what the transactions referencing it left in ``platform:escrow`` (in the order's currency)
  is exactly what its refunds not yet done still owe (refunds on their way back through Telegram).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from domain.money import Money
from domain.orders import OrderStatus

# Orders that are over: no more money of theirs should wait in escrow (but refunds still on their way).
FINISHED_STATES = (OrderStatus.COMPLETED, OrderStatus.CANCELLED, OrderStatus.REFUNDED)


@dataclass(frozen=True)
class AccountTotal:
    """An account's balance as stored: the key is raw text, so an unknown key can be reported, not crash."""

    key: str
    currency: str
    amount: int


@dataclass(frozen=True)
class Imbalance:
    """A transaction whose entries do not sum to zero in ``currency`` (``currency`` empty: it has no entries)."""

    key: str
    currency: str
    amount: int


@dataclass(frozen=True)
class PaymentBooking:
    """A recorded payment not booked exactly once: ``bookings`` charges reference it, together taking ``booked``."""

    payment_id: int
    charge_id: str
    amount: Money  # paid
    bookings: int
    booked: int


@dataclass(frozen=True)
class RefundBooking:
    """A Stars refund marked done not booked exactly once as a refund to its charge."""

    refund_id: int
    amount: Money
    bookings: int
    booked: int


@dataclass(frozen=True)
class CreditBooking:
    """An order whose store credit (``credit``, as the order keeps it) is not booked exactly once as spent."""

    order_id: int
    credit: Money
    bookings: int
    booked: int


@dataclass(frozen=True)
class EscrowLeft:
    """A finished order whose transactions left ``held`` in escrow while its refunds not done owe only ``owed``."""

    order_id: int
    status: OrderStatus
    held: Money
    owed: Money

    @property
    def left(self) -> Money:
        return self.held - self.owed


class LedgerCheckQueries(Protocol):
    async def totals(self) -> list[AccountTotal]:
        """Every account's balance, by key and currency."""
        ...

    async def count_transactions(self) -> int: ...
    async def unbalanced(self, limit: int) -> list[Imbalance]: ...
    async def payments_not_booked_once(self, limit: int) -> list[PaymentBooking]: ...
    async def charges_without_payment(self, limit: int) -> list[str]:
        """Keys of CHARGE_RECEIVED transactions that reference no recorded payment."""
        ...

    async def star_refunds_not_booked_once(self, limit: int) -> list[RefundBooking]: ...
    async def refunds_booked_before_done(self, limit: int) -> list[str]:
        """Keys of REFUND_TO_CHARGE transactions whose refund does not exist or is not marked done."""
        ...

    async def order_credit_not_booked_once(self, limit: int) -> list[CreditBooking]: ...
    async def finished_orders_with_escrow_left(self, limit: int) -> list[EscrowLeft]:
        """Finished orders (``FINISHED_STATES``) whose escrow is not exactly their refunds still on their way."""
        ...
