"""The import jobs port, alike on every store: one job per merchant and document, the file kept beside it, saves
checked against the version loaded, refused rows by line, a merchant's jobs newest first, running ones oldest
first."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from domain.errors import DomainError, ErrorCode
from domain.imports import ImportJob, ImportRowError, ImportStatus
from tests.contract.store import Store
from tests.integration import builders as b

FILE = "title,description,category,brand,price,stock\n茉莉花茶,,茶叶,,39,5\n".encode()


def job(shop_id: int, file_unique_id: str = "AgADBQAD", **changes: Any) -> ImportJob:
    base = ImportJob(
        id=0,
        shop_id=shop_id,
        merchant_id=b.MERCHANT_ID,
        file_unique_id=file_unique_id,
        file_name="茶.csv",
        language="zh",
        chat_id=b.MERCHANT_ID,
        total_rows=1,
        created_at=b.T0,
        document_message_id=42,
    )
    return replace(base, **changes)


async def test_a_document_makes_one_job_and_its_file_is_kept_as_sent(store: Store) -> None:
    world = await b.seed(store)
    async with store.uow() as uow:
        added = await uow.imports.add(job(world.shop_id), FILE)
        again = await uow.imports.add(job(world.shop_id), b"other bytes")
        await uow.commit()

    assert added is not None and again is None
    async with store.uow(read_only=True) as uow:
        found = await uow.imports.find(b.MERCHANT_ID, "AgADBQAD")
        assert found == await uow.imports.get(added.id) == added
        assert await uow.imports.content(added.id) == FILE
        assert await uow.imports.find(b.MERCHANT_ID, "another") is None


async def test_a_save_from_a_stale_load_is_refused(store: Store) -> None:
    world = await b.seed(store)
    async with store.uow() as uow:
        added = await uow.imports.add(job(world.shop_id), FILE)
        assert added is not None
        await uow.commit()
    async with store.uow() as uow:
        loaded = await uow.imports.get(added.id)
        assert loaded is not None
        loaded.position, loaded.imported = 1, 1
        await uow.imports.save(loaded)
        await uow.commit()

    async with store.uow() as uow:
        with pytest.raises(DomainError) as caught:
            await uow.imports.save(replace(added, status=ImportStatus.STOPPED))
    assert caught.value.code is ErrorCode.CONFLICT
    async with store.uow(read_only=True) as uow:
        now = await uow.imports.get(added.id)
        assert now is not None and (now.status, now.position, now.version) == (ImportStatus.RUNNING, 1, 1)


async def test_refused_rows_come_back_by_line_with_their_reasons(store: Store) -> None:
    world = await b.seed(store)
    async with store.uow() as uow:
        added = await uow.imports.add(job(world.shop_id), FILE)
        assert added is not None
        await uow.imports.add_errors(
            [
                ImportRowError(added.id, 9, "invalid_amount", {"value": "免费"}),
                ImportRowError(added.id, 3, "invalid_csv", {"problem": "field_count", "found": 2, "expected": 6}),
            ]
        )
        await uow.commit()

    async with store.uow(read_only=True) as uow:
        errors = await uow.imports.errors(added.id)
        first = await uow.imports.errors(added.id, limit=1)
    assert [(e.line, e.code, e.params) for e in errors] == [
        (3, "invalid_csv", {"problem": "field_count", "found": 2, "expected": 6}),
        (9, "invalid_amount", {"value": "免费"}),
    ]
    assert first == errors[:1]


async def test_a_merchants_jobs_newest_first_and_the_running_ones_oldest_first(store: Store) -> None:
    world = await b.seed(store)
    async with store.uow() as uow:
        ids = []
        for n, status in enumerate((ImportStatus.RUNNING, ImportStatus.DONE, ImportStatus.RUNNING)):
            added = await uow.imports.add(job(world.shop_id, f"file-{n}", status=status), FILE)
            assert added is not None
            ids.append(added.id)
        await uow.commit()

    async with store.uow(read_only=True) as uow:
        assert [j.id for j in await uow.imports.for_merchant(b.MERCHANT_ID)] == ids[::-1]
        assert [j.id for j in await uow.imports.for_merchant(b.MERCHANT_ID, offset=1, limit=1)] == [ids[1]]
        assert await uow.imports.count_for_merchant(b.MERCHANT_ID) == 3
        assert await uow.imports.count_for_merchant(b.BUYER_ID) == 0
        assert await uow.imports.running(10) == [ids[0], ids[2]]
        assert await uow.imports.running(1) == [ids[0]]
