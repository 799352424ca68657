"""Importing a merchant's products from a CSV file, as a background job: every row checked, added in batches.

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
- Optional columns ``option1``, ``option2``, ``sku`` (variants, domain/variants.py): consecutive rows of one title
  with ``option1`` filled (cells ``Name: value``) are one product with options and a SKU per row (its own price,
  stock and code); description, category and brand come from the first of them.
- Blank lines are skipped. At most 20 000 product rows per file.
- Every row is checked; the rows with errors are listed by line number (the header is line 1) with the reason,
  and all the others are added as active products without photos (add photos afterwards from /products).

The file is checked as a whole and stored as an import job (domain/imports.py) in one short transaction
(``start_import``); the same document sent again finds its job instead of importing twice. The runner
(jobs/imports.py) then calls ``import_batch`` until the job is finished: each batch of ``BATCH_ROWS`` rows is
one committed transaction that also records how far the job got, so a crash resumes after the last commit and
never adds a row twice. No use case here talks to Telegram; the runner edits the progress message after each
commit, and the notice that the import finished goes through the outbox.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.imports import ImportJob, ImportRowError, ImportStatus
from domain.money import Money
from domain.notifications import Button, Notification
from domain.ports import UnitOfWork
from domain.products import Product
from domain.routes import Route
from domain.services import Services
from domain.usecases.merchant_shop import own_shop
from domain.usecases.products import MAX_DESCRIPTION, MAX_LABEL, MAX_TITLE, sku_title
from domain.validation import clean_text, optional_text, parse_price, parse_stock
from domain.variants import MAX_CODE, MAX_SKUS, first_spellings, parse_options, spelled_as, values_key

COLUMNS = ("title", "description", "category", "brand", "price", "stock")
OPTIONAL_COLUMNS = ("option1", "option2", "sku")  # variants (domain/variants.py)
MAX_ROWS = 20_000
MAX_FILE_BYTES = 8 * 1024 * 1024
BATCH_ROWS = 500  # rows added per committed transaction
MAX_FILE_NAME = 255
CHANGE_ATTEMPTS = 5


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
    options: tuple[tuple[str, str], ...] = ()  # a SKU row: (option name, value) per option column filled
    sku_code: str = ""


@dataclass(frozen=True)
class RowError:
    line: int
    error: DomainError


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
    unknown = [c for c in columns if c not in COLUMNS + OPTIONAL_COLUMNS]
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
        options=_option_cells(values),
        sku_code=_one_line(optional_text(values.get("sku", ""), MAX_CODE, "sku"), "sku"),
    )


def _option_cells(values: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The row's ``option1``/``option2`` cells, each ``Name: value`` (option2 only beside option1)."""
    cells = [values.get(column, "").strip() for column in ("option1", "option2")]
    if cells[1] and not cells[0]:
        raise DomainError(ErrorCode.INVALID_OPTIONS, reason="option2_alone", line=cells[1][:40])
    found = []
    for cell in (c for c in cells if c):
        (option,) = parse_options(cell)  # one line: one option, one value
        if len(option["values"]) != 1:
            raise DomainError(ErrorCode.INVALID_OPTIONS, reason="one_value", line=cell[:40])
        found.append((option["name"], option["values"][0]))
    if len(found) == 2 and found[0][0].casefold() == found[1][0].casefold():
        raise DomainError(ErrorCode.INVALID_OPTIONS, reason="repeated_name", line=cells[1][:40])
    return tuple(found)


def _one_line(value: str, field_name: str) -> str:
    if "\n" in value:
        raise DomainError(ErrorCode.INVALID_TEXT, field=field_name)
    return value


@dataclass(frozen=True)
class ImportDocument:
    """The file as Telegram gave it: its lasting id (the same for the same file, however often it is sent)."""

    file_unique_id: str
    file_name: str
    content: bytes
    message_id: int | None = None  # the message that carried it (the same when Telegram delivers it again)


@dataclass(frozen=True)
class ImportStart:
    job: ImportJob
    created: bool  # False: this merchant sent this file before, and ``job`` is the import it started then
    redelivered: bool = False  # the very message that started ``job``, delivered again (not sent again)


