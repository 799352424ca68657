"""Users and their saved addresses."""

from __future__ import annotations

from sqlalchemy import delete, select

from domain.users import Address, User
from storage.models import AddressRow, UserRow
from storage.repositories.base import Repository
from storage.repositories.mapping import RowMapper

USER = RowMapper(User, UserRow)


class SqlUserRepository(Repository):
    async def get(self, user_id: int) -> User | None:
        return await self.first_entity(USER, select(UserRow).where(UserRow.id == user_id))

    async def add(self, user: User) -> User:
        # The id is the Telegram user id, so it is given, not generated.
        await self.insert_returning_id(UserRow, {"id": user.id, "version": user.version, **USER.values(user)})
        return user

    async def save(self, user: User) -> None:
        await self.save_versioned(UserRow, user, USER.values(user))

    async def appointed_admins(self) -> list[User]:
        rows = await self.all(select(UserRow).where(UserRow.is_admin.is_(True)).order_by(UserRow.id))
        return [USER.entity(row) for row in rows]


ADDRESS = RowMapper(Address, AddressRow)


class SqlAddressRepository(Repository):
    async def list_for(self, user_id: int) -> list[Address]:
        rows = await self.all(select(AddressRow).where(AddressRow.user_id == user_id).order_by(AddressRow.id))
        return [ADDRESS.entity(row) for row in rows]

    async def get(self, address_id: int) -> Address | None:
        return await self.first_entity(ADDRESS, select(AddressRow).where(AddressRow.id == address_id))

    async def add(self, address: Address) -> Address:
        address.id = await self.insert_returning_id(
            AddressRow,
            ADDRESS.values(address),
        )
        return address

    async def save(self, address: Address) -> None:
        await self.update_by_id(AddressRow, address.id, ADDRESS.values(address))

    async def delete(self, address_id: int) -> None:
        await self.session.execute(delete(AddressRow).where(AddressRow.id == address_id))
