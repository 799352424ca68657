"""The command menu each role sees (setMyCommands): buyers by default, merchants, staff and admins per chat.

Everyone is a buyer; a merchant's, a staff member's and an admin's menus lead with their own commands and keep the
buyer's ones after them. A staff member's commands are those the table lets their role use (``staff_commands``).
No two roles share a command name: ``/orders`` is always what the user bought, ``/shop_orders`` the shop's orders,
so a buyer who is also a merchant reaches both. (Were a name shared, the higher role's entry would be shown.)
"""

from __future__ import annotations

from collections.abc import Iterable

from telegram import Bot, BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeChat, BotCommandScopeDefault

from domain.authorization import Action, staff_may
from domain.staff import StaffRole
from i18n import LANGUAGES, t

BUYER_COMMANDS = (
    *("start", "search", "cart", "orders", "favourites", "recent", "wallet", "my_coupons", "tickets"),
    *("help", "language", "timezone", "open_shop"),
)
MERCHANT_COMMANDS = (
    "shop",
    "products",
    "add_product",
    "import_products",
    "imports",
    "shop_orders",
    "tickets",
    "reviews",
    "promotions",
    "group_buy",
    "shipping",
    "coupons",
    "stats",
    "balance",
    "notifications",
    "staff",
)
ADMIN_COMMANDS = ("admin", "platform_coupons", "product_changes")
# A staff member's (子账号) commands, each with the action of the table it needs: a role's menu has those its
# party may take (``staff_may``), so the menu never offers what the shop would refuse them.
STAFF_COMMAND_ACTIONS: dict[str, Action] = {
    "shop": Action.VIEW_STATS,
    "shop_orders": Action.VIEW_ORDER,
    "tickets": Action.VIEW_TICKET,
    "reviews": Action.REPLY_REVIEW,
    "stats": Action.VIEW_STATS,
}


def staff_commands(role: StaffRole) -> tuple[str, ...]:
    """The commands of a staff role's menu (and of its /help section)."""
    return tuple(name for name, action in STAFF_COMMAND_ACTIONS.items() if staff_may(role, action))


GROUP_COMMANDS = ("link_shop",)  # what the menu offers in group chats: make this group the shop's chat

# A merchant already has their shop; the buyer's "open a shop" entry would only confuse them.
HIDDEN_FOR: dict[str, frozenset[str]] = {"merchant": frozenset({"open_shop"})}

# Highest role first: its commands lead the menu.
ROLE_COMMANDS: dict[str, tuple[str, ...]] = {
    "admin": ADMIN_COMMANDS,
    "merchant": MERCHANT_COMMANDS,
    **{role.menu_role: staff_commands(role) for role in StaffRole},
    "buyer": BUYER_COMMANDS,
}
# Where a command's description is: staff read "the shop you work in", not "your shop".
DESCRIBED_AS = {role.menu_role: "staff" for role in StaffRole}


def commands_for(roles: Iterable[str], lang: str) -> list[BotCommand]:
    """The menu for someone with ``roles`` ('buyer', 'merchant', 'staff_orders' …, 'admin'), described in ``lang``."""
    held = {str(role) for role in roles} | {"buyer"}
    menu: list[BotCommand] = []
    seen: set[str] = set().union(*(HIDDEN_FOR.get(role, frozenset()) for role in held))
    for role, names in ROLE_COMMANDS.items():
        if role not in held:
            continue
        for name in names:
            if name in seen:
                continue
            seen.add(name)
            menu.append(BotCommand(name, t(lang, f"menu.{DESCRIBED_AS.get(role, role)}.{name}")))
    return menu


async def install_default_menus(bot: Bot) -> None:
    """At start-up: the buyer's menu for everyone, in each language Telegram may report for a user; in group chats,
    the command that links a group to a shop."""
    await bot.set_my_commands(commands_for({"buyer"}, "en"), scope=BotCommandScopeDefault())
    for lang in LANGUAGES:
        await bot.set_my_commands(commands_for({"buyer"}, lang), scope=BotCommandScopeDefault(), language_code=lang)
    groups = BotCommandScopeAllGroupChats()
    await bot.set_my_commands(group_commands("en"), scope=groups)
    for lang in LANGUAGES:
        await bot.set_my_commands(group_commands(lang), scope=groups, language_code=lang)


def group_commands(lang: str) -> list[BotCommand]:
    return [BotCommand(name, t(lang, f"menu.group.{name}")) for name in GROUP_COMMANDS]


async def refresh_menu(bot: Bot, chat_id: int, roles: Iterable[str], lang: str) -> None:
    """This chat's own menu, e.g. right after its shop opened or its language changed."""
    await bot.set_my_commands(commands_for(roles, lang), scope=BotCommandScopeChat(chat_id))