def count_rows(data: bytes) -> int:
    """The file's data rows, once it is checked as a whole (INVALID_CSV as ``read_product_csv`` raises it)."""
    return len(read_product_csv(data))


async def start_import(
    svc: Services, *, actor: Actor, document: ImportDocument, rows: int, chat_id: int, language: str
) -> ImportStart:
    """Store the file as an import job of the actor's shop, or find the job this file started before.

    ``rows`` is the count of data rows the caller found checking the file (``count_rows``). Nothing is added
    here: the runner (jobs/imports.py) adds the rows in batches, after this short transaction.
    """
    if actor.user_id is None:
        raise DomainError(ErrorCode.FORBIDDEN)
    async with svc.uow() as uow:
        existing = await uow.imports.find(actor.user_id, document.file_unique_id)
        if existing is not None:
            return _found(existing, document)
        shop = await own_shop(uow, actor)
        await authorize(uow, svc.policy, Action.ADD_PRODUCT, actor, shop=shop)
        job = ImportJob(
            id=0,
            shop_id=shop.id,
            merchant_id=actor.user_id,
            file_unique_id=document.file_unique_id,
            file_name=document.file_name[:MAX_FILE_NAME],
            language=language,
            chat_id=chat_id,
            total_rows=rows,
            created_at=svc.clock.now(),
            document_message_id=document.message_id,
        )
        added = await uow.imports.add(job, document.content)
        if added is None:  # the same file, in a transaction that committed first
            found = await uow.imports.find(actor.user_id, document.file_unique_id)
            assert found is not None
            return _found(found, document)
        await uow.commit()
    return ImportStart(added, created=True)


def _found(job: ImportJob, document: ImportDocument) -> ImportStart:
    again = document.message_id is not None and job.document_message_id == document.message_id
    return ImportStart(job, created=False, redelivered=again)


async def show_progress_in(svc: Services, *, actor: Actor, job_id: int, message_id: int) -> ImportJob:
    """Make ``message_id`` the message the runner edits with the job's progress (the newest one shown)."""

    def change(job: ImportJob) -> bool:
        job.progress_message_id = message_id
        return True

    return await _change_job(svc, actor, job_id, change)


async def stop_import(svc: Services, *, actor: Actor, job_id: int) -> ImportJob:
    """Stop a running import after the batch in hand; the rows added so far stay. A finished job is left as it is."""
    now = svc.clock.now()

    def change(job: ImportJob) -> bool:
        if job.status.finished:
            return False
        job.status = ImportStatus.STOPPED
        job.finished_at = now
        return True

    return await _change_job(svc, actor, job_id, change)


async def _change_job(svc: Services, actor: Actor, job_id: int, change: Callable[[ImportJob], bool]) -> ImportJob:
    """Load the actor's job, apply ``change`` and save it, again if a batch committed in between."""
    for attempt in range(CHANGE_ATTEMPTS):
        async with svc.uow() as uow:
            job = await _own_job(uow, actor, job_id)
            if not change(job):
                return job
            try:
                await uow.imports.save(job)
            except DomainError as error:
                if error.code is not ErrorCode.CONFLICT or attempt == CHANGE_ATTEMPTS - 1:
                    raise
                continue
            await uow.commit()
            return job
    raise DomainError(ErrorCode.CONFLICT, entity="import_job", id=job_id)


async def _own_job(uow: UnitOfWork, actor: Actor, job_id: int) -> ImportJob:
    job = await uow.imports.get(job_id)
    if job is None or actor.role is not ActorRole.MERCHANT or job.merchant_id != actor.user_id:
        raise DomainError(ErrorCode.NOT_FOUND)
    return job


@dataclass(frozen=True)
class ImportView:
    job: ImportJob
    errors: tuple[ImportRowError, ...]  # the first ``limit`` refused rows, by line


async def import_view(svc: Services, *, actor: Actor, job_id: int, errors: int | None = 15) -> ImportView:
    """One of the actor's imports with (the first ``errors`` of) the rows it refused; None: all of them."""
    async with svc.uow(read_only=True) as uow:
        job = await _own_job(uow, actor, job_id)
        return ImportView(job, tuple(await uow.imports.errors(job.id, limit=errors)))


