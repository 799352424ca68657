"""The products' ``parent_id`` index holds SKU rows only.

``ix_products_parent_id`` (migration 0023) indexed every product, listings included (their ``parent_id`` is NULL),
so PostgreSQL could answer a listing's ``parent_id IS NULL`` from it: with sequential scans off during a search it
built a bitmap of every listed product from it and checked the words on each row instead of using the trigram
indexes. Every query that looks products up by ``parent_id`` names a parent (``parent_id = …`` or ``IN (…)``,
which imply ``IS NOT NULL``, so both databases still use the index for them); nothing needs it for the NULLs.
Recreated as a partial index ``WHERE parent_id IS NOT NULL`` on both databases, which also makes it as small as
the SKUs. A downgrade puts the full index back.

Revision ID: 0028_parent_index_partial
Revises: 0027_staffpolish
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028_parent_index_partial"
down_revision: str | Sequence[str] | None = "0027_staffpolish"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_products_parent_id"
SKUS_ONLY = sa.text("parent_id IS NOT NULL")


def upgrade() -> None:
    op.drop_index(INDEX, table_name="products")
    op.create_index(INDEX, "products", ["parent_id"], postgresql_where=SKUS_ONLY, sqlite_where=SKUS_ONLY)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="products")
    op.create_index(INDEX, "products", ["parent_id"])
