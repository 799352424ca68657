"""Telegram's my_chat_member update: the user blocked the bot (marked unreachable), or the bot left a group (a shop's
link to it goes)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from telegram import Chat, ChatMemberBanned, ChatMemberMember, ChatMemberUpdated, Update, User

from domain.staff import ShopGroup
from handlers.shared.chat_member import bot_membership_changed
from tests.fakes import BUYER, World

BOT = User(999, "shopbot", is_bot=True)


def membership_update(chat: Chat, *, blocked: bool) -> Update:
    person = User(BUYER, "buyer", is_bot=False)
    now = datetime.now(UTC)
    old, new = ChatMemberMember(BOT), ChatMemberBanned(BOT, until_date=now)
    if not blocked:
        old, new = new, old
    return Update(1, my_chat_member=ChatMemberUpdated(chat, person, now, old, new))


async def test_blocking_the_bot_marks_the_user_unreachable_and_unblocking_does_not() -> None:
    world = World()
    context = SimpleNamespace(services=world.svc)
    private = Chat(BUYER, Chat.PRIVATE)

    await bot_membership_changed(membership_update(private, blocked=False), context)  # type: ignore[arg-type]
    assert world.db.get("users", BUYER).unreachable is False

    await bot_membership_changed(membership_update(private, blocked=True), context)  # type: ignore[arg-type]
    assert world.db.get("users", BUYER).unreachable is True


async def test_being_removed_from_a_group_marks_no_user() -> None:
    world = World()
    context = SimpleNamespace(services=world.svc)

    await bot_membership_changed(membership_update(Chat(-100, Chat.GROUP), blocked=True), context)  # type: ignore[arg-type]

    assert world.db.get("users", BUYER).unreachable is False


async def test_being_removed_from_a_shops_group_chat_unlinks_it_and_only_it() -> None:
    world = World()
    context = SimpleNamespace(services=world.svc)
    async with world.svc.uow() as uow:
        for chat_id, shop_id in ((-100, 1), (-200, 2)):
            await uow.staff.link_group(ShopGroup(chat_id, shop_id, "Team", 1, datetime.now(UTC)))
        await uow.commit()

    await bot_membership_changed(membership_update(Chat(-100, Chat.GROUP), blocked=True), context)  # type: ignore[arg-type]

    async with world.svc.uow(read_only=True) as uow:
        assert await uow.staff.group(-100) is None
        assert await uow.staff.group_of_shop(2) is not None
