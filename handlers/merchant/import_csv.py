"""/import_products: a CSV document of products, checked as a whole and imported in the background; /imports.

The file format is documented in domain/usecases/product_import.py (and quoted in the README):
header ``title,description,category,brand,price,stock`` (any order), UTF-8 with or without BOM, one product
per row, price like ``12`` (Stars) or ``12.50`` (a currency with cents), stock a whole number, at most 20 000 rows.

The step only downloads and checks the file, stores it as an import job (one short transaction) and answers with
a progress message carrying a Stop button; the runner (jobs/imports.py) adds the rows in committed batches and
edits that message after each commit. The same document sent again (or delivered again) finds its job and
imports nothing twice. /imports lists the merchant's recent imports; a job's page shows its refused rows by line
and sends them all as a CSV file.
"""

from __future__ import annotations

import asyncio
import csv
import io

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from domain.errors import DomainError, ErrorCode
from domain.imports import ImportJob, ImportRowError
from domain.money import price_example
from domain.routes import Press, Route
from domain.usecases.merchant_views import shop_for_new_products
from domain.usecases.product_import import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    OPTIONAL_COLUMNS,
    ImportDocument,
    as_domain_error,
    count_rows,
    import_view,
    recent_imports,
    show_progress_in,
    start_import,
    stop_import,
)
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_merchant, lang, services
from handlers.common.flows import DONE, STAY, Flow, Step, register_flow, start_flow
from handlers.common.pages import offset_arrows
from handlers.common.reply import ButtonSpec, error_text, keyboard, label, send, show, strip_tags, text
from i18n.imports import job_line, job_summary

FLOW = "import_products"
SHOWN_ERRORS = 15
ERROR_ECHO = 160
LIST_PAGE = 5
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


def row_error_line(context: Context, row_error: ImportRowError) -> str:
    reason = csv_error_text(context, as_domain_error(row_error))
    if len(reason) > ERROR_ECHO:
        reason = reason[: ERROR_ECHO - 1] + "…"
    return text(context, "merchant.csv.row_error", line=row_error.line) + " " + reason


def errors_file(context: Context, errors: list[ImportRowError] | tuple[ImportRowError, ...]) -> bytes:
    """Every refused row as a small CSV (line, reason), for files with more errors than a message holds."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["line", "reason"])
    for row_error in errors:
        writer.writerow([row_error.line, strip_tags(csv_error_text(context, as_domain_error(row_error)))])
    return buffer.getvalue().encode("utf-8-sig")


def job_markup(context: Context, job: ImportJob) -> InlineKeyboardMarkup | None:
    """Stop while it runs; the refused rows as a file when there are some; the page itself and the list."""
    rows: list[list[ButtonSpec]] = []
    if not job.status.finished:
        rows.append([(label(context, "merchant.imports.btn.stop"), Route.MERCHANT_IMPORT_STOP.with_id(job.id))])
    if job.refused:
        rows.append([(label(context, "merchant.imports.btn.errors"), Route.MERCHANT_IMPORT_ERRORS.with_id(job.id))])
    rows.append(
        [
            (label(context, "merchant.imports.btn.refresh"), Route.MERCHANT_IMPORT.with_id(job.id)),
            (label(context, "merchant.imports.btn.list"), Route.MERCHANT_IMPORTS.data(0)),
        ]
    )
    return keyboard(rows)


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
            price=price_example(services(context).policy.currency, 39),
            example=price_example(services(context).policy.currency),
            max_rows=MAX_ROWS,
            max_mb=MAX_FILE_BYTES // (1024 * 1024),
        )
        + "\n"
        + text(context, "merchant.csv.variants", columns=",".join(OPTIONAL_COLUMNS)),
    )


async def step_file(step: Step) -> str:
    """The CSV document: checked as a whole, stored as an import job, answered with its progress message."""
    message = step.message
    document = message.document if message else None
    if message is None or document is None:
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
        data = bytes(await telegram_file.download_as_bytearray())
        rows = await asyncio.to_thread(count_rows, data)  # a 7 MB file is read off the event loop
    except DomainError as error:
        await send(
            step.update, context, csv_error_text(context, error) + "\n" + text(context, "merchant.csv.try_again")
        )
        return STAY
    actor = as_merchant(step.update)
    svc = services(context)
    started = await start_import(
        svc,
        actor=actor,
        document=ImportDocument(
            file_unique_id=document.file_unique_id,
            file_name=document.file_name or "products.csv",
            content=data,
            message_id=message.message_id,
        ),
        rows=rows,
        chat_id=message.chat_id,
        language=lang(context),
    )
    job = started.job
    if started.created or started.redelivered:
        body = text(context, "merchant.imports.started", file=job.file_name, count=job.total_rows)
    else:
        body = text(context, "merchant.imports.already", job=job.id) + "\n" + job_summary(lang(context), job)
    progress = await send(step.update, context, body, job_markup(context, job))
    if not job.status.finished:
        await show_progress_in(svc, actor=actor, job_id=job.id, message_id=progress.message_id)
    return DONE


register_flow(Flow(name=FLOW, steps={"file": step_file}, cancel_key="merchant.csv.cancelled"))


async def show_imports(update: Update, context: Context, offset: int) -> None:
    found = await recent_imports(services(context), actor=as_merchant(update), offset=offset, limit=LIST_PAGE)
    if not found.total:
        await show(update, context, text(context, "merchant.imports.none"))
        return
    language = lang(context)
    lines = [text(context, "merchant.imports.title", count=found.total)]
    lines += [job_line(language, job) for job in found.jobs]
    rows: list[list[ButtonSpec]] = [
        [(f"#{job.id} · {job.file_name}"[:60], Route.MERCHANT_IMPORT.with_id(job.id))] for job in found.jobs
    ]
    more = offset + len(found.jobs) < found.total
    rows.append(offset_arrows(Route.MERCHANT_IMPORTS, offset, LIST_PAGE, has_more=more))
    await show(update, context, "\n\n".join(lines), keyboard(rows))


async def imports_command(update: Update, context: Context) -> None:
    """/imports: the merchant's recent imports, newest first."""
    await show_imports(update, context, 0)


