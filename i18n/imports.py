"""The one renderer of an import job's state: the progress message the runner edits, the list and the job's page."""

from __future__ import annotations

from domain.imports import ImportJob, ImportStatus
from i18n import t


def job_summary(lang: str, job: ImportJob) -> str:
    """Where the job stands, in ``lang``: progress while it runs, else its outcome (with its refused rows' count)."""
    if job.status is ImportStatus.RUNNING:
        return t(lang, "merchant.imports.progress", count=job.total_rows, **job.figures())
    outcome = t(lang, f"merchant.imports.{job.status}", count=job.imported, **job.figures())
    if job.refused:
        outcome += "\n" + t(lang, "merchant.imports.refused", count=job.refused)
    return outcome


def job_line(lang: str, job: ImportJob) -> str:
    """One job in the merchant's list."""
    return t(lang, "merchant.imports.item", job=job.id, created=job.created_at, status=job.status, **job.figures())
