"""Product import jobs, their stored files and the rows they refused."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from domain.imports import ImportJob, ImportRowError, ImportStatus
from storage.models import ImportErrorRow, ImportJobRow
from storage.repositories.base import Repository, locked
from storage.repositories.mapping import RowMapper

JOBS = ImportJobRow.__table__
ERRORS = ImportErrorRow.__table__
# Every column but the file: lists and the runner's batches never carry megabytes they do not need.
_JOB_COLUMNS = [column for column in JOBS.c if column.name not in ("content", "dedupe_key")]
JOB = RowMapper(ImportJob, ImportJobRow)


def dedupe_key(merchant_id: int, file_unique_id: str) -> str:
    return f"{merchant_id}:{file_unique_id}"


class SqlImportJobRepository(Repository):
    async def add(self, job: ImportJob, content: bytes) -> ImportJob | None:
        values = {
            **JOB.values(job),
            "dedupe_key": dedupe_key(job.merchant_id, job.file_unique_id),
            "content": content,
            "version": job.version,
        }
        new_id = await self.insert_if_absent(ImportJobRow, values, unique="dedupe_key")
        if new_id is None:
            return None
        job.id = int(new_id)
        return job

    async def find(self, merchant_id: int, file_unique_id: str) -> ImportJob | None:
        stmt = select(*_JOB_COLUMNS).where(JOBS.c.dedupe_key == dedupe_key(merchant_id, file_unique_id))
        rows = await self.rows(stmt)
        return JOB.entity(rows[0]) if rows else None

    async def get(self, job_id: int, *, for_update: bool = False) -> ImportJob | None:
        stmt = select(*_JOB_COLUMNS).where(JOBS.c.id == job_id)
        rows = await self.rows(locked(stmt) if for_update else stmt)
        return JOB.entity(rows[0]) if rows else None

    async def save(self, job: ImportJob) -> None:
        await self.save_versioned(ImportJobRow, job, JOB.values(job))

    async def content(self, job_id: int) -> bytes:
        data = (await self.session.execute(select(JOBS.c.content).where(JOBS.c.id == job_id))).scalar_one()
        return bytes(data)

    async def add_errors(self, errors: Sequence[ImportRowError]) -> None:
        rows = [{"job_id": e.job_id, "line": e.line, "code": e.code, "params": dict(e.params)} for e in errors]
        await self.insert_many(ImportErrorRow, rows)

    async def errors(self, job_id: int, *, limit: int | None = None) -> list[ImportRowError]:
        stmt = select(ERRORS).where(ERRORS.c.job_id == job_id).order_by(ERRORS.c.line, ERRORS.c.id)
        if limit is not None:
            stmt = stmt.limit(limit)
        return [
            ImportRowError(job_id=row.job_id, line=row.line, code=row.code, params=dict(row.params))
            for row in await self.rows(stmt)
        ]

    async def for_merchant(self, merchant_id: int, *, offset: int = 0, limit: int = 10) -> list[ImportJob]:
        stmt = (
            select(*_JOB_COLUMNS)
            .where(JOBS.c.merchant_id == merchant_id)
            .order_by(JOBS.c.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return [JOB.entity(row) for row in await self.rows(stmt)]

    async def count_for_merchant(self, merchant_id: int) -> int:
        return await self.count_of(select(func.count(JOBS.c.id)).where(JOBS.c.merchant_id == merchant_id))

    async def running(self, limit: int) -> list[int]:
        stmt = select(JOBS.c.id).where(JOBS.c.status == str(ImportStatus.RUNNING)).order_by(JOBS.c.id).limit(limit)
        return list((await self.session.scalars(stmt)).all())
