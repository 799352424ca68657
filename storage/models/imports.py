"""Product import jobs (domain/imports.py): the stored CSV file, how far it got, and the rows it refused."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigInt, Id, Status, Version


class ImportJobRow(Base):
    __tablename__ = "import_jobs"
    # The runner's queue (running jobs, oldest first) and a merchant's list (newest first).
    __table_args__ = (
        Index("ix_import_jobs_status_id", "status", "id"),
        Index("ix_import_jobs_merchant_id", "merchant_id", "id"),
    )

    id: Mapped[Id]
    # "<merchant id>:<file_unique_id>": one job per document per merchant, however often it is sent.
    dedupe_key: Mapped[str] = mapped_column(String(160), unique=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id"))
    merchant_id: Mapped[BigInt] = mapped_column(ForeignKey("users.id"))
    file_unique_id: Mapped[str] = mapped_column(String(128))
    file_name: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(8))
    chat_id: Mapped[BigInt]
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    total_rows: Mapped[int]
    status: Mapped[Status]
    position: Mapped[int]
    imported: Mapped[int]
    refused: Mapped[int]
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    document_message_id: Mapped[int | None] = mapped_column(BigInteger)
    failure: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    version: Mapped[Version]


class ImportErrorRow(Base):
    __tablename__ = "import_errors"

    id: Mapped[Id]
    job_id: Mapped[int] = mapped_column(ForeignKey("import_jobs.id"), index=True)
    line: Mapped[int]
    code: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]]
