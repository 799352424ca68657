"""Staff (子账号): invitation links (expiring, used once), who gets which alert, removal taking effect at once, and
the table's staff parties (each role may exactly what it says, only in its own shop)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.authorization import PERMISSIONS, STAFF_PARTIES, Action, Party, check
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.staff import INVITE_TTL, StaffRole, alerted_roles, for_group_chat, invite_token
from domain.usecases import staff
from domain.usecases.merchant_stats import shop_stats
from tests.fakes import BUYER, MERCHANT, OTHER_BUYER, OTHER_MERCHANT, World

OWNER = Actor.merchant(MERCHANT)


def test_an_invitation_payload_is_read_back_and_anything_else_is_not() -> None:
    token = "A" * 24
    assert invite_token(f"staff_{token}") == token
    for payload in ("", "staff_", "staff_short", f"p{token}", f"staff_{token}!", "staff_" + "A" * 60):
        assert invite_token(payload) is None


def test_alerts_go_to_the_roles_they_concern() -> None:
    assert alerted_roles("notify.order.paid.merchant") == {StaffRole.ORDERS}
    assert alerted_roles("notify.order.remind_ship") == {StaffRole.ORDERS}
    assert alerted_roles("aftersales.notify.opened.refund_only") == {StaffRole.SERVICE}
    assert alerted_roles("aftersales.notify.review.new") == {StaffRole.SERVICE}
    assert alerted_roles("notify.payout.earnings.paid") == frozenset()
    assert alerted_roles("notify.order.paid.buyer") == frozenset()
    assert for_group_chat("notify.order.paid.merchant") and not for_group_chat("notify.payout.earnings.paid")


@pytest.mark.parametrize("role", list(StaffRole))
def test_each_staff_role_may_exactly_its_actions_and_only_in_its_shop(role: StaffRole, world_shop) -> None:
    shop, other = world_shop
    party = next(p for p, r in STAFF_PARTIES.items() if r is role)
    actor = Actor.merchant(OTHER_BUYER)
    for action in Action:
        own = party in PERMISSIONS[action]
        may = own or Party.SELF in PERMISSIONS[action]  # acting for themselves, as anyone may
        try:
            check(action, actor, shop=shop, staff=role)
            allowed = True
        except DomainError as error:
            allowed = error.code is not ErrorCode.FORBIDDEN
        assert allowed == may, (action, role)
        # a role in one shop is nothing in another (the look-up gives no role there)
        if own and Party.SELF not in PERMISSIONS[action]:
            with pytest.raises(DomainError):
                check(action, actor, shop=other, staff=None)


@pytest.fixture
def world_shop():
    world = World()
    return world.add_shop(MERCHANT), world.add_shop(OTHER_MERCHANT, name="Other")


async def test_an_invitation_is_used_once_and_expires() -> None:
    world = World()
    world.add_shop(MERCHANT)
    invite = await staff.invite_staff(world.svc, actor=OWNER, role="orders")
    assert invite.expires_at == world.clock.now() + INVITE_TTL

    member = await staff.join_staff(world.svc, actor=Actor.merchant(BUYER), token=invite.token)
    assert member.role is StaffRole.ORDERS
    again = await staff.join_staff(world.svc, actor=Actor.merchant(BUYER), token=invite.token)  # a double press
    assert (again.shop_id, again.role) == (member.shop_id, member.role)
    with pytest.raises(DomainError) as used:
        await staff.join_staff(world.svc, actor=Actor.merchant(OTHER_BUYER), token=invite.token)
    assert used.value.code is ErrorCode.INVITE_INVALID

    late = await staff.invite_staff(world.svc, actor=OWNER, role="viewer")
    world.clock.advance(INVITE_TTL + timedelta(seconds=1))
    with pytest.raises(DomainError) as expired:
        await staff.staff_invite(world.svc, actor=Actor.merchant(OTHER_BUYER), token=late.token)
    assert expired.value.code is ErrorCode.INVITE_INVALID


async def test_a_made_up_role_is_refused_and_the_owner_cannot_join_their_own_shop() -> None:
    world = World()
    world.add_shop(MERCHANT)
    with pytest.raises(DomainError) as bad:
        await staff.invite_staff(world.svc, actor=OWNER, role="boss")
    assert bad.value.code is ErrorCode.INVALID_TEXT
    invite = await staff.invite_staff(world.svc, actor=OWNER, role="service")
    with pytest.raises(DomainError) as own:
        await staff.join_staff(world.svc, actor=OWNER, token=invite.token)
    assert own.value.code is ErrorCode.OWN_SHOP_STAFF


async def test_a_viewer_sees_the_numbers_and_loses_them_when_removed() -> None:
    world = World()
    world.add_shop(MERCHANT)
    invite = await staff.invite_staff(world.svc, actor=OWNER, role="viewer")
    viewer = Actor.merchant(BUYER)
    await staff.join_staff(world.svc, actor=viewer, token=invite.token)
    assert (await shop_stats(world.svc, actor=viewer)).shop_name == "Tea House"

    assert await staff.remove_staff(world.svc, actor=OWNER, user_id=BUYER)
    assert not await staff.remove_staff(world.svc, actor=OWNER, user_id=BUYER)  # a second press changes nothing
    with pytest.raises(DomainError) as gone:
        await shop_stats(world.svc, actor=viewer)
    assert gone.value.code is ErrorCode.NO_SHOP
