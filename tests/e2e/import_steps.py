"""Steps the product-import journeys share: the CSV a merchant sends, and sending it."""

from __future__ import annotations

from domain.usecases.product_import import COLUMNS
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import BOB

CSV_HEADER = ",".join(COLUMNS)  # the columns /import_products asks for, in order


async def send_csv(stack: Stack, data: bytes, name: str = "products.csv", *, settle: bool = True) -> int:
    """Bob sends ``data`` as a CSV document (and the bot handles it, unless ``settle`` is False); the id of the
    message that carried it."""
    sent = await stack.driver.send_document(BOB, data, name, mime_type="text/csv")
    if settle:
        await stack.settle()
    return int(sent["message_id"])
