"""Product imports as background jobs.

- ``import_jobs``: one per merchant and document (``dedupe_key`` = "<merchant id>:<file_unique_id>", unique), with
  the stored CSV file, how many of its rows were handled (``position``, committed with the products each batch
  added), the counts and the progress message the runner edits.
- ``import_errors``: the rows a job refused, by line, with the error code and its parameters.

Revision ID: 0009_import_jobs
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_import_jobs"
down_revision: str | Sequence[str] | None = "0008_dead_letters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "import_jobs",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("dedupe_key", sa.String(length=160), nullable=False),
        sa.Column("shop_id", ID, nullable=False),
        sa.Column("merchant_id", sa.BigInteger(), nullable=False),
        sa.Column("file_unique_id", sa.String(length=128), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("total_rows", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("progress_message_id", sa.BigInteger(), nullable=True),
        sa.Column("document_message_id", sa.BigInteger(), nullable=True),
        sa.Column("failure", sa.String(length=64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("finished_at", TIMESTAMP, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["merchant_id"], ["users.id"], name=op.f("fk_import_jobs_merchant_id_users")),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], name=op.f("fk_import_jobs_shop_id_shops")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_jobs")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_import_jobs_dedupe_key")),
    )
    op.create_index("ix_import_jobs_status_id", "import_jobs", ["status", "id"], unique=False)
    op.create_index("ix_import_jobs_merchant_id", "import_jobs", ["merchant_id", "id"], unique=False)
    op.create_table(
        "import_errors",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("job_id", ID, nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["import_jobs.id"], name=op.f("fk_import_errors_job_id_import_jobs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_errors")),
    )
    op.create_index(op.f("ix_import_errors_job_id"), "import_errors", ["job_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_import_errors_job_id"), table_name="import_errors")
    op.drop_table("import_errors")
    op.drop_index("ix_import_jobs_merchant_id", table_name="import_jobs")
    op.drop_index("ix_import_jobs_status_id", table_name="import_jobs")
    op.drop_table("import_jobs")