@dataclass(frozen=True)
class ImportList:
    jobs: tuple[ImportJob, ...]
    total: int


async def recent_imports(svc: Services, *, actor: Actor, offset: int = 0, limit: int = 5) -> ImportList:
    """The actor's imports, newest first (also after their shop closed); NO_SHOP for someone who never had one."""
    if actor.role is not ActorRole.MERCHANT or actor.user_id is None:
        raise DomainError(ErrorCode.FORBIDDEN)
    async with svc.uow(read_only=True) as uow:
        if await uow.shops.latest_for_owner(actor.user_id) is None:
            raise DomainError(ErrorCode.NO_SHOP)
        jobs = await uow.imports.for_merchant(actor.user_id, offset=offset, limit=limit)
        return ImportList(tuple(jobs), await uow.imports.count_for_merchant(actor.user_id))


async def running_imports(svc: Services, limit: int = 20) -> list[int]:
    async with svc.uow(read_only=True) as uow:
        return await uow.imports.running(limit)


async def import_file(svc: Services, job_id: int) -> bytes:
    async with svc.uow(read_only=True) as uow:
        return await uow.imports.content(job_id)


def row_error(job_id: int, row: RowError) -> ImportRowError:
    return ImportRowError(job_id=job_id, line=row.line, code=str(row.error.code), params=dict(row.error.params))


def as_domain_error(error: ImportRowError) -> DomainError:
    return DomainError(ErrorCode(error.code), **error.params)


async def import_batch(
    svc: Services, job_id: int, rows: Sequence[CsvRow], *, batch_rows: int = BATCH_ROWS
) -> ImportJob | None:
    """Add the next ``batch_rows`` rows of the job's file (``rows``, as read from it) in one transaction.

    The products, the refused rows and the job's new position commit together: a crash before the commit leaves
    the position where it was, so the batch is done again once, never twice. None when another runner holds
    the job right now (PostgreSQL); a finished job comes back unchanged. The last batch marks the job done and
    queues the merchant's notice; a shop that can no longer take products fails the job.
    """
    now = svc.clock.now()
    async with svc.uow() as uow:
        job = await uow.imports.get(job_id, for_update=True)
        if job is None or job.status.finished:
            return job
        try:
            shop = await uow.shops.get(job.shop_id)
            if shop is None:
                raise DomainError(ErrorCode.NO_SHOP)
            await authorize(uow, svc.policy, Action.ADD_PRODUCT, Actor.merchant(job.merchant_id), shop=shop)
        except DomainError as error:
            job.status, job.failure, job.finished_at = ImportStatus.FAILED, str(error.code), now
            await _finish(uow, job)
            return job
        currency = svc.policy.currency
        drafts: list[tuple[int, ProductDraft]] = []
        refused: list[ImportRowError] = []
        end = _batch_end(rows, job.position, batch_rows)
        for row in rows[job.position : end]:
            try:
                drafts.append((row.line, validate_row(row, currency)))
            except DomainError as error:
                refused.append(row_error(job.id, RowError(row.line, error)))
        imported, variant_refusals = await _add_products(uow, job.shop_id, drafts, now)
        refused += [row_error(job.id, refusal) for refusal in variant_refusals]
        await uow.imports.add_errors(sorted(refused, key=lambda error: error.line))
        job.position = end
        job.imported += imported
        job.refused += len(refused)
        if job.position >= len(rows):
            job.status, job.finished_at = ImportStatus.DONE, now
            await _finish(uow, job)
            return job
        await uow.imports.save(job)
        await uow.commit()
    return job


async def fail_import(svc: Services, job_id: int, reason: str) -> ImportJob | None:
    """End a job whose file can no longer be read as it was when it was checked (it never adds a row twice)."""
    async with svc.uow() as uow:
        job = await uow.imports.get(job_id, for_update=True)
        if job is None or job.status.finished:
            return job
        job.status, job.failure, job.finished_at = ImportStatus.FAILED, reason, svc.clock.now()
        await _finish(uow, job)
        return job


