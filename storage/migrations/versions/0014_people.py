"""Each buyer's default delivery address: ``users.default_address_id`` (offered first at checkout; NULL until the
first address is saved). A plain id, not a foreign key: an address already points at its user, and a deleted
default is replaced by the use case in the same transaction. And ``users.welcomed_at``: when the user was first
greeted with the welcome and the menu keyboard (a deep link greets a user who never was).

Revision ID: 0014_people
Revises: 0013_admin
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_people"
down_revision: str | Sequence[str] | None = "0013_admin"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("default_address_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("welcomed_at", sa.DateTime(timezone=True), nullable=True))
    # Existing buyers: their oldest saved address becomes the default, as it would have for a new buyer.
    op.execute(
        "UPDATE users SET default_address_id = "
        "(SELECT MIN(addresses.id) FROM addresses WHERE addresses.user_id = users.id)"
    )
    # Everyone already registered has been talking to the bot: none of them needs a first welcome.
    op.execute("UPDATE users SET welcomed_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("welcomed_at")
        batch.drop_column("default_address_id")
