"""Outbox rows that edit an earlier message: ``outbox.edits`` names the dedupe key of the message to edit, and
``outbox.telegram_message_id`` keeps the id Telegram gave each sent message (so a later row can edit it: the other
admins' copies of an application once one admin decided); ``ticket_messages.addressee`` marks a message the
platform wrote to one party of a ticket only.

Revision ID: 0013_admin
Revises: 0012_search
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_admin"
down_revision: str | Sequence[str] | None = "0012_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("edits", sa.String(255), nullable=False, server_default=""))
        batch.add_column(sa.Column("telegram_message_id", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("ticket_messages") as batch:
        batch.add_column(sa.Column("addressee", sa.String(16), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("ticket_messages") as batch:
        batch.drop_column("addressee")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("telegram_message_id")
        batch.drop_column("edits")
