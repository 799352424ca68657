"""Declarative base: one MetaData with a naming convention so migrations can name every constraint."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from sqlalchemy import JSON, BigInteger, MetaData, String
from sqlalchemy.orm import DeclarativeBase, mapped_column

from storage.models.types import BigIntId, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Surrogate key assigned by the database.
Id = Annotated[int, mapped_column(BigIntId, primary_key=True, autoincrement=True)]
# Telegram user/chat ids and money amounts in minor units exceed 32 bits.
BigInt = Annotated[int, mapped_column(BigInteger)]
Currency = Annotated[str, mapped_column(String(3))]
Status = Annotated[str, mapped_column(String(32))]
Version = Annotated[int, mapped_column(default=0)]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
        list[dict[str, Any]]: JSON(),
        list[list[dict[str, Any]]]: JSON(),
    }
