"""Authorisation lives in the use cases: every action tried by every party who may not do it is refused and
changes nothing, whatever button or command the attempt came through — and through the bot, the refusal is
filed in the audit trail and the person is told.

The world: merchant Bob's active shop with orders of Alice in every state, a ticket and a review on them, Bob's
staff (子账号: Olga for orders, Sven for service, Viv a viewer), another merchant (Mo) with his own shop, a
stranger buyer (Xu), a root admin (Ada) and a user claiming to be an admin (Fay), plus a pending shop application.
Each action has the party the table allows; every other actor is a wrong one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

from builders import journeys
from builders.journeys import order_in
from domain.authorization import ARM_LENGTH, PERMISSIONS, Action, Party, check
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.money import Money
from domain.orders import Order, OrderStatus
from domain.payments import Refund, RefundMethod, RefundStatus
from domain.services import Services
from domain.shops import Shop, ShopStatus, ShopType
from domain.staff import StaffRole
from domain.usecases import merchant_money as money
from domain.usecases import orders_fulfilment as fulfil
from domain.usecases import products, reviews, shops, staff, tickets
from domain.usecases.buyer_orders import my_order
from domain.usecases.merchant_views import shop_order
from domain.usecases.provider_refunds import finish_provider_refund
from domain.usecases.security import REFUSAL_ENTITY, refusals_of
from domain.usecases.tracking import track_order
from domain.usecases.users import register_user
from domain.users import AddressSnapshot
from sandbox import ADMIN_ADA_ID, BUYER_ALICE_ID, MERCHANT_BOB_ID
from storage.models import AuditEventRow
from tests.reliability.inprocess import Bot, running_bot
from tests.reliability.journey import Market, open_market
from tests.reliability.snapshot import differences, snapshot

MO, XU, FAY, PAT = 2002, 1003, 9002, 2003
OLGA, SVEN, VIV = 3101, 3102, 3103  # Bob's staff: orders, service, viewer
STAFF = {OLGA: StaffRole.ORDERS, SVEN: StaffRole.SERVICE, VIV: StaffRole.VIEWER}
ADDRESS = AddressSnapshot("Alice Zhang", "+8613800000000", "1 Nanjing Road")

ACTORS: dict[str, Actor] = {
    "alice as buyer": Actor.buyer(BUYER_ALICE_ID),
    "alice as merchant": Actor.merchant(BUYER_ALICE_ID),
    "alice as admin": Actor.admin(BUYER_ALICE_ID),
    "xu (stranger) as buyer": Actor.buyer(XU),
    "bob as merchant": Actor.merchant(MERCHANT_BOB_ID),
    "bob as buyer": Actor.buyer(MERCHANT_BOB_ID),
    "bob as admin": Actor.admin(MERCHANT_BOB_ID),
    "mo (other shop) as merchant": Actor.merchant(MO),
    "olga (orders staff) as merchant": Actor.merchant(OLGA),
    "sven (service staff) as merchant": Actor.merchant(SVEN),
    "viv (viewer staff) as merchant": Actor.merchant(VIV),
    "olga (orders staff) as buyer": Actor.buyer(OLGA),
    "fay (not an admin) as admin": Actor.admin(FAY),
    "ada (admin) as admin": Actor.admin(ADMIN_ADA_ID),
    "ada as merchant": Actor.merchant(ADMIN_ADA_ID),
    "ada as buyer": Actor.buyer(ADMIN_ADA_ID),
    "system": Actor.system(),
}


@dataclass
class World:
    bot: Bot
    market: Market
    pending: Order
    paid: Order
    accepted: Order
    shipped: Order
    completed: Order
    reviewed: Order
    ticket_id: int
    review_id: int
    application: Shop
    provider_refund_id: int
    payout_id: int
    invite_token: str

    @property
    def svc(self) -> Services:
        return self.bot.svc


async def _order(svc: Services, market: Market, status: OrderStatus, charge: str) -> Order:
    return await order_in(svc, market.product, status, buyer_id=BUYER_ALICE_ID, address=ADDRESS, charge_id=charge)


async def _provider_refund(svc: Services, order: Order) -> int:
    """A provider (fiat) refund waiting for an admin, owed on ``order``."""
    async with svc.uow() as uow:
        payment = await uow.payments.for_order(order.id)
        assert payment is not None
        refund = await uow.payments.add_refund(
            Refund(
                0,
                payment.id,
                order.id,
                order.buyer_id,
                Money(1, "CNY"),
                "test",
                RefundMethod.RECORDED,
                RefundStatus.PENDING,
                svc.clock.now(),
                charge_id=payment.charge_id,
            )
        )
        await uow.commit()
    return refund.id


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async with running_bot(tmp_path) as bot:
        svc = bot.svc
        for user in (BUYER_ALICE_ID, XU, FAY, ADMIN_ADA_ID):
            await register_user(svc, user_id=user, first_name=f"User{user}", username=None, language_code="en")
        market = await open_market(bot)
        await open_market(bot, owner_id=MO)
        await register_user(svc, user_id=PAT, first_name="Pat", username=None, language_code="en")
        application = await shops.apply_for_shop(
            svc,
            actor=Actor.merchant(PAT),
            name="Pat's Tea",
            business_scope="Tea",
            shop_type=ShopType.INDIVIDUAL,
            contact_phone="+8613800000001",
            documents=["licence"],
            agreement_accepted=True,
        )
        orders = {}
        for n, status in enumerate(
            (OrderStatus.PENDING_PAYMENT, OrderStatus.PAID, OrderStatus.ACCEPTED, OrderStatus.SHIPPED)
        ):
            orders[status] = await _order(svc, market, status, f"charge-{n}")
        completed = await _order(svc, market, OrderStatus.COMPLETED, "charge-c1")
        reviewed = await _order(svc, market, OrderStatus.COMPLETED, "charge-c2")
        ticket = await journeys.ask_after_sales(svc, completed, text="The box arrived crushed")
        review = await journeys.reviewed(svc, reviewed, scores=(5, 4, 5), text="Lovely")
        payout_id = await _a_payout(bot, market, reviewed)
        bob = Actor.merchant(MERCHANT_BOB_ID)
        for member, role in STAFF.items():
            await register_user(svc, user_id=member, first_name=f"Staff{member}", username=None, language_code="en")
            invite = await staff.invite_staff(svc, actor=bob, role=role)
            await staff.join_staff(svc, actor=Actor.merchant(member), token=invite.token)
        spare = await staff.invite_staff(svc, actor=bob, role=StaffRole.VIEWER)
        yield World(
            bot,
            market,
            orders[OrderStatus.PENDING_PAYMENT],
            orders[OrderStatus.PAID],
            orders[OrderStatus.ACCEPTED],
            orders[OrderStatus.SHIPPED],
            completed,
            reviewed,
            ticket.id,
            review.id,
            application,
            await _provider_refund(svc, completed),
            payout_id,
            spare.token,
        )


async def _a_payout(bot: Bot, market: Market, order: Order) -> int:
    """Bob asks for 1 ⭐ of the order's money, released after its after-sales window (the clock then goes back)."""
    svc, started = bot.svc, bot.clock.now()
    bot.clock.advance(svc.policy.deadlines.after_sale_window)
    assert await money.release_order(svc, order.id)
    bob = Actor.merchant(MERCHANT_BOB_ID)
    offer = await money.payout_offer(svc, actor=bob)
    payout = await money.request_payout(svc, actor=bob, shop_id=market.shop.id, amount=1, seen=offer.seen)
    bot.clock.set(started)
    return payout.id


