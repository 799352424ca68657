"""Appointing and removing admins, and the audit list of what admins did."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from domain.errors import ErrorCode
from domain.events import Actor, ActorRole
from domain.platform_stats_ports import UserSummary
from domain.shops import ShopStatus
from domain.usecases.admins import admin_candidates, appoint_admin, audit_log, list_admins, remove_admin
from domain.usecases.shops import approve_shop, suspend_shop
from tests.fakes import ADMIN, APPOINTED_ADMIN, BUYER, MERCHANT, STRANGER, World
from tests.fakes.assertions import refused, refused_unchanged
from tests.fakes.repositories import check_renders
from tests.unit.admin_fixtures import StubStats, with_stats

COMMANDS = "@commands"


@pytest.fixture
def world() -> Iterator[World]:
    # Menu refreshes ("@commands") are not texts, so the fake's render check is done here for the rest.
    world = World()
    world.db.check_messages = False
    yield world
    for message in world.messages():
        if message.key != COMMANDS:
            check_renders(message)


def admin(user_id: int = ADMIN) -> Actor:
    return Actor.admin(user_id)


async def test_an_appointed_user_becomes_an_admin_is_told_and_gets_the_admin_menu(world: World) -> None:
    user = await appoint_admin(world.svc, actor=admin(), user_id=STRANGER)

    assert user.is_admin and world.db.get("users", STRANGER).is_admin
    assert world.sent(STRANGER) == ["admin.notify.appointed", COMMANDS]
    assert world.message(STRANGER, COMMANDS).args["roles"] == ["buyer", "admin"]
    [event] = world.audit("admin", STRANGER)
    assert (event.src, event.dst, event.actor_id, event.actor_role) == ("user", "admin", ADMIN, ActorRole.ADMIN)
    # and may now act as one
    shop = world.add_shop(status=ShopStatus.PENDING_REVIEW)
    assert (await approve_shop(world.svc, actor=admin(STRANGER), shop_id=shop.id)).status is ShopStatus.AWAITING_DEPOSIT


async def test_a_merchant_appointed_keeps_the_merchant_menu(world: World) -> None:
    world.add_shop()
    await appoint_admin(world.svc, actor=admin(), user_id=MERCHANT)
    assert world.message(MERCHANT, COMMANDS).args["roles"] == ["buyer", "merchant", "admin"]


@pytest.mark.parametrize("actor", [Actor.buyer(STRANGER), Actor.admin(STRANGER), Actor.merchant(ADMIN)])
async def test_only_admins_appoint(world: World, actor: Actor) -> None:
    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await appoint_admin(world.svc, actor=actor, user_id=STRANGER)


@pytest.mark.parametrize(
    ("target", "code"),
    [(404404, ErrorCode.NOT_FOUND), (APPOINTED_ADMIN, ErrorCode.ALREADY_DONE), (ADMIN, ErrorCode.ALREADY_DONE)],
)
async def test_appointing_someone_unknown_or_already_admin_changes_nothing(
    world: World, target: int, code: ErrorCode
) -> None:
    with refused_unchanged(world, code):
        await appoint_admin(world.svc, actor=admin(APPOINTED_ADMIN), user_id=target)


async def test_a_removed_admin_loses_the_rights_and_the_menu(world: World) -> None:
    shop = world.add_shop()

    await remove_admin(world.svc, actor=admin(), user_id=APPOINTED_ADMIN)

    assert not world.db.get("users", APPOINTED_ADMIN).is_admin
    assert world.sent(APPOINTED_ADMIN) == ["admin.notify.removed", COMMANDS]
    assert world.message(APPOINTED_ADMIN, COMMANDS).args["roles"] == ["buyer"]
    [event] = world.audit("admin", APPOINTED_ADMIN)
    assert (event.src, event.dst) == ("admin", "user")
    with refused(ErrorCode.FORBIDDEN):
        await suspend_shop(world.svc, actor=admin(APPOINTED_ADMIN), shop_id=shop.id, reason="test")


async def test_the_admins_from_the_settings_cannot_be_removed(world: World) -> None:
    with refused_unchanged(world, ErrorCode.CANNOT_REMOVE_ROOT_ADMIN):
        await remove_admin(world.svc, actor=admin(APPOINTED_ADMIN), user_id=ADMIN)


async def test_removing_a_non_admin_is_already_done_and_a_non_admin_cannot_remove(world: World) -> None:
    with refused_unchanged(world, ErrorCode.ALREADY_DONE):
        await remove_admin(world.svc, actor=admin(), user_id=BUYER)
    with refused_unchanged(world, ErrorCode.FORBIDDEN):
        await remove_admin(world.svc, actor=Actor.admin(BUYER), user_id=APPOINTED_ADMIN)


async def test_the_admin_list_shows_settings_admins_first_and_marks_them(world: World) -> None:
    entries = await list_admins(world.svc, actor=admin(APPOINTED_ADMIN))

    assert [(e.user_id, e.root) for e in entries] == [(ADMIN, True), (APPOINTED_ADMIN, False)]
    assert entries[1].name == f"user{APPOINTED_ADMIN}"
    with refused(ErrorCode.FORBIDDEN):
        await list_admins(world.svc, actor=Actor.admin(BUYER))


async def test_candidates_are_recent_users_who_are_not_admins(world: World) -> None:
    stub = StubStats()
    now = world.clock.now()
    stub.users = [
        UserSummary(STRANGER, "Stranger", None, False, now),
        UserSummary(APPOINTED_ADMIN, "Appointed", None, True, now),
        UserSummary(ADMIN, "Root", None, False, now),
        UserSummary(BUYER, "Buyer", "buyer", False, now),
    ]

    candidates = await admin_candidates(with_stats(world, stub), actor=admin())

    assert [user.id for user in candidates] == [STRANGER, BUYER]
    with refused(ErrorCode.FORBIDDEN):
        await admin_candidates(with_stats(world, stub), actor=Actor.admin(STRANGER))


async def test_the_audit_log_lists_admin_actions_newest_first_in_pages(world: World) -> None:
    shop = world.add_shop()
    await suspend_shop(world.svc, actor=admin(), shop_id=shop.id, reason="late parcels")
    world.clock.advance(timedelta(minutes=1))
    await appoint_admin(world.svc, actor=admin(), user_id=STRANGER)
    world.clock.advance(timedelta(minutes=1))
    await world.paid_order(world.add_product(world.add_shop(name="Other", owner_id=STRANGER)))  # buyer's, not listed

    first = await audit_log(world.svc, actor=admin(STRANGER), limit=1)
    second = await audit_log(world.svc, actor=admin(STRANGER), offset=1, limit=1)

    assert [(e.entity, e.dst) for e in first.events] == [("admin", "admin")] and first.has_more
    assert [(e.entity, e.dst, e.reason) for e in second.events] == [("shop", "suspended", "late parcels")]
    assert not second.has_more
    with refused(ErrorCode.FORBIDDEN):
        await audit_log(world.svc, actor=Actor.buyer(BUYER))
