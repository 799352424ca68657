"""What the refund admin tasks, ``refunded_payment`` updates and the Telegram half of ``ledger check`` ask of storage.

- A *provider refund* is a refund of a payment made with a payment provider's token (not Stars): the Bot API
  cannot give it back, so it is a task for an admin (method ``recorded``) until one marks it done.
- ``finish`` is one conditional write (pending → done), so of two admins marking the same refund at once exactly
  one gets True.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.payments import Refund, RefundMethod


class RefundQueries(Protocol):
    async def get(self, refund_id: int) -> Refund | None: ...
    async def count_pending(self, method: RefundMethod) -> int: ...
    async def pending(self, method: RefundMethod, *, offset: int, limit: int) -> list[Refund]:
        """Pending refunds of ``method``, oldest first."""
        ...

    async def finish(self, refund_id: int, method: RefundMethod, *, done_at: datetime) -> bool:
        """Mark the refund done if it is a pending refund of ``method``; False (nothing changed) otherwise."""
        ...

    async def of_charge(self, charge_id: str) -> list[Refund]:
        """Every refund of the charge ``charge_id``, oldest first."""
        ...

    async def done_star_charges(self) -> dict[str, int]:
        """Charge id → refund id of every Stars refund (``refundStarPayment``) marked done."""
        ...