async def _finish(uow: UnitOfWork, job: ImportJob) -> None:
    """Save the finished job and queue the merchant's notice of it (once, whatever happens to the progress edit)."""
    await uow.imports.save(job)
    await uow.outbox.add(
        Notification(
            chat_id=job.chat_id,
            key=f"merchant.imports.finished.{job.status}",
            dedupe_key=f"import:{job.id}:finished",
            args={**job.figures(), "count": job.imported, "reason": job.failure},
            buttons=((Button("merchant.imports.btn.view", data=Route.MERCHANT_IMPORT.with_id(job.id)),),),
        )
    )
    await uow.commit()


def _title_of(row: CsvRow) -> str | None:
    return row.values["title"].strip() if row.values is not None else None


def _batch_end(rows: Sequence[CsvRow], position: int, batch_rows: int) -> int:
    """Where the batch from ``position`` ends: after ``batch_rows`` rows, or later, so as not to split the run of
    SKU rows (same title, an option) of one product between two batches."""
    end = min(len(rows), position + batch_rows)
    while end < len(rows) and _sku_row(rows[end]) and _title_of(rows[end]) == _title_of(rows[end - 1]):
        end += 1
    return end


def _sku_row(row: CsvRow) -> bool:
    return row.values is not None and bool(row.values.get("option1", "").strip())


async def _add_products(
    uow: UnitOfWork, shop_id: int, drafts: Sequence[tuple[int, ProductDraft]], now: datetime
) -> tuple[int, list[RowError]]:
    """Add the rows' products: a row without options is a product; a run of rows of one title with options is one
    product with those options and a SKU per row (a row repeating a combination, naming other options, or past
    ``MAX_SKUS`` is refused). How many rows were added, and the rows refused."""
    groups: list[list[tuple[int, ProductDraft]]] = []
    for line, draft in drafts:
        previous = groups[-1][-1][1] if groups else None
        if draft.options and previous is not None and previous.options and previous.title == draft.title:
            groups[-1].append((line, draft))
        else:
            groups.append([(line, draft)])
    refused: list[RowError] = []
    parents: list[Product] = []
    skus: list[list[ProductDraft]] = []
    for group in groups:
        first = group[0][1]
        names = [name for name, _ in first.options]
        kept: list[ProductDraft] = []
        for line, draft in group:
            combo = values_key([value for _, value in draft.options])
            if values_key([name for name, _ in draft.options]) != values_key(names):
                refused.append(RowError(line, DomainError(ErrorCode.INVALID_OPTIONS, reason="names", line=draft.title)))
            elif combo in {values_key([v for _, v in k.options]) for k in kept} or len(kept) >= MAX_SKUS:
                refused.append(RowError(line, DomainError(ErrorCode.INVALID_SKUS, reason="repeated", line=draft.title)))
            else:
                kept.append(draft)
        if names and not kept:
            continue  # every SKU row of it refused: no product
        parent = _product(shop_id, first, now)
        if names:
            # "Red" and "red" in the rows of one product are one value, spelled as the first row has it.
            values = [first_spellings(k.options[i][1] for k in kept) for i in range(len(names))]
            parent.options = [{"name": name, "values": vs} for name, vs in zip(names, values, strict=True)]
            parent.price, parent.stock = min(k.price for k in kept), 0
        parents.append(parent)
        skus.append(kept if names else [])
    await uow.products.add_many(parents)
    children = [
        replace(
            _product(shop_id, draft, now),
            title=sku_title(parent, spelled),
            description="",
            parent_id=parent.id,
            option_values=spelled,
            sku_code=draft.sku_code,
        )
        for parent, kept in zip(parents, skus, strict=True)
        for draft in kept
        for spelled in [_as_spelled(parent, draft)]
    ]
    if children:
        await uow.products.add_many(children)
    return sum(len(kept) or 1 for kept in skus), refused


def _as_spelled(parent: Product, draft: ProductDraft) -> list[str]:
    """A SKU row's values as its product's options spell them."""
    return [
        spelled_as(value, option["values"]) for (_, value), option in zip(draft.options, parent.options, strict=True)
    ]


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
