"""The repositories' row mapper: what it writes for an entity reads back as the same entity, and a field the table
has no column for is caught when the mapper is made, not when a save silently drops it."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.events import ActorRole
from domain.money import Money
from domain.orders import Order
from domain.tickets import TicketMessage
from storage.models import OrderRow
from storage.repositories.group_buys import GROUP
from storage.repositories.mapping import RowMapper
from storage.repositories.orders import ORDER
from storage.repositories.products import PRODUCT
from storage.repositories.promotions import PROMOTION
from storage.repositories.shops import SHOP
from storage.repositories.tickets import TICKET
from storage.repositories.users import USER
from tests.integration import builders as b


def _row(mapper: RowMapper[Any], entity: Any) -> SimpleNamespace:
    """A stored row as the database gives it back: the columns written, the id and the version."""
    return SimpleNamespace(id=entity.id, version=entity.version, **mapper.values(entity))


@pytest.mark.parametrize(
    ("mapper", "entity"),
    [
        (USER, b.user()),
        (SHOP, b.shop(id=3, version=2)),
        (SHOP, b.shop(deposit_balance=None, decided_by=None, documents=[])),
        (PRODUCT, b.product(3, id=8, group_price=None, group_size=None)),
        (PRODUCT, b.product(3, id=8)),
        (GROUP, b.group_buy(8, 3, b.BUYER_ID, id=4)),
        (PROMOTION, b.promotion(3, id=5, amount_off=Money(500, "CNY"))),
    ],
    ids=["user", "shop", "bare shop", "product", "group-priced product", "group buy", "promotion"],
)
def test_an_entity_written_and_read_back_is_the_same(mapper: RowMapper[Any], entity: Any) -> None:
    assert mapper.entity(_row(mapper, entity)) == entity


def test_an_order_and_a_ticket_come_back_with_the_lines_and_messages_given_beside_the_row() -> None:
    order = b.order(b.BUYER_ID, 3, 8, id=11)
    opening = TicketMessage(b.BUYER_ID, ActorRole.BUYER, "屏幕碎了", b.T0, photos=("crack-1",))
    ticket = b.ticket(11, 3, id=2, items={8: 1}, refund=Money(1_000, "CNY"), messages=[opening])

    assert ORDER.entity(_row(ORDER, order), lines=order.lines) == order
    assert _row(ORDER, order).refunded_amount == order.refunded_total().amount
    assert TICKET.entity(_row(TICKET, ticket), messages=ticket.messages) == ticket


@given(
    amount=st.integers(min_value=0, max_value=10**12),
    currency=st.sampled_from(["CNY", "XTR", "USD"]),
    late=st.integers(min_value=0, max_value=1_000),
    hours=st.integers(min_value=0, max_value=24 * 365),
)
def test_money_counts_and_times_survive_for_any_values(amount: int, currency: str, late: int, hours: int) -> None:
    shop = b.shop(
        deposit=Money(amount, currency),
        deposit_balance=Money(amount // 2, currency),
        late_shipments=late,
        deadline_at=b.T0 + timedelta(hours=hours),
    )
    assert SHOP.entity(_row(SHOP, shop)) == shop


def test_a_field_without_a_column_is_refused_when_the_mapper_is_made() -> None:
    # An order's lines live in their own table: a mapper not told so would have nowhere to store them.
    with pytest.raises(TypeError, match="lines"):
        RowMapper(Order, OrderRow)
