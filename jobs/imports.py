"""The import runner: adds the rows of stored CSV import jobs, one committed batch at a time.

The handler only checks and stores the file (``start_import``); this job does the work, off the update path, so
other users are served meanwhile. Each batch is one transaction of ``import_batch`` that also records how far
the job got: a crash (or a kill -9) resumes after the last commit and never adds a row twice, and a second
runner (another webhook worker) finds the job held (PostgreSQL) or out of date (a CONFLICT, rolled back).

The merchant's progress message is edited only *after* a batch has committed, never inside a unit of work, and
an edit that fails or is slow (Telegram timing out) loses nothing: progress is a courtesy, the outcome is told
through the outbox when the job finishes. Between two batches the runner yields to the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field
from typing import Any, Protocol

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from domain.errors import DomainError, ErrorCode
from domain.imports import ImportJob
from domain.routes import Route
from domain.services import Services
from domain.usecases.product_import import (
    BATCH_ROWS,
    CsvRow,
    fail_import,
    import_batch,
    import_file,
    read_product_csv,
    running_imports,
)
from i18n import t
from i18n.imports import job_summary

log = logging.getLogger(__name__)

PROGRESS_SECONDS = 1.5  # at most one progress edit this often while a job runs


class ProgressTransport(Protocol):
    """The part of ``telegram.Bot`` the runner uses."""

    async def edit_message_text(self, text: str, chat_id: int | None = None, **kwargs: Any) -> Any: ...


@dataclass
class ImportRunReport:
    batches: int = 0
    finished: int = 0


def progress_markup(job: ImportJob) -> InlineKeyboardMarkup | None:
    """A Stop button while the job runs (in the merchant's language); none once it is finished."""
    if job.status.finished:
        return None
    stop = InlineKeyboardButton(
        t(job.language, "merchant.imports.btn.stop"), callback_data=Route.MERCHANT_IMPORT_STOP.with_id(job.id)
    )
    return InlineKeyboardMarkup([[stop]])


@dataclass(eq=False)
class ImportRunner:
    svc: Services
    bot: ProgressTransport
    _: KW_ONLY
    batch_rows: int = BATCH_ROWS
    batch_pause: float = 0.0  # seconds between two batches, for other writers to get in
    progress_seconds: float = PROGRESS_SECONDS
    monotonic: Callable[[], float] = time.monotonic
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)
    _stopping: bool = field(default=False, init=False)

    def stop(self) -> None:
        """Start no further batch; the one in hand commits (or not) as it would anyway."""
        self._stopping = True

    async def run(self) -> ImportRunReport:
        """Run every running job to its end (one run at a time in this process); return what was done."""
        report = ImportRunReport()
        async with self._lock:
            for job_id in await running_imports(self.svc):
                if self._stopping:
                    break
                await self._run_job(job_id, report)
        return report

    async def _run_job(self, job_id: int, report: ImportRunReport) -> None:
        rows = await self._rows(job_id)
        if rows is None:
            job = await fail_import(self.svc, job_id, str(ErrorCode.INVALID_CSV))
            if job is not None:
                await self._show(job)
            return
        last_shown = self.monotonic()
        edit: asyncio.Task[None] | None = None  # the progress edit in flight: at most one per job
        try:
            while not self._stopping:
                try:
                    job = await import_batch(self.svc, job_id, rows, batch_rows=self.batch_rows)
                except DomainError as error:
                    if error.code is not ErrorCode.CONFLICT:
                        raise
                    return  # another runner moved it on; whoever holds it carries on
                if job is None:
                    return  # held by another worker right now
                if job.status.finished:
                    report.finished += 1
                    if edit is not None:
                        await edit  # the outcome is shown last, never overwritten by a late progress edit
                    await self._show(job)
                    return
                report.batches += 1
                if self.monotonic() - last_shown >= self.progress_seconds and (edit is None or edit.done()):
                    edit = asyncio.create_task(self._show(job))  # a slow Telegram does not hold the next batch
                    last_shown = self.monotonic()
                await asyncio.sleep(self.batch_pause)  # other updates, jobs and writers run between two batches
        finally:
            if edit is not None and not edit.done():
                await edit

    async def _rows(self, job_id: int) -> list[CsvRow] | None:
        """The job's file read again (off the event loop); None if it no longer reads (it was checked when stored)."""
        data = await import_file(self.svc, job_id)
        try:
            return await asyncio.to_thread(read_product_csv, data)
        except DomainError:
            log.error("import %s: its stored file no longer reads as a CSV of products", job_id)
            return None

    async def _show(self, job: ImportJob) -> None:
        """Edit the job's progress message (after the commit): a failure here is logged and forgotten."""
        if job.progress_message_id is None:
            return
        try:
            await self.bot.edit_message_text(
                job_summary(job.language, job),
                chat_id=job.chat_id,
                message_id=job.progress_message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=progress_markup(job),
            )
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                log.info("import %s: progress message not edited (%s)", job.id, exc.message)
        except TelegramError as exc:
            log.info("import %s: progress message not edited (%s)", job.id, exc)


__all__ = ["ImportRunReport", "ImportRunner", "progress_markup"]