Attempt = Callable[[World, Actor], Awaitable[object]]

# action -> (the actors allowed to do it in this world, the attempt)
CASES: dict[str, tuple[set[str], Attempt]] = {
    "approve shop": (
        {"ada (admin) as admin"},
        lambda w, a: shops.approve_shop(w.svc, actor=a, shop_id=w.application.id),
    ),
    "reject shop": (
        {"ada (admin) as admin"},
        lambda w, a: shops.reject_shop(w.svc, actor=a, shop_id=w.application.id, reason="no licence"),
    ),
    "suspend shop": (
        {"ada (admin) as admin"},
        lambda w, a: shops.suspend_shop(w.svc, actor=a, shop_id=w.market.shop.id, reason="complaints"),
    ),
    "close shop": (
        {"ada (admin) as admin"},
        lambda w, a: shops.close_shop(w.svc, actor=a, shop_id=w.market.shop.id, reason="fraud"),
    ),
    "add product": (
        {"bob as merchant"},
        lambda w, a: products.add_product(
            w.svc, actor=a, shop_id=w.market.shop.id, title="Fake", price=Money(1, "XTR"), stock=1
        ),
    ),
    "update product": (
        {"bob as merchant"},
        lambda w, a: products.update_product(w.svc, actor=a, product_id=w.market.product.id, price=Money(1, "XTR")),
    ),
    "unlist product": (
        {"bob as merchant"},
        lambda w, a: products.set_product_active(w.svc, actor=a, product_id=w.market.product.id, active=False),
    ),
    "set group buy": (
        {"bob as merchant"},
        lambda w, a: products.set_group_buy(
            w.svc, actor=a, product_id=w.market.product.id, group_price=Money(50, "XTR"), group_size=3
        ),
    ),
    # Reading one's own order is fine in either everyday hat; changing it is not (below).
    "view order (buyer)": (
        {"alice as buyer", "alice as merchant"},
        lambda w, a: my_order(w.svc, actor=a, order_id=w.paid.id),
    ),
    "view order (shop)": (
        {"bob as merchant", "olga (orders staff) as merchant", "sven (service staff) as merchant"},
        lambda w, a: shop_order(w.svc, actor=a, order_id=w.paid.id),
    ),
    # The table lets the buyer, the shop and an admin see where a parcel is.
    "track order": (
        {
            "alice as buyer",
            "bob as merchant",
            "ada (admin) as admin",
            "olga (orders staff) as merchant",
            "sven (service staff) as merchant",
        },
        lambda w, a: track_order(w.svc, actor=a, order_id=w.shipped.id),
    ),
    "cancel order": ({"alice as buyer"}, lambda w, a: fulfil.cancel_order(w.svc, actor=a, order_id=w.paid.id)),
    "accept order": (
        {"bob as merchant", "olga (orders staff) as merchant"},
        lambda w, a: fulfil.accept_order(w.svc, actor=a, order_id=w.paid.id),
    ),
    "decline order": (
        {"bob as merchant"},
        lambda w, a: fulfil.decline_order(w.svc, actor=a, order_id=w.paid.id, reason="sold out"),
    ),
    "ship order": (
        {"bob as merchant", "olga (orders staff) as merchant"},
        lambda w, a: fulfil.ship_order(w.svc, actor=a, order_id=w.accepted.id, carrier="SF", tracking_number="SF99"),
    ),
    "add tracking": (
        {"bob as merchant", "olga (orders staff) as merchant"},
        lambda w, a: fulfil.add_tracking_update(w.svc, actor=a, order_id=w.shipped.id, text="In Shanghai"),
    ),
    "extend receipt": ({"alice as buyer"}, lambda w, a: fulfil.extend_receipt(w.svc, actor=a, order_id=w.shipped.id)),
    "confirm receipt": ({"alice as buyer"}, lambda w, a: fulfil.confirm_receipt(w.svc, actor=a, order_id=w.shipped.id)),
    "open ticket": (
        {"alice as buyer"},
        lambda w, a: tickets.open_ticket(
            w.svc, actor=a, order_id=w.reviewed.id, kind="refund_only", reason="damaged", text="Give me money"
        ),
    ),
    "approve ticket": (
        {"bob as merchant", "sven (service staff) as merchant"},
        lambda w, a: tickets.approve_ticket(w.svc, actor=a, ticket_id=w.ticket_id),
    ),
    "reject ticket": (
        {"bob as merchant", "sven (service staff) as merchant"},
        lambda w, a: tickets.reject_ticket(w.svc, actor=a, ticket_id=w.ticket_id, reason="Looks fine"),
    ),
    "message ticket": (
        {"alice as buyer", "bob as merchant", "ada (admin) as admin", "sven (service staff) as merchant"},
        lambda w, a: tickets.post_ticket_message(w.svc, actor=a, ticket_id=w.ticket_id, text="Hello?", to="buyer"),
    ),
    "withdraw ticket": (
        {"alice as buyer"},
        lambda w, a: tickets.withdraw_ticket(w.svc, actor=a, ticket_id=w.ticket_id),
    ),
    "escalate ticket": (
        {"alice as buyer"},
        lambda w, a: tickets.escalate_ticket(w.svc, actor=a, ticket_id=w.ticket_id),
    ),
    "rule ticket": (
        {"ada (admin) as admin"},
        lambda w, a: tickets.rule_ticket(w.svc, actor=a, ticket_id=w.ticket_id, refund=True),
    ),
    "finish provider refund": (
        {"ada (admin) as admin"},
        lambda w, a: finish_provider_refund(w.svc, actor=a, refund_id=w.provider_refund_id, reference="BANK-1"),
    ),
    "reply to review": (
        {"bob as merchant", "sven (service staff) as merchant"},
        lambda w, a: reviews.reply_to_review(w.svc, actor=a, review_id=w.review_id, text="Thanks!"),
    ),
    "view balance": (
        {"bob as merchant"},
        lambda w, a: money.merchant_balance(w.svc, actor=a, shop_id=w.market.shop.id),
    ),
    "request payout": (
        {"bob as merchant"},
        lambda w, a: money.request_payout(w.svc, actor=a, shop_id=w.market.shop.id, amount=1, seen=0),
    ),
    "top up deposit": (
        {"bob as merchant"},
        lambda w, a: money.deposit_top_up(w.svc, actor=a, shop_id=w.market.shop.id),
    ),
    "mark payout paid": (
        {"ada (admin) as admin"},
        lambda w, a: money.mark_payout_paid(w.svc, actor=a, payout_id=w.payout_id, reference="ICBC-1"),
    ),
    "see payouts": ({"ada (admin) as admin"}, lambda w, a: money.payout_queue(w.svc, actor=a)),
    # Anyone in their everyday hat may accept an invitation (the owner's own is refused as a business rule).
    "join staff": (
        {who for who, actor in ACTORS.items() if actor.role in (ActorRole.BUYER, ActorRole.MERCHANT)},
        lambda w, a: staff.staff_invite(w.svc, actor=a, token=w.invite_token),
    ),
}

