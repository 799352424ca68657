"""Importing a merchant's products from a CSV file: every row checked, the good ones added in one transaction.

CSV format (this docstring is the reference the README quotes)::

    title,description,category,brand,price,stock
    Jasmine green tea 250 g,Spring harvest from Fujian,Tea,Lao Cha,39.90,120
    "Gaiwan, white porcelain",,Teaware,,88,15

- Encoding: UTF-8, with or without a byte-order mark (what Excel writes with "CSV UTF-8"). Anything else
  is refused as a whole, before any row is read.
- The first row is the header. It must name exactly these six columns, in any order, case and surrounding
  blanks ignored: ``title``, ``description``, ``category``, ``brand``, ``price``, ``stock``. A missing, unknown
  or repeated column refuses the whole file and names the columns.
- Separator ``,``; quote fields containing commas, quotes or new lines with ``"`` (double a quote inside).
- ``title`` (required, at most 80 characters), ``description`` (optional, at most 1000), ``category``
  (required, at most 40), ``brand`` (optional, at most 40), ``price`` (required: a positive number in the
  marketplace currency with at most its number of decimals, e.g. ``12`` or ``12.50``; a currency symbol in
  front is allowed), ``stock`` (required: a whole number from 0 to 1 000 000).
- Blank lines are skipped. At most 20 000 product rows per file.
- Every row is checked; the rows with errors are listed by line number (the header is line 1) with the reason,
  and all the others are added together in one transaction, as active products without photos
  (add photos afterwards from /products).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.money import Money
from domain.products import Product
from domain.services import Services
from domain.usecases.merchant_shop import own_shop
from domain.usecases.products import MAX_DESCRIPTION, MAX_LABEL, MAX_TITLE
from domain.validation import clean_text, optional_text, parse_price, parse_stock

COLUMNS = ("title", "description", "category", "brand", "price", "stock")
MAX_ROWS = 20_000
MAX_FILE_BYTES = 8 * 1024 * 1024
PROGRESS_EVERY = 500  # rows between two progress reports while adding

Progress = Callable[[int, int], Awaitable[None]]


@dataclass(frozen=True)
class CsvRow:
    """One data row as read: its line in the file and its raw values by column (``None`` if the count is off)."""

    line: int
    values: dict[str, str] | None
    field_count: int = len(COLUMNS)


@dataclass(frozen=True)
class ProductDraft:
    title: str
    description: str
    category: str
    brand: str
    price: Money
    stock: int


@dataclass(frozen=True)
class RowError:
    line: int
    error: DomainError


@dataclass(frozen=True)
class ImportReport:
    rows: int  # data rows read
    imported: int
    product_ids: tuple[int, ...] = ()
    errors: tuple[RowError, ...] = field(default=())


def read_product_csv(data: bytes) -> list[CsvRow]:
    """Decode and split the file; a problem with the file as a whole raises INVALID_CSV (``problem`` says which)."""
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(ErrorCode.INVALID_CSV, problem="too_big", max_mb=MAX_FILE_BYTES // (1024 * 1024))
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DomainError(ErrorCode.INVALID_CSV, problem="encoding", offset=error.start) from error
    if "\x00" in content:  # UTF-16 text decodes "fine" as UTF-8 full of NULs
        raise DomainError(ErrorCode.INVALID_CSV, problem="encoding", offset=content.index("\x00"))
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    try:
        header = next(reader, None)
        columns = _check_header(header)
        rows: list[CsvRow] = []
        for raw in reader:
            if not any(value.strip() for value in raw):
                continue
            if len(rows) >= MAX_ROWS:
                raise DomainError(ErrorCode.INVALID_CSV, problem="too_many_rows", max=MAX_ROWS)
            line = reader.line_num
            if len(raw) != len(columns):
                rows.append(CsvRow(line, None, len(raw)))
            else:
                rows.append(CsvRow(line, dict(zip(columns, raw, strict=True))))
    except csv.Error as error:
        raise DomainError(ErrorCode.INVALID_CSV, problem="malformed", line=reader.line_num) from error
    if not rows:
        raise DomainError(ErrorCode.INVALID_CSV, problem="no_rows")
    return rows


def _check_header(header: list[str] | None) -> list[str]:
    if not header or not any(cell.strip() for cell in header):
        raise DomainError(ErrorCode.INVALID_CSV, problem="no_header", expected=",".join(COLUMNS))
    columns = [cell.strip().lower() for cell in header]
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise DomainError(ErrorCode.INVALID_CSV, problem="repeated_columns", columns=", ".join(repeated))
    missing = [c for c in COLUMNS if c not in columns]
    if missing:
        raise DomainError(
            ErrorCode.INVALID_CSV, problem="missing_columns", columns=", ".join(missing), expected=",".join(COLUMNS)
        )
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_CSV, problem="unknown_columns", columns=", ".join(unknown), expected=",".join(COLUMNS)
        )
    return columns


def validate_row(row: CsvRow, currency: str) -> ProductDraft:
    """A product to add, or the DomainError explaining the first thing wrong with this row."""
    if row.values is None:
        raise DomainError(ErrorCode.INVALID_CSV, problem="field_count", found=row.field_count, expected=len(COLUMNS))
    values = row.values
    return ProductDraft(
        title=_one_line(clean_text(values["title"], MAX_TITLE, "title"), "title"),
        description=optional_text(values["description"], MAX_DESCRIPTION, "description"),
        category=_one_line(clean_text(values["category"], MAX_LABEL, "category"), "category"),
        brand=_one_line(optional_text(values["brand"], MAX_LABEL, "brand"), "brand"),
        price=parse_price(values["price"], currency),
        stock=parse_stock(values["stock"]),
    )


def _one_line(value: str, field_name: str) -> str:
    if "\n" in value:
        raise DomainError(ErrorCode.INVALID_TEXT, field=field_name)
    return value


async def import_products(
    svc: Services, *, actor: Actor, rows: Sequence[CsvRow], progress: Progress | None = None
) -> ImportReport:
    """Add every valid row to the actor's active shop in one transaction; report the others by line.

    ``progress(done, total)`` is awaited every PROGRESS_EVERY rows while adding, so a caller can show how far
    a large file got; it must be quick, as it runs inside the transaction.
    """
    currency = svc.policy.currency
    drafts: list[ProductDraft] = []
    errors: list[RowError] = []
    for row in rows:
        try:
            drafts.append(validate_row(row, currency))
        except DomainError as error:
            errors.append(RowError(row.line, error))
    now = svc.clock.now()
    ids: list[int] = []
    async with svc.uow() as uow:
        shop = await own_shop(uow, actor)
        await authorize(uow, svc.policy, Action.ADD_PRODUCT, actor, shop=shop)
        # Added PROGRESS_EVERY rows at a time, each lot in one statement, with a progress report after each.
        for start in range(0, len(drafts), PROGRESS_EVERY):
            lot = [_product(shop.id, draft, now) for draft in drafts[start : start + PROGRESS_EVERY]]
            ids += [product.id for product in await uow.products.add_many(lot)]
            if progress is not None:
                await progress(len(ids), len(drafts))
        await uow.commit()
    return ImportReport(rows=len(rows), imported=len(ids), product_ids=tuple(ids), errors=tuple(errors))


def _product(shop_id: int, draft: ProductDraft, now: datetime) -> Product:
    return Product(
        id=0,
        shop_id=shop_id,
        title=draft.title,
        description=draft.description,
        category=draft.category,
        brand=draft.brand,
        price=draft.price,
        stock=draft.stock,
        created_at=now,
    )
