"""/import_products: a CSV document of products, every row checked, the valid ones added in one transaction.

The file format is documented in domain/usecases/product_import.py (and quoted in the README):
header ``title,description,category,brand,price,stock`` (any order), UTF-8 with or without BOM, one product
per row, price like ``12.50``, stock a whole number, at most 20 000 rows. While a large file is being added,
one progress message is edited in place; the result lists the rows that were refused, by line number.
"""

from __future__ import annotations

import csv
import io
import time

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import Application, CommandHandler

from domain.errors import DomainError, ErrorCode
from domain.usecases.merchant_views import shop_for_new_products
from domain.usecases.product_import import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportReport,
    RowError,
    import_products,
    read_product_csv,
)
from handlers.common.deps import Context, as_merchant, services
from handlers.common.flows import DONE, STAY, Flow, Step, register_flow, start_flow
from handlers.common.reply import error_text, send, strip_tags, text

FLOW = "import_products"
SHOWN_ERRORS = 15
ERROR_ECHO = 160
PROGRESS_SECONDS = 1.5  # at most one progress edit this often
SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".ods", ".numbers")


def csv_error_text(context: Context, error: DomainError) -> str:
    """A file- or row-level CSV problem in words; other errors as everywhere else."""
    if error.code is ErrorCode.INVALID_CSV:
        problem = str(error.params.get("problem", ""))
        args = {name: value for name, value in error.params.items() if name != "problem"}
        try:
            return text(context, f"merchant.csv.{problem}", **args)
        except KeyError:
            return text(context, "error.invalid_csv")
    return error_text(context, error)


def row_error_line(context: Context, row_error: RowError) -> str:
    reason = csv_error_text(context, row_error.error)
    if len(reason) > ERROR_ECHO:
        reason = reason[: ERROR_ECHO - 1] + "…"
    return text(context, "merchant.csv.row_error", line=row_error.line) + " " + reason


def errors_file(context: Context, errors: tuple[RowError, ...]) -> bytes:
    """Every refused row as a small CSV (line, reason), for files with more errors than a message holds."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["line", "reason"])
    for row_error in errors:
        writer.writerow([row_error.line, strip_tags(csv_error_text(context, row_error.error))])
    return buffer.getvalue().encode("utf-8-sig")


def report_text(context: Context, report: ImportReport) -> str:
    lines = [text(context, "merchant.csv.done", imported=report.imported, rows=report.rows)]
    if report.errors:
        lines.append(text(context, "merchant.csv.errors_header", count=len(report.errors)))
        lines += [row_error_line(context, e) for e in report.errors[:SHOWN_ERRORS]]
        if len(report.errors) > SHOWN_ERRORS:
            lines.append(text(context, "merchant.csv.more_errors", count=len(report.errors) - SHOWN_ERRORS))
    return "\n".join(lines)


class ProgressMessage:
    """One message edited in place while rows are added, at most every PROGRESS_SECONDS."""

    def __init__(self, context: Context, message: Message) -> None:
        self.context = context
        self.message = message
        self.last = time.monotonic()

    async def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < PROGRESS_SECONDS:
            return
        self.last = now
        await self.edit(text(self.context, "merchant.csv.progress", done=done, total=total))

    async def edit(self, body: str) -> None:
        try:
            await self.message.edit_text(body, parse_mode="HTML")
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                raise


async def import_command(update: Update, context: Context) -> None:
    """/import_products: explain the format and wait for the file."""
    shop = await shop_for_new_products(services(context), actor=as_merchant(update))
    await start_flow(update, context, FLOW, "file", {"shop_id": shop.id})
    await send(
        update,
        context,
        text(
            context,
            "merchant.csv.intro",
            header=",".join(COLUMNS),
            max_rows=MAX_ROWS,
            max_mb=MAX_FILE_BYTES // (1024 * 1024),
        ),
    )


async def step_file(step: Step) -> str:
    """The CSV document: read, checked row by row, imported; the merchant sees the progress and the result."""
    message = step.message
    document = message.document if message else None
    if document is None:
        await step.say("merchant.csv.send_a_file")
        return STAY
    context = step.context
    if (document.file_name or "").lower().endswith(SPREADSHEET_SUFFIXES):
        await step.say("merchant.csv.not_csv")
        return STAY
    try:
        if document.file_size and document.file_size > MAX_FILE_BYTES:
            raise DomainError(ErrorCode.INVALID_CSV, problem="too_big", max_mb=MAX_FILE_BYTES // (1024 * 1024))
        telegram_file = await context.bot.get_file(document.file_id)
        rows = read_product_csv(bytes(await telegram_file.download_as_bytearray()))
    except DomainError as error:
        await send(
            step.update, context, csv_error_text(context, error) + "\n" + text(context, "merchant.csv.try_again")
        )
        return STAY
    progress = ProgressMessage(
        context, await send(step.update, context, text(context, "merchant.csv.checking", rows=len(rows)))
    )
    report = await import_products(services(context), actor=as_merchant(step.update), rows=rows, progress=progress)
    await progress.edit(report_text(context, report))
    if len(report.errors) > SHOWN_ERRORS:
        chat = step.update.effective_chat
        assert chat is not None
        await context.bot.send_document(
            chat.id,
            document=errors_file(context, report.errors),
            filename="import-errors.csv",
            caption=text(context, "merchant.csv.errors_file_caption", count=len(report.errors)),
        )
    return DONE


register_flow(Flow(name=FLOW, steps={"file": step_file}, cancel_key="merchant.csv.cancelled"))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("import_products", import_command))