REFUSALS = {ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND}


async def test_every_action_by_every_wrong_party_is_refused_and_changes_nothing(world: World) -> None:
    before = await snapshot(world.bot)
    allowed: list[str] = []
    refused = 0
    for action, (rightful, attempt) in CASES.items():
        for who, actor in ACTORS.items():
            if who in rightful:
                continue
            try:
                await attempt(world, actor)
            except DomainError as error:
                if error.code in REFUSALS:
                    refused += 1
                    continue
                allowed.append(f"{action} by {who}: refused only with {error.code.value}, not as unauthorised")
            else:
                allowed.append(f"{action} by {who}: ALLOWED")

    assert allowed == [], "\n".join(allowed)
    assert refused == sum(len(ACTORS) - len(rightful) for rightful, _ in CASES.values())
    assert differences(before, await snapshot(world.bot)) == []


async def test_the_rightful_party_can_do_each_action(world: World) -> None:
    """The other half of the matrix, so the refusals above are refusals and not a broken world."""
    done = []
    for action, (rightful, attempt) in CASES.items():
        if action in {"approve shop", "reject shop", "close shop", "withdraw ticket", "escalate ticket"}:
            continue  # these exclude each other or need an earlier step; the journeys cover them
        try:
            await attempt(world, ACTORS[sorted(rightful)[0]])
        except DomainError as error:
            assert error.code not in REFUSALS, f"{action}: the rightful party was refused ({error.code.value})"
        done.append(action)
    assert len(done) >= 18