@on_button(Route.MERCHANT_IMPORTS)
async def on_imports(update: Update, context: Context, press: Press) -> None:
    await show_imports(update, context, max(0, press.id()))


async def show_job(update: Update, context: Context, job_id: int) -> None:
    view = await import_view(services(context), actor=as_merchant(update), job_id=job_id, errors=SHOWN_ERRORS + 1)
    job = view.job
    lines = [job_summary(lang(context), job)]
    if view.errors:
        lines.append(text(context, "merchant.imports.errors_header", count=job.refused))
        lines += [row_error_line(context, e) for e in view.errors[:SHOWN_ERRORS]]
        if job.refused > SHOWN_ERRORS:
            lines.append(text(context, "merchant.imports.errors_more", count=job.refused - SHOWN_ERRORS))
    elif job.status.finished:
        lines.append(text(context, "merchant.imports.no_errors"))
    await show(update, context, "\n".join(lines), job_markup(context, job))


@on_button(Route.MERCHANT_IMPORT)
async def on_import(update: Update, context: Context, press: Press) -> None:
    await show_job(update, context, press.id())


@on_button(Route.MERCHANT_IMPORT_STOP)
async def on_import_stop(update: Update, context: Context, press: Press) -> None:
    """Stop after the batch in hand; pressed again (or on a finished job), the page shows how it ended."""
    await stop_import(services(context), actor=as_merchant(update), job_id=press.id())
    await show_job(update, context, press.id())


@on_button(Route.MERCHANT_IMPORT_ERRORS)
async def on_import_errors(update: Update, context: Context, press: Press) -> None:
    view = await import_view(services(context), actor=as_merchant(update), job_id=press.id(), errors=None)
    chat = update.effective_chat
    if chat is None or not view.errors:
        return
    await context.bot.send_document(
        chat.id,
        document=errors_file(context, view.errors),
        filename=f"import-{view.job.id}-errors.csv",
        caption=text(context, "merchant.imports.errors_file_caption", count=len(view.errors), file=view.job.file_name),
    )


def register(app: Application) -> None:
    app.add_handler(CommandHandler("import_products", import_command))
    app.add_handler(CommandHandler("imports", imports_command))
    add_buttons(app, on_imports, on_import, on_import_stop, on_import_errors)
