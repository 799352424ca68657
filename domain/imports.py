"""Product imports as background jobs: a merchant's CSV file, stored, then added batch by batch.

A job is created once per (merchant, Telegram ``file_unique_id``): the same document sent again, or the same
update delivered twice, finds the job already there. The runner (jobs/imports.py) adds the rows from
``position`` on, one batch per committed transaction that also moves ``position`` on, so a crash resumes
exactly where the last commit left it and no row is ever added twice. Stopping a job keeps what was added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class ImportStatus(StrEnum):
    RUNNING = "running"  # waiting for, or in, its next batch
    DONE = "done"
    STOPPED = "stopped"  # the merchant pressed Stop; the rows added before stay
    FAILED = "failed"  # the shop can no longer take products (``failure`` says why)

    @property
    def finished(self) -> bool:
        return self is not ImportStatus.RUNNING


@dataclass
class ImportJob:
    id: int
    shop_id: int
    merchant_id: int
    file_unique_id: str
    file_name: str
    language: str  # the merchant's, for the progress message the runner edits
    chat_id: int
    total_rows: int  # data rows in the file, known when it was checked as a whole
    created_at: datetime
    status: ImportStatus = ImportStatus.RUNNING
    position: int = 0  # data rows handled (added or refused), committed with the products they made
    imported: int = 0
    refused: int = 0
    progress_message_id: int | None = None
    document_message_id: int | None = None  # the merchant's message that carried the file
    failure: str = ""  # the error code that ended a failed job
    finished_at: datetime | None = None
    version: int = 0

    def figures(self) -> dict[str, Any]:
        """What the job's messages show of it: its file, rows checked of its rows, products added, rows refused."""
        return {
            "file": self.file_name,
            "done": self.position,
            "rows": self.total_rows,
            "imported": self.imported,
            "refused": self.refused,
        }


@dataclass(frozen=True)
class ImportRowError:
    """A row that was not added: its line in the file (the header is line 1) and why, as a DomainError's parts."""

    job_id: int
    line: int
    code: str
    params: dict[str, Any] = field(default_factory=dict)
