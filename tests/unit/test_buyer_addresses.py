"""Saved addresses: every part validated, kept as typed (markup included), private to their owner."""

from __future__ import annotations

import pytest

from domain.errors import ErrorCode
from domain.events import Actor
from domain.usecases import addresses
from tests.fakes import BUYER, OTHER_BUYER, World
from tests.fakes.assertions import refused_unchanged

ME = Actor.buyer(BUYER)


async def test_an_address_is_saved_cleaned_and_listed() -> None:
    world = World()

    saved = await addresses.add_address(
        world.svc, actor=ME, name="  Li Lei ", phone="+86 138-0000-0000", text="1 Tea Street\nHangzhou"
    )

    assert (saved.name, saved.phone, saved.text) == ("Li Lei", "+8613800000000", "1 Tea Street\nHangzhou")
    assert await addresses.list_addresses(world.svc, actor=ME) == [saved]
    assert await addresses.list_addresses(world.svc, actor=Actor.buyer(OTHER_BUYER)) == []


@pytest.mark.parametrize(
    ("name", "phone", "text", "code"),
    [
        ("Li Lei", "", "1 Tea Street", ErrorCode.INVALID_PHONE),
        ("Li Lei", "Tea Street 1", "1 Tea Street", ErrorCode.INVALID_PHONE),
        ("Li Lei", "12345", "1 Tea Street", ErrorCode.INVALID_PHONE),
        ("", "13800000000", "1 Tea Street", ErrorCode.INVALID_TEXT),
        ("Li\nLei", "13800000000", "1 Tea Street", ErrorCode.INVALID_TEXT),
        ("Li Lei", "13800000000", "   ", ErrorCode.INVALID_TEXT),
        ("L" * 65, "13800000000", "1 Tea Street", ErrorCode.TEXT_TOO_LONG),
        ("Li Lei", "13800000000", "x" * 301, ErrorCode.TEXT_TOO_LONG),
        ("C", "13800000000", "1 Tea Street", ErrorCode.TEXT_TOO_SHORT),
        ("Li Lei", "13800000000", "x", ErrorCode.TEXT_TOO_SHORT),
        ("Li Lei", "13800000000", "1 Tea  St", ErrorCode.TEXT_TOO_SHORT),
    ],
)
async def test_an_invalid_part_saves_nothing(name: str, phone: str, text: str, code: ErrorCode) -> None:
    world = World()
    with refused_unchanged(world, code):
        await addresses.add_address(world.svc, actor=ME, name=name, phone=phone, text=text)


async def test_markup_in_an_address_is_kept_as_text() -> None:
    world = World()
    saved = await addresses.add_address(
        world.svc, actor=ME, name="<b>Boss</b>", phone="13800000000", text='<a href="http://x">Tom & Jerry</a>'
    )
    assert (saved.name, saved.text) == ("<b>Boss</b>", '<a href="http://x">Tom & Jerry</a>')


async def test_a_buyer_keeps_a_limited_number_of_addresses() -> None:
    world = World()
    for n in range(addresses.MAX_ADDRESSES):
        await addresses.add_address(world.svc, actor=ME, name=f"N{n}", phone="13800000000", text="8 Long Street")
    with refused_unchanged(world, ErrorCode.TOO_MANY_ADDRESSES):
        await addresses.add_address(world.svc, actor=ME, name="More", phone="13800000000", text="8 Long Street")


@pytest.mark.parametrize(
    "act",
    [
        lambda svc, address_id: addresses.get_address(svc, actor=ME, address_id=address_id),
        lambda svc, address_id: addresses.delete_address(svc, actor=ME, address_id=address_id),
        lambda svc, address_id: addresses.set_default_address(svc, actor=ME, address_id=address_id),
        lambda svc, address_id: addresses.edit_address(
            svc, actor=ME, address_id=address_id, name="Li Lei", phone="13800000000", text="1 Tea Street"
        ),
    ],
    ids=["get", "delete", "make default", "edit"],
)
async def test_someone_elses_address_is_as_good_as_missing(act) -> None:
    world = World()
    theirs = world.add_address(OTHER_BUYER)

    with refused_unchanged(world, ErrorCode.NOT_FOUND):
        await act(world.svc, theirs.id)


async def test_deleting_returns_what_is_left() -> None:
    world = World()
    first, second = world.add_address(BUYER), world.add_address(BUYER)

    remaining = await addresses.delete_address(world.svc, actor=ME, address_id=first.id)

    assert [a.id for a in remaining] == [second.id]


async def test_the_first_address_is_the_default_and_stays_first() -> None:
    world = World()
    first = await addresses.add_address(world.svc, actor=ME, name="Li Lei", phone="13800000000", text="1 Tea Street")
    second = await addresses.add_address(world.svc, actor=ME, name="Han Mei", phone="13900000000", text="2 Silk Road")

    assert await addresses.default_address_id(world.svc, actor=ME) == first.id
    listed = await addresses.set_default_address(world.svc, actor=ME, address_id=second.id)

    assert [a.id for a in listed] == [second.id, first.id]
    assert await addresses.default_address_id(world.svc, actor=ME) == second.id
    # deleting the default hands the role to the address left
    assert [a.id for a in await addresses.delete_address(world.svc, actor=ME, address_id=second.id)] == [first.id]
    assert await addresses.default_address_id(world.svc, actor=ME) == first.id


async def test_an_edited_address_is_checked_and_saved_in_place() -> None:
    world = World()
    mine = await addresses.add_address(world.svc, actor=ME, name="Li Lei", phone="13800000000", text="1 Tea Street")

    with refused_unchanged(world, ErrorCode.TEXT_TOO_SHORT):
        await addresses.edit_address(
            world.svc, actor=ME, address_id=mine.id, name="Li", phone="138 0000 0000", text="x"
        )
    edited = await addresses.edit_address(
        world.svc, actor=ME, address_id=mine.id, name="Li Lei", phone="+1 415 555 2671", text="9 Market St, SF"
    )

    assert (edited.id, edited.phone, edited.text) == (mine.id, "+14155552671", "9 Market St, SF")
    assert await addresses.list_addresses(world.svc, actor=ME) == [edited]


async def test_the_same_address_twice_is_saved_once() -> None:
    world = World()
    first = await addresses.add_address(world.svc, actor=ME, name="Li Lei", phone="13800000000", text="1 Tea Street")
    again = await addresses.add_address(
        world.svc, actor=ME, name=" Li Lei ", phone="+86 138 0000 0000", text="1 Tea Street "
    )

    assert again == first
    assert await addresses.list_addresses(world.svc, actor=ME) == [first]
