"""Someone who is not an admin gets nowhere in the admin console: not by typing /admin, not by pressing admin
buttons their client made up (forged callback data), and nothing changes for anyone."""

from __future__ import annotations

from builders import journeys
from domain.events import Actor, ActorRole
from domain.shops import ShopStatus
from domain.usecases.security import REFUSAL_ENTITY
from tests.e2e import admin_steps, factories
from tests.e2e.admin_steps import ADA, ALICE, BOB, escalated_dispute, status_of
from tests.e2e.buyer_steps import CAROL, alerts, paid_order, registered, ship
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import forge_press

stack = admin_steps.stack  # the quicker stack (see admin_steps)
NOT_ALLOWED = "not allowed"


async def test_a_non_admin_is_refused_everywhere_and_nothing_changes(stack: Stack) -> None:
    # Given an application waiting, an active shop with an escalated dispute
    await registered(stack, BOB)
    pending = await journeys.apply(stack.svc, Actor.merchant(BOB), name="Bob's Fruit", business_scope="Fruit")
    await stack.driver.create_user(CAROL, "Merchant Carol", language_code="en")
    carols = await factories.active_shop(stack, CAROL, name="Carol's Cups")
    cup = await factories.product(stack, carols, title="Cup", price=10)
    order = await paid_order(stack, cup, buyer=ALICE)
    await ship(stack, order.id, owner_id=CAROL)
    ticket = await escalated_dispute(stack, order, complaint="Chipped", answer="It was fine", owner_id=CAROL)
    told_bob = len(await stack.texts(BOB))

    # When Alice (a buyer) and Carol (a merchant) type /admin, they are refused
    for user in (ALICE, CAROL):
        assert NOT_ALLOWED in await stack.answer(user, "/admin")

    # and every admin button, forged, is refused with an alert
    p, c, t = pending.id, carols.id, ticket.id
    forged = [
        "a1:m", "a1:q:0", f"a1:doc:{p}", f"a1:ap:{p}", f"a1:rj:{p}", f"a1:rr:{p}:docs", f"a1:ro:{p}",
        "a1:sl:all:0", "a1:ss", f"a1:sh:{c}", f"a1:su:{c}", f"a1:sr:{c}:ship", f"a1:so:{c}", f"a1:ri:{c}",
        f"a1:ric:{c}", f"a1:cl:{c}", f"a1:clc:{c}", f"a1:clf:{c}", "a1:ev",
        "a1:tl:0", f"a1:tk:{t}", f"a1:tp:{t}", f"a1:tr:{t}", f"a1:trc:{t}", f"a1:tcc:{t}",
        f"a1:apc:{p}", f"a1:tn:{t}:r", f"a1:tm:{t}:buyer",
        "a1:al", "a1:aa", f"a1:an:{CAROL}", "a1:ai", f"a1:ar:{ADA}", f"a1:arc:{ADA}", "a1:au:0", "a1:st", "a1:evr",
    ]  # fmt: skip
    for data in forged:
        before = len(await alerts(stack, CAROL))
        await forge_press(stack, CAROL, data)
        refusals = await alerts(stack, CAROL)
        assert len(refusals) == before + 1 and NOT_ALLOWED in refusals[-1], data

    # Then nothing changed: no decision, no suspension, no ruling, no new admin, no admin conversation
    assert await status_of(stack, pending) is ShopStatus.PENDING_REVIEW
    assert await status_of(stack, carols) is ShopStatus.ACTIVE
    assert len(await stack.texts(BOB)) == told_bob
    async with stack.svc.uow(read_only=True) as uow:
        disputed = await uow.tickets.get(ticket.id)
        carol = await uow.users.get(CAROL)
        admin_events = await uow.audit.recent(actor_roles=[ActorRole.ADMIN.value], limit=50)
        conversation = await uow.conversations.get(CAROL)
        carols_refusals = await uow.audit.for_entity(REFUSAL_ENTITY, CAROL)
    assert disputed is not None and disputed.status.value == "escalated"
    assert carol is not None and not carol.is_admin
    done = [event for event in admin_events if event.entity != REFUSAL_ENTITY]
    assert all(event.actor_id == ADA for event in done), done  # only the factory's approval
    assert set(forged) <= {event.data["attempt"] for event in carols_refusals}  # each attempt is on file
    assert conversation is None
