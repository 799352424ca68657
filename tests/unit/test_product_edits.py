"""Product editing: a typed value is checked as it is typed, saved once from its read-back, audited field by field
(who, when, old → new), refused for another merchant's product, and never changes an order already placed."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.product_changes import ProductField, changes
from domain.usecases.conversations import FlowState, save_flow
from domain.usecases.product_edits import CLEAR, parse_value, product_history, save_edit
from domain.usecases.products import update_product
from tests.fakes import ADMIN, BUYER, MERCHANT, OTHER_MERCHANT, World
from tests.fakes.assertions import refused, refused_unchanged

ME = Actor.merchant(MERCHANT)
FLOW, CONFIRM = "edit_product", "confirm"


async def _draft(world: World, product_id: int, field: ProductField, value: Any, user: int = MERCHANT) -> None:
    data = {"product_id": product_id, "field": field.value, "value": value}
    await save_flow(world.svc, user, FlowState(FLOW, CONFIRM, data))


async def _save(world: World, actor: Actor = ME) -> Any:
    return await save_edit(world.svc, actor=actor, flow=FLOW, steps=(CONFIRM,))


@pytest.mark.parametrize(
    ("field", "typed", "value"),
    [
        (ProductField.TITLE, "  Longjing 2026 ", "Longjing 2026"),
        (ProductField.DESCRIPTION, "Line one\nLine two", "Line one\nLine two"),
        (ProductField.DESCRIPTION, CLEAR, ""),
        (ProductField.BRAND, "—", ""),
        (ProductField.CATEGORY, "Tea", "Tea"),
        (ProductField.PRICE, "12", 12),
        (ProductField.STOCK, "0", 0),
    ],
)
def test_typed_values_are_cleaned(field: ProductField, typed: str, value: Any) -> None:
    assert parse_value(field, typed, "XTR") == value


@pytest.mark.parametrize(
    ("field", "typed", "code"),
    [
        (ProductField.TITLE, "Two\nlines", ErrorCode.NOT_ONE_LINE),
        (ProductField.TITLE, "x" * 81, ErrorCode.TEXT_TOO_LONG),
        (ProductField.TITLE, "   ", ErrorCode.INVALID_TEXT),
        (ProductField.CATEGORY, "x" * 41, ErrorCode.TEXT_TOO_LONG),
        (ProductField.BRAND, "a\nb", ErrorCode.NOT_ONE_LINE),
        (ProductField.DESCRIPTION, "x" * 1001, ErrorCode.TEXT_TOO_LONG),
        (ProductField.PRICE, "abc", ErrorCode.INVALID_AMOUNT),
        (ProductField.PRICE, "-5", ErrorCode.INVALID_AMOUNT),
        (ProductField.STOCK, "-1", ErrorCode.INVALID_NUMBER),
    ],
)
def test_bad_values_are_refused_with_a_reason(field: ProductField, typed: str, code: ErrorCode) -> None:
    with pytest.raises(DomainError) as caught:
        parse_value(field, typed, "XTR")
    assert caught.value.code is code


@given(st.text(max_size=120))
def test_a_title_is_either_refused_or_one_clean_line(typed: str) -> None:
    try:
        title = parse_value(ProductField.TITLE, typed, "XTR")
    except DomainError:
        return
    assert isinstance(title, str) and title == title.strip() and "\n" not in title and 0 < len(title) <= 80


@given(st.integers(min_value=1, max_value=10**9))
def test_a_stars_price_reads_back_as_typed(amount: int) -> None:
    assert parse_value(ProductField.PRICE, str(amount), "XTR") == amount


async def test_a_confirmed_edit_is_saved_once_and_audited() -> None:
    world = World()
    product = world.add_product(world.add_shop(), title="Green tea")
    await _draft(world, product.id, ProductField.TITLE, "Longjing")

    saved, fresh = await _save(world)
    again = await _save(world)

    assert (saved.title, fresh) == ("Longjing", True)
    assert again is not None and (again[0].title, again[1]) == ("Longjing", False)
    history = await product_history(world.svc, actor=ME, product_id=product.id)
    [change] = history.changes
    assert (change.field, change.old, change.new, change.actor_id, change.actor_role) == (
        ProductField.TITLE,
        "Green tea",
        "Longjing",
        MERCHANT,
        ActorRole.MERCHANT,
    )


async def test_no_draft_saves_nothing() -> None:
    world = World()
    world.add_product(world.add_shop())
    assert await _save(world) is None


async def test_another_merchants_product_is_refused_when_saved() -> None:
    world = World()
    mine = world.add_product(world.add_shop())
    world.add_shop(OTHER_MERCHANT, name="Rival")
    await _draft(world, mine.id, ProductField.PRICE, 1, user=OTHER_MERCHANT)
    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await _save(world, Actor.merchant(OTHER_MERCHANT))


async def test_price_stock_and_photos_changes_are_audited_and_unchanged_fields_are_not() -> None:
    world = World()
    product = world.add_product(world.add_shop(), price=1000, stock=5)
    await update_product(world.svc, actor=ME, product_id=product.id, price=world.money(1200), stock=5)
    await update_product(world.svc, actor=ME, product_id=product.id, photos=["new"])

    history = await product_history(world.svc, actor=ME, product_id=product.id, limit=10)
    assert [(c.field, c.old, c.new) for c in history.changes] == [
        (ProductField.PHOTOS, len(product.photos), 1),
        (ProductField.PRICE, 1000, 1200),
    ]


async def test_admins_read_the_history_and_other_people_do_not() -> None:
    world = World()
    world.add_user(ADMIN, is_admin=True)
    product = world.add_product(world.add_shop())
    await update_product(world.svc, actor=ME, product_id=product.id, stock=1)
    assert len((await product_history(world.svc, actor=Actor.admin(ADMIN), product_id=product.id)).changes) == 1
    with refused(ErrorCode.FORBIDDEN):
        await product_history(world.svc, actor=Actor.merchant(OTHER_MERCHANT), product_id=product.id)
    with refused(ErrorCode.FORBIDDEN):
        await product_history(world.svc, actor=Actor.admin(BUYER), product_id=product.id)


async def test_a_renamed_product_leaves_placed_orders_as_they_were_sold() -> None:
    world = World()
    product = world.add_product(world.add_shop(), title="Green tea", price=1000)
    order = await world.paid_order(product)

    await update_product(world.svc, actor=ME, product_id=product.id, title="Longjing", price=world.money(2000))

    [line] = world.order(order.id).lines
    assert (line.title, line.unit_price.amount) == ("Green tea", 1000)


def test_the_same_photos_in_another_order_is_a_change_and_nothing_changed_is_none() -> None:
    world = World()
    product = world.add_product(world.add_shop(), photos=["a", "b"])
    swapped = type(product)(**{**product.__dict__, "photos": ["b", "a"]})
    at = world.clock.now()
    assert [e.dst for e in changes(product, swapped, ME, at)] == ["photos"]
    assert changes(product, product, ME, at) == []
