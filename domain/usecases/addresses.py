"""Saved delivery addresses: name, phone and address text, each validated, a handful per buyer, one of them the
default (``users.default_address_id``: offered first at checkout).

An order keeps a snapshot of the address it was placed with, so editing, deleting or re-adding one never moves a
parcel already on its way.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.regions import REGIONS
from domain.services import Services
from domain.users import Address
from domain.validation import check_min_length, clean_line, clean_text, parse_phone

MAX_ADDRESSES = 10
MIN_NAME = 2
MAX_NAME = 64
MIN_ADDRESS_TEXT = 10
MAX_ADDRESS_TEXT = 300


def _owner_id(actor: Actor) -> int:
    if actor.role not in (ActorRole.BUYER, ActorRole.MERCHANT) or actor.user_id is None:
        raise DomainError(ErrorCode.FORBIDDEN, action="addresses")
    return actor.user_id


def clean_name(text: str) -> str:
    """The recipient's name: one line, 2-64 characters ("C" is an initial, not a name a courier can ask for)."""
    return clean_line(text, min_len=MIN_NAME, max_len=MAX_NAME, field="name")


def clean_address_text(text: str) -> str:
    """The address itself: 10-300 characters ("x" is no address); line breaks are kept as the buyer wrote them."""
    return check_min_length(clean_text(text, MAX_ADDRESS_TEXT, "address"), MIN_ADDRESS_TEXT, "address")


@dataclass(frozen=True)
class AddressParts:
    """A new or edited address, every part checked and normalised (the phone in E.164), not saved yet."""

    name: str
    phone: str
    text: str


def check_address(name: str, phone: str, text: str) -> AddressParts:
    """Check every part of an address as typed (INVALID_TEXT / TEXT_TOO_SHORT / TEXT_TOO_LONG / INVALID_PHONE)."""
    return AddressParts(clean_name(name), parse_phone(phone), clean_address_text(text))


async def add_address(
    svc: Services, *, actor: Actor, name: str, phone: str, text: str, region: str | None = None
) -> Address:
    """Save a new address after checking every part (``region``: the delivery region picked, ``domain.regions``);
    the buyer's first address becomes their default. An address the buyer already has is not saved a second time:
    the saved one is returned (with the region picked this time)."""
    owner = _owner_id(actor)
    parts = check_address(name, phone, text)
    picked = known_region(region)
    address = Address(0, owner, parts.name, parts.phone, parts.text, created_at=svc.clock.now(), region=picked)
    async with svc.uow() as uow:
        saved_before = await uow.addresses.list_for(owner)
        same = [a for a in saved_before if (a.name, a.phone, a.text) == (parts.name, parts.phone, parts.text)]
        if same:  # the same address again (a ✅ delivered twice, or typed twice): it is saved once
            if picked is not None and same[0].region != picked:
                same[0].region = picked
                await uow.addresses.save(same[0])
                await uow.commit()
            return same[0]
        if len(saved_before) >= MAX_ADDRESSES:
            raise DomainError(ErrorCode.TOO_MANY_ADDRESSES, max=MAX_ADDRESSES)
        saved = await uow.addresses.add(address)
        user = await uow.users.get(owner)
        if user is not None and user.default_address_id is None:
            user.default_address_id = saved.id
            await uow.users.save(user)
        await uow.commit()
        return saved


async def edit_address(
    svc: Services, *, actor: Actor, address_id: int, name: str, phone: str, text: str, region: str | None = None
) -> Address:
    """Change a saved address in place (orders already placed keep the snapshot they were placed with)."""
    owner = _owner_id(actor)
    parts = check_address(name, phone, text)
    async with svc.uow() as uow:
        address = _owned(await uow.addresses.get(address_id), owner, address_id)
        address.name, address.phone, address.text = parts.name, parts.phone, parts.text
        address.region = known_region(region)
        await uow.addresses.save(address)
        await uow.commit()
        return address


def known_region(code: str | None) -> str | None:
    """A region code as stored (None when none was picked, or it is not one of ``domain.regions``)."""
    return code if code in REGIONS else None


async def list_addresses(svc: Services, *, actor: Actor) -> list[Address]:
    """The buyer's addresses, their default first."""
    owner = _owner_id(actor)
    async with svc.uow(read_only=True) as uow:
        found = await uow.addresses.list_for(owner)
        user = await uow.users.get(owner)
    default = user.default_address_id if user is not None else None
    return sorted(found, key=lambda address: address.id != default)


async def default_address_id(svc: Services, *, actor: Actor) -> int | None:
    owner = _owner_id(actor)
    async with svc.uow(read_only=True) as uow:
        user = await uow.users.get(owner)
    return user.default_address_id if user is not None else None


async def set_default_address(svc: Services, *, actor: Actor, address_id: int) -> list[Address]:
    """Make one of the buyer's addresses their default; returns the list, the default first."""
    owner = _owner_id(actor)
    async with svc.uow() as uow:
        _owned(await uow.addresses.get(address_id), owner, address_id)
        user = await uow.users.get(owner)
        if user is None:
            raise DomainError(ErrorCode.NOT_FOUND, user_id=owner)
        if user.default_address_id != address_id:  # pressed twice: the second press changes nothing
            user.default_address_id = address_id
            await uow.users.save(user)
        await uow.commit()
    return await list_addresses(svc, actor=actor)


def _owned(address: Address | None, owner: int, address_id: int) -> Address:
    # Someone else's address is as good as missing: its id must not reveal that it exists.
    if address is None or address.user_id != owner:
        raise DomainError(ErrorCode.NOT_FOUND, address_id=address_id)
    return address


async def get_address(svc: Services, *, actor: Actor, address_id: int) -> Address:
    owner = _owner_id(actor)
    async with svc.uow(read_only=True) as uow:
        return _owned(await uow.addresses.get(address_id), owner, address_id)


async def delete_address(svc: Services, *, actor: Actor, address_id: int) -> list[Address]:
    """Forget a saved address; returns the ones left (the oldest left becomes the default if it was)."""
    owner = _owner_id(actor)
    async with svc.uow() as uow:
        _owned(await uow.addresses.get(address_id), owner, address_id)
        await uow.addresses.delete(address_id)
        remaining = await uow.addresses.list_for(owner)
        user = await uow.users.get(owner)
        if user is not None and user.default_address_id == address_id:
            user.default_address_id = remaining[0].id if remaining else None
            await uow.users.save(user)
        await uow.commit()
    return await list_addresses(svc, actor=actor)
