"""Each user's time zone: ``users.time_zone``, an IANA name chosen in /timezone; NULL reads in the language's
default zone (zh: Asia/Shanghai, else UTC).

Revision ID: 0010_user_time_zone
Revises: 0009_import_jobs
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_user_time_zone"
down_revision: str | Sequence[str] | None = "0009_import_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("time_zone", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("time_zone")
