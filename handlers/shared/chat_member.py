"""Telegram tells the bot when a user blocks it (``my_chat_member``, status kicked): stop sending to them; and when
it is removed from a group chat (kicked or left): a shop's link to that group goes. Added to a group, it says how
the shop's owner links it (``/link_shop``).

The outbox then skips whatever is still queued for them; the next message they send makes them reachable again
(the update middleware registers every sender afresh).
"""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.ext import Application, ChatMemberHandler

from domain.usecases.staff import group_left
from domain.usecases.users import mark_unreachable
from handlers.common.deps import Context, services
from handlers.common.reply import send, text

log = logging.getLogger(__name__)
_OUTSIDE = (ChatMember.BANNED, ChatMember.LEFT)


async def bot_membership_changed(update: Update, context: Context) -> None:
    """Blocked in a private chat: mark the user unreachable. Removed from (or left) a group: a shop linked to it is
    unlinked (domain/usecases/staff.py)."""
    change = update.my_chat_member
    if change is None:
        return
    joined = change.new_chat_member.status in (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)
    if joined and change.chat.type != ChatType.PRIVATE and change.old_chat_member.status in _OUTSIDE:
        await send(update, context, text(context, "staff.group_hello"))  # how to make it the shop's chat
        return
    if change.new_chat_member.status not in _OUTSIDE:
        return
    if change.chat.type != ChatType.PRIVATE:
        unlinked = await group_left(services(context), chat_id=change.chat.id)
        log.info("removed from chat %s (a shop's group chat: %s); nothing is sent there", change.chat.id, unlinked)
        return
    if change.new_chat_member.status != ChatMember.BANNED:
        return
    await mark_unreachable(services(context), user_id=change.chat.id)


def register(app: Application) -> None:
    app.add_handler(ChatMemberHandler(bot_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER))
