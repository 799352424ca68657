"""Saved delivery addresses: name, phone and address text, each validated, a handful per buyer.

An order keeps a snapshot of the address it was placed with, so deleting or re-adding one never moves a
parcel already on its way.
"""

from __future__ import annotations

from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.services import Services
from domain.users import Address
from domain.validation import clean_text, parse_phone

MAX_ADDRESSES = 10
MAX_NAME = 64
MAX_ADDRESS_TEXT = 300


def _owner_id(actor: Actor) -> int:
    if actor.role not in (ActorRole.BUYER, ActorRole.MERCHANT) or actor.user_id is None:
        raise DomainError(ErrorCode.FORBIDDEN, action="addresses")
    return actor.user_id


def clean_name(text: str) -> str:
    """The recipient's name: one line, 1-64 characters."""
    name = clean_text(text, MAX_NAME, "name")
    if "\n" in name:
        raise DomainError(ErrorCode.INVALID_TEXT, field="name")
    return name


def clean_address_text(text: str) -> str:
    """The address itself: up to 300 characters; line breaks are kept as the buyer wrote them."""
    return clean_text(text, MAX_ADDRESS_TEXT, "address")


async def add_address(svc: Services, *, actor: Actor, name: str, phone: str, text: str) -> Address:
    """Save a new address after checking every part (INVALID_TEXT / INVALID_PHONE / TEXT_TOO_LONG)."""
    owner = _owner_id(actor)
    address = Address(
        id=0,
        user_id=owner,
        name=clean_name(name),
        phone=parse_phone(phone),
        text=clean_address_text(text),
        created_at=svc.clock.now(),
    )
    async with svc.uow() as uow:
        if len(await uow.addresses.list_for(owner)) >= MAX_ADDRESSES:
            raise DomainError(ErrorCode.TOO_MANY_ADDRESSES, max=MAX_ADDRESSES)
        saved = await uow.addresses.add(address)
        await uow.commit()
        return saved


async def list_addresses(svc: Services, *, actor: Actor) -> list[Address]:
    owner = _owner_id(actor)
    async with svc.uow(read_only=True) as uow:
        return await uow.addresses.list_for(owner)


async def get_address(svc: Services, *, actor: Actor, address_id: int) -> Address:
    owner = _owner_id(actor)
    async with svc.uow(read_only=True) as uow:
        address = await uow.addresses.get(address_id)
    # Someone else's address is as good as missing: its id must not reveal that it exists.
    if address is None or address.user_id != owner:
        raise DomainError(ErrorCode.NOT_FOUND, address_id=address_id)
    return address


async def delete_address(svc: Services, *, actor: Actor, address_id: int) -> list[Address]:
    """Forget a saved address; returns the ones left."""
    owner = _owner_id(actor)
    async with svc.uow() as uow:
        address = await uow.addresses.get(address_id)
        if address is None or address.user_id != owner:
            raise DomainError(ErrorCode.NOT_FOUND, address_id=address_id)
        await uow.addresses.delete(address_id)
        remaining = await uow.addresses.list_for(owner)
        await uow.commit()
        return remaining
