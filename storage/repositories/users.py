"""Users and their saved addresses."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from domain.users import Address, Language, User
from storage.models import AddressRow, UserRow
from storage.repositories.base import Repository


def _user(row: UserRow) -> User:
    return User(
        id=row.id,
        first_name=row.first_name,
        username=row.username,
        language=Language(row.language),
        created_at=row.created_at,
        language_chosen=row.language_chosen,
        is_admin=row.is_admin,
        unreachable=row.unreachable,
        version=row.version,
    )


def _user_values(user: User) -> dict[str, Any]:
    return {
        "first_name": user.first_name,
        "username": user.username,
        "language": str(user.language),
        "language_chosen": user.language_chosen,
        "is_admin": user.is_admin,
        "unreachable": user.unreachable,
        "created_at": user.created_at,
    }


class SqlUserRepository(Repository):
    async def get(self, user_id: int) -> User | None:
        row = await self.first(select(UserRow).where(UserRow.id == user_id))
        return _user(row) if row else None

    async def add(self, user: User) -> User:
        # The id is the Telegram user id, so it is given, not generated.
        await self.insert_returning_id(UserRow, {"id": user.id, "version": user.version, **_user_values(user)})
        return user

    async def save(self, user: User) -> None:
        await self.save_versioned(UserRow, user, _user_values(user))

    async def appointed_admins(self) -> list[User]:
        rows = await self.all(select(UserRow).where(UserRow.is_admin.is_(True)).order_by(UserRow.id))
        return [_user(row) for row in rows]


def _address(row: AddressRow) -> Address:
    return Address(
        id=row.id, user_id=row.user_id, name=row.name, phone=row.phone, text=row.text, created_at=row.created_at
    )


class SqlAddressRepository(Repository):
    async def list_for(self, user_id: int) -> list[Address]:
        rows = await self.all(select(AddressRow).where(AddressRow.user_id == user_id).order_by(AddressRow.id))
        return [_address(row) for row in rows]

    async def get(self, address_id: int) -> Address | None:
        row = await self.first(select(AddressRow).where(AddressRow.id == address_id))
        return _address(row) if row else None

    async def add(self, address: Address) -> Address:
        address.id = await self.insert_returning_id(
            AddressRow,
            {
                "user_id": address.user_id,
                "name": address.name,
                "phone": address.phone,
                "text": address.text,
                "created_at": address.created_at,
            },
        )
        return address

    async def delete(self, address_id: int) -> None:
        await self.session.execute(delete(AddressRow).where(AddressRow.id == address_id))
