"""Staff (子账号): invitation links (expiring, used once), who gets which alert, removal taking effect at once, and
the table's staff parties (each role may exactly what it says, only in its own shop)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from domain.authorization import (
    BUTTON_ACTIONS,
    PERMISSIONS,
    STAFF_PARTIES,
    Action,
    Party,
    check,
    staff_buttons,
    staff_may,
    staff_may_press,
)
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.notifications import Button
from domain.routes import Route
from domain.staff import INVITE_TTL, StaffRole, alerted_roles, for_group_chat, invite_token
from domain.usecases import staff
from domain.usecases.menus import COMMANDS_KEY, menu_roles
from domain.usecases.merchant_stats import shop_stats
from domain.usecases.shops import close_shop
from handlers.shared.commands import commands_for, staff_commands
from i18n import t
from tests.fakes import ADMIN, BUYER, MERCHANT, OTHER_BUYER, OTHER_MERCHANT, STRANGER, World

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


# --- alerts carry only the buttons the receiver may use; staff menus and /help; the shop they work in ------------


def _datas(rows: tuple[tuple[Button, ...], ...]) -> list[str]:
    return [button.data for row in rows for button in row]


@pytest.mark.parametrize("role", list(StaffRole))
def test_a_button_is_shown_to_a_role_exactly_when_the_table_lets_it_take_the_buttons_action(role: StaffRole) -> None:
    party = next(p for p, r in STAFF_PARTIES.items() if r is role)
    for route, action in BUTTON_ACTIONS.items():
        assert staff_may_press(role, route.data("1")) == (party in PERMISSIONS[action]), (route, role)
    assert not staff_may_press(role, Route.MERCHANT_PRODUCTS.data(0))  # a button of no listed action: owner's only
    assert not staff_may_press(role, "x1:forged:1")


async def test_the_new_order_alert_keeps_accept_and_ship_for_orders_staff_and_nothing_for_the_others() -> None:
    world = World()
    shop = world.add_shop(MERCHANT)
    order = await world.paid_order(world.add_product(shop))
    buttons = world.message(MERCHANT, "notify.order.paid.merchant").buttons
    n = order.id
    assert _datas(buttons) == [f"o1:acc:{n}", f"o1:dec:{n}", f"o1:shp:{n}"]  # the owner's: all three
    assert _datas(staff_buttons(StaffRole.ORDERS, buttons)) == [f"o1:acc:{n}", f"o1:shp:{n}"]  # decline: owner's
    assert staff_buttons(StaffRole.SERVICE, buttons) == ()
    assert staff_buttons(StaffRole.VIEWER, buttons) == ()


def test_ticket_buttons_stay_for_service_staff_only() -> None:
    rows = (
        (Button("aftersales.btn.open", data=Route.TICKET_VIEW.with_id(3)),),
        (Button("aftersales.btn.reply", data=Route.TICKET_MESSAGE.with_id(3)),),
        (Button("aftersales.btn.confirm_return", data=Route.TICKET_RECEIVED.with_id(3)),),
    )
    assert staff_buttons(StaffRole.SERVICE, rows) == rows
    assert staff_buttons(StaffRole.ORDERS, rows) == () and staff_buttons(StaffRole.VIEWER, rows) == ()
    link = ((Button("x", url="https://example.com"),),)
    assert staff_buttons(StaffRole.VIEWER, link) == link  # a link presses nothing in the bot


@pytest.mark.parametrize("role", list(StaffRole))
def test_a_staff_menu_and_help_list_what_the_role_may_do_in_both_languages(role: StaffRole) -> None:
    names = staff_commands(role)
    assert names[0] == "shop" and "stats" in names
    assert ("shop_orders" in names) == staff_may(role, Action.VIEW_ORDER)
    assert ("tickets" in names) == staff_may(role, Action.VIEW_TICKET)
    assert ("reviews" in names) == staff_may(role, Action.REPLY_REVIEW)
    for lang in ("en", "zh"):
        menu = [command.command for command in commands_for({"buyer", role.menu_role}, lang)]
        assert menu[: len(names)] == list(names) and "start" in menu
        described = {c.command: c.description for c in commands_for({role.menu_role}, lang)}
        assert described["shop"] == t(lang, "menu.staff.shop")
        helped = set(re.findall(r"(?<![<a-z])/([a-z_]+)", t(lang, f"help.{role.menu_role}")))
        assert helped == set(names), (role, lang)
    owner_too = [c.command for c in commands_for({"merchant", role.menu_role}, "en")]
    assert len(owner_too) == len(set(owner_too)) and "staff" in owner_too  # one entry per command


async def test_the_menu_follows_joining_removal_and_closing() -> None:
    world = World()
    shop = world.add_shop(MERCHANT)
    staff_user = Actor.merchant(BUYER)
    invite = await staff.invite_staff(world.svc, actor=OWNER, role="service")
    await staff.join_staff(world.svc, actor=staff_user, token=invite.token)
    menus = [n for n in world.messages(BUYER) if n.key == COMMANDS_KEY]
    assert [n.args["roles"] for n in menus] == [["buyer", "staff_service"]]
    assert await menu_roles(world.svc, BUYER) == ["buyer", "staff_service"]

    await staff.remove_staff(world.svc, actor=OWNER, user_id=BUYER)
    menus = [n for n in world.messages(BUYER) if n.key == COMMANDS_KEY]
    assert [n.args["roles"] for n in menus][-1] == ["buyer"]

    again = await staff.invite_staff(world.svc, actor=OWNER, role="viewer")
    await staff.join_staff(world.svc, actor=staff_user, token=again.token)
    await close_shop(world.svc, actor=Actor.admin(ADMIN), shop_id=shop.id, reason="closing down")
    menus = [n for n in world.messages(BUYER) if n.key == COMMANDS_KEY]
    assert [n.args["roles"] for n in menus][-2:] == [["buyer", "staff_viewer"], ["buyer"]]


async def test_staff_of_two_shops_choose_the_one_they_work_in_and_the_choice_is_kept() -> None:
    world = World()
    tea = world.add_shop(MERCHANT)
    other = world.add_shop(OTHER_MERCHANT, name="Noodle Bar")
    sam = Actor.merchant(BUYER)
    first = await staff.invite_staff(world.svc, actor=OWNER, role="viewer")
    await staff.join_staff(world.svc, actor=sam, token=first.token)
    world.clock.advance(timedelta(minutes=1))
    second = await staff.invite_staff(world.svc, actor=Actor.merchant(OTHER_MERCHANT), role="orders")
    await staff.join_staff(world.svc, actor=sam, token=second.token)

    # joined last: works in the Noodle Bar
    assert (await shop_stats(world.svc, actor=sam)).shop_name == "Noodle Bar"
    assert [(w.shop.id, w.role) for w in await staff.working_shops(world.svc, actor=sam)] == [
        (other.id, StaffRole.ORDERS),
        (tea.id, StaffRole.VIEWER),
    ]
    world.clock.advance(timedelta(minutes=1))
    chosen = await staff.choose_working_shop(world.svc, actor=sam, shop_id=tea.id)
    assert (chosen.shop.id, chosen.role) == (tea.id, StaffRole.VIEWER)
    again = await staff.choose_working_shop(world.svc, actor=sam, shop_id=tea.id)  # a double press: the same
    assert again.shop.id == tea.id
    assert (await shop_stats(world.svc, actor=sam)).shop_name == "Tea House"
    assert [w.shop.id for w in await staff.working_shops(world.svc, actor=sam)] == [tea.id, other.id]

    # a shop they are not staff of is refused by the table, and nothing changes
    third = world.add_shop(STRANGER, name="Third")
    with pytest.raises(DomainError) as refused:
        await staff.choose_working_shop(world.svc, actor=sam, shop_id=third.id)
    assert refused.value.code is ErrorCode.FORBIDDEN
    assert (await shop_stats(world.svc, actor=sam)).shop_name == "Tea House"

    # the chosen shop closes: they work in the other one again
    await close_shop(world.svc, actor=Actor.admin(ADMIN), shop_id=tea.id, reason="closing down")
    assert (await shop_stats(world.svc, actor=sam)).shop_name == "Noodle Bar"
    assert [w.shop.id for w in await staff.working_shops(world.svc, actor=sam)] == [other.id]
