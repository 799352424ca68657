"""A checkout draft is consumed once: whatever sequence of presses, double presses (two at the same moment),
replays of an older Confirm and new drafts a buyer (or Telegram) produces, each draft becomes at most one set of
orders, every later press of its Confirm gets exactly those orders back, and the stock is taken once per draft.

Also the rules a single press shows: a press for a draft that is not (or no longer) the buyer's current one
changes nothing; a refused checkout leaves the draft as it was, to be confirmed again; a merchant's own shop is
refused at checkout (self-dealing)."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.orders import OrderStatus
from domain.usecases.cart import checkout_quote
from domain.usecases.conversations import FlowState, current_flow, save_flow
from domain.usecases.orders_placing import PlacedCheckout, confirm_checkout
from tests.fakes import BUYER, MERCHANT, World

FLOW, REVIEW = "b1.checkout", "review"
STOCK = 500
picks = st.integers(min_value=0, max_value=1000)


async def _draft(world: World, product_id: int, quantity: int, address_id: int, nonce: str, buyer: int = BUYER) -> None:
    """The draft the checkout review leaves: what is bought, where to, the totals shown, the Confirm's token."""
    quote = await checkout_quote(world.svc, actor=Actor.buyer(buyer), items=[(product_id, quantity)])
    data: dict[str, Any] = {
        "mode": "now",
        "product_id": product_id,
        "quantity": quantity,
        "address_id": address_id,
        "items": [list(pair) for pair in quote.items],
        "expected": {str(shop_id): total.amount for shop_id, total in quote.expected_totals.items()},
        "nonce": nonce,
    }
    await save_flow(world.svc, buyer, FlowState(FLOW, REVIEW, data))


async def _confirm(world: World, nonce: str, buyer: int = BUYER) -> PlacedCheckout | None:
    return await confirm_checkout(world.svc, actor=Actor.buyer(buyer), flow=FLOW, steps=(REVIEW,), nonce=nonce)


class DraftMachine(RuleBasedStateMachine):
    @initialize()
    def market(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.world = World()
        shop = self.world.add_shop()
        self.product = self.world.add_product(shop, title="Mango", price=120, stock=STOCK)
        self.address = self.world.add_address(BUYER)
        self.nonces = (f"n{n}" for n in itertools.count())
        self.drafts: list[tuple[str, int]] = []  # (token, quantity), oldest first
        self.placed: dict[str, list[int]] = {}  # token → the order ids its Confirm answered with

    def teardown(self) -> None:
        if hasattr(self, "loop"):
            self.loop.close()

    def _record(self, nonce: str, placed: PlacedCheckout | None) -> None:
        if placed is None:
            return
        ids = [order.id for order in placed.orders]
        assert self.placed.setdefault(nonce, ids) == ids, "a draft's Confirm answered with other orders"

    @rule(quantity=st.integers(min_value=1, max_value=3))
    def review(self, quantity: int) -> None:
        """The buyer goes through checkout again: a new draft replaces the current one."""
        nonce = next(self.nonces)
        self.loop.run_until_complete(_draft(self.world, self.product.id, quantity, self.address.id, nonce))
        self.drafts.append((nonce, quantity))

    @precondition(lambda self: self.drafts)
    @rule(pick=picks)
    def press(self, pick: int) -> None:
        """Confirm of some review (the current one, or an older one replayed by a client)."""
        nonce, _ = self.drafts[pick % len(self.drafts)]
        self._record(nonce, self.loop.run_until_complete(_confirm(self.world, nonce)))

    @precondition(lambda self: self.drafts)
    @rule(pick=picks, times=st.integers(min_value=2, max_value=4))
    def presses_at_once(self, pick: int, times: int) -> None:
        """The same Confirm pressed (or delivered) several times at the same moment."""
        nonce, _ = self.drafts[pick % len(self.drafts)]

        async def together() -> list[PlacedCheckout | None]:
            return list(await asyncio.gather(*(_confirm(self.world, nonce) for _ in range(times))))

        results = self.loop.run_until_complete(together())
        assert sum(1 for placed in results if placed is not None and placed.fresh) <= 1
        for placed in results:
            self._record(nonce, placed)

    @invariant()
    def one_order_per_draft_and_stock_taken_once(self) -> None:
        if not hasattr(self, "world"):
            return
        orders = self.world.db.rows("orders")
        placed_ids = sorted(order_id for ids in self.placed.values() for order_id in ids)
        assert sorted(order.id for order in orders) == placed_ids  # every order is one draft's, and only one's
        assert all(len(ids) == 1 for ids in self.placed.values())
        quantities = dict(self.drafts)
        taken = sum(quantities[nonce] for nonce in self.placed)
        assert self.world.product(self.product.id).stock == STOCK - taken
        assert all(order.status is OrderStatus.PENDING_PAYMENT for order in orders)


TestDraftMachine = DraftMachine.TestCase


async def test_a_press_for_another_draft_changes_nothing_and_a_refusal_keeps_the_draft() -> None:
    world = World()
    shop = world.add_shop()
    mango = world.add_product(shop, title="Mango", price=120, stock=1)
    address = world.add_address(BUYER)
    await _draft(world, mango.id, 1, address.id, "first")

    assert await _confirm(world, "forged") is None  # not this draft's token
    assert world.db.rows("orders") == []

    world.db.insert("products", replace(world.product(mango.id), stock=0))  # sold out meanwhile
    with pytest.raises(DomainError) as refused:
        await _confirm(world, "first")
    assert refused.value.code is ErrorCode.OUT_OF_STOCK
    state = await current_flow(world.svc, BUYER)
    assert state is not None and state.step == REVIEW and state.data["nonce"] == "first"


async def test_a_merchant_cannot_check_out_from_his_own_shop() -> None:
    world = World()
    shop = world.add_shop(owner_id=MERCHANT)
    mango = world.add_product(shop, title="Mango", price=120, stock=5)
    world.add_address(MERCHANT)
    with pytest.raises(DomainError) as refused:
        await checkout_quote(world.svc, actor=Actor.buyer(MERCHANT), items=[(mango.id, 1)])
    assert refused.value.code is ErrorCode.SELF_DEALING
    assert world.product(mango.id).stock == 5