def test_the_table_gives_each_action_only_to_its_parties() -> None:
    """Pure check of the table for every action, including the ones the world above cannot reach."""
    shop = SimpleNamespace(id=1, name="Bob's", owner_id=MERCHANT_BOB_ID, status=ShopStatus.ACTIVE)
    order = SimpleNamespace(buyer_id=BUYER_ALICE_ID, shop_id=1)
    parties_of = {
        "alice as buyer": {Party.BUYER, Party.SELF},
        "alice as merchant": {Party.SELF},
        "alice as admin": set(),
        "bob as admin": set(),
        "ada as merchant": {Party.SELF},
        "ada as buyer": {Party.SELF},
        "xu (stranger) as buyer": {Party.SELF},
        "bob as merchant": {Party.MERCHANT, Party.SELF},
        "bob as buyer": {Party.SELF},
        "mo (other shop) as merchant": {Party.SELF},
        "olga (orders staff) as merchant": {Party.STAFF_ORDERS, Party.SELF},
        "sven (service staff) as merchant": {Party.STAFF_SERVICE, Party.SELF},
        "viv (viewer staff) as merchant": {Party.STAFF_VIEWER, Party.SELF},
        "olga (orders staff) as buyer": {Party.SELF},
        "fay (not an admin) as admin": set(),
        "ada (admin) as admin": {Party.ADMIN},
        "system": {Party.SYSTEM},
    }
    wrongly = []
    for action in Action:
        for who, parties in parties_of.items():
            actor = ACTORS[who]
            may = bool(parties & PERMISSIONS[action])
            try:
                role = STAFF.get(actor.user_id or 0)
                check(action, actor, order=order, shop=shop, admin=who.startswith("ada"), staff=role)  # type: ignore[arg-type]
                allowed = True
            except DomainError as error:
                allowed = error.code is not ErrorCode.FORBIDDEN
            if allowed != may:
                wrongly.append(f"{action.value} by {who}: allowed={allowed}, table says {may}")
    assert wrongly == []


# ---- through the bot: forged buttons, replayed buttons, commands with someone else's ids ----------------------


async def test_forged_buttons_and_commands_are_refused_audited_and_answered(world: World) -> None:
    bot = world.bot
    before = await snapshot(bot)
    audit_before = await bot.count(AuditEventRow)
    attempts = [
        (BUYER_ALICE_ID, "press", f"o1:acc:{world.paid.id}"),  # a merchant's button, forged by the buyer
        (XU, "press", f"o1:cfm:{world.shipped.id}:y"),  # Alice's confirm button, replayed by a stranger
        (XU, "press", f"o1:cnl:{world.paid.id}:y"),  # Alice's cancel button
        (MO, "press", f"o1:shp:{world.accepted.id}"),  # another merchant's order
        (MO, "say", f"/accept {world.paid.id}"),
        (MO, "say", f"/ship {world.accepted.id} SF Express SF1234567890"),
        (XU, "say", f"/decline {world.paid.id} no reason"),
        (MO, "press", f"m1:poy:{world.market.shop.id}:1:0"),  # Bob's payout confirmation, forged by Mo
        (XU, "press", f"a1:popy:{world.payout_id}"),  # an admin's "it is paid", forged by a buyer
    ]
    for user, how, what in attempts:
        if how == "press":
            await bot.press(user, what)
        else:
            await bot.say(user, what)

    changed = differences(before, await snapshot(bot))
    # Only the refusals were written: the audit trail grew, nothing else moved.
    assert all(line.startswith("audit_events") or line.startswith("processed_updates") for line in changed), changed
    assert await bot.count(AuditEventRow) > audit_before
    for user in (BUYER_ALICE_ID, XU, MO):
        filed = await refusals_of(bot.svc, user)
        assert filed and all(event.entity == REFUSAL_ENTITY for event in filed)
        assert bot.api.answered(user), f"user {user} got no answer"
    orders = {o.id: o.status for o in await bot.orders_of(BUYER_ALICE_ID)}
    assert orders[world.paid.id] is OrderStatus.PAID
    assert orders[world.accepted.id] is OrderStatus.ACCEPTED
    assert orders[world.shipped.id] is OrderStatus.SHIPPED


def test_roles_used_here_exist() -> None:
    assert {actor.role for actor in ACTORS.values()} == set(ActorRole)


def test_what_must_be_done_at_arms_length_is_refused_to_the_shops_owner() -> None:
    """Self-dealing (刷单): the owner may not order from, join the groups of, or review their own shop."""
    shop = SimpleNamespace(id=1, name="Bob's", owner_id=MERCHANT_BOB_ID, status=ShopStatus.ACTIVE)
    own_order = SimpleNamespace(buyer_id=MERCHANT_BOB_ID, shop_id=1)
    for action in ARM_LENGTH:
        for who in ("bob as buyer", "bob as merchant"):
            with pytest.raises(DomainError) as refused:
                check(action, ACTORS[who], order=own_order, shop=shop)  # type: ignore[arg-type]
            assert refused.value.code in (ErrorCode.SELF_DEALING, ErrorCode.FORBIDDEN), (action, who)
        with pytest.raises(DomainError) as refused:
            check(action, ACTORS["bob as buyer"], order=own_order, shop=shop)  # type: ignore[arg-type]
        assert refused.value.code is ErrorCode.SELF_DEALING
        check(action, ACTORS["alice as buyer"], order=SimpleNamespace(buyer_id=BUYER_ALICE_ID, shop_id=1), shop=shop)  # type: ignore[arg-type]


async def test_only_the_owner_manages_staff_and_the_group_chat(world: World) -> None:
    """Inviting, removing and the group chat act on the actor's own shop: staff (who own none) and everyone else are
    refused, and nothing changes."""
    before = await snapshot(world.bot)
    attempts = {
        "invite": lambda a: staff.invite_staff(world.svc, actor=a, role=StaffRole.ORDERS),
        "remove": lambda a: staff.remove_staff(world.svc, actor=a, user_id=OLGA),
        "link group": lambda a: staff.link_group(world.svc, actor=a, chat_id=-100, title="Team"),
        "group alerts": lambda a: staff.set_group_alerts(world.svc, actor=a, on=False),
        "staff screen": lambda a: staff.staff_screen(world.svc, actor=a),
    }
    wrong = [who for who in ACTORS if who != "bob as merchant" and not who.startswith("mo ")]
    allowed = []
    for name, attempt in attempts.items():
        for who in wrong:
            try:
                await attempt(ACTORS[who])
            except DomainError as error:
                if error.code in (ErrorCode.FORBIDDEN, ErrorCode.NO_SHOP):
                    continue
                allowed.append(f"{name} by {who}: {error.code.value}")
            else:
                allowed.append(f"{name} by {who}: ALLOWED")
    assert allowed == []
    assert differences(before, await snapshot(world.bot)) == []


async def test_a_removed_member_is_refused_at_once(world: World) -> None:
    olga = ACTORS["olga (orders staff) as merchant"]
    assert await staff.remove_staff(world.svc, actor=Actor.merchant(MERCHANT_BOB_ID), user_id=OLGA)
    for attempt in (
        lambda: fulfil.accept_order(world.svc, actor=olga, order_id=world.paid.id),
        lambda: shop_order(world.svc, actor=olga, order_id=world.paid.id),
    ):
        with pytest.raises(DomainError) as refused:
            await attempt()
        assert refused.value.code is ErrorCode.FORBIDDEN
