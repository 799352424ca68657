"""Each role's command menu, in both languages, within Telegram's limits."""

from __future__ import annotations

import re
from typing import Any

import pytest
from telegram import BotCommandScopeChat

from handlers.shared.commands import commands_for, install_default_menus, refresh_menu


def names(roles: set[str], lang: str = "en") -> list[str]:
    return [command.command for command in commands_for(roles, lang)]


def test_a_buyer_sees_shopping_commands_and_how_to_open_a_shop() -> None:
    shopping = ["start", "search", "cart", "orders", "favourites", "recent", "wallet", "my_coupons", "tickets"]
    assert names({"buyer"}) == [*shopping, "help", "language", "timezone", "open_shop"]


def test_a_merchant_sees_their_shop_commands_first_and_no_longer_open_shop() -> None:
    menu = names({"buyer", "merchant"})

    shop_commands = [
        "shop", "products", "add_product", "import_products", "imports", "shop_orders", "tickets", "reviews",
        "promotions", "group_buy", "shipping", "coupons", "stats", "balance", "notifications",
        "staff",
    ]  # fmt: skip
    assert menu[: len(shop_commands)] == shop_commands
    assert "open_shop" not in menu and "cart" in menu
    # both order lists, unambiguously: the shop's and their own purchases
    assert menu.count("orders") == 1 and menu.count("shop_orders") == 1


def test_an_admin_gets_the_admin_command_on_top_of_what_they_are() -> None:
    assert names({"admin"})[0] == "admin"
    assert "shop" not in names({"admin"})
    assert names({"admin"})[:3] == ["admin", "platform_coupons", "product_changes"]
    assert names({"admin", "merchant"})[:4] == ["admin", "platform_coupons", "product_changes", "shop"]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("roles", [{"buyer"}, {"merchant"}, {"admin", "merchant"}])
def test_every_entry_is_a_valid_telegram_command_with_a_description(roles: set[str], lang: str) -> None:
    for command in commands_for(roles, lang):
        assert re.fullmatch(r"[a-z0-9_]{1,32}", command.command)
        assert 1 <= len(command.description) <= 256


def test_chinese_descriptions_differ_from_english() -> None:
    english = {c.command: c.description for c in commands_for({"merchant"}, "en")}
    chinese = {c.command: c.description for c in commands_for({"merchant"}, "zh")}

    assert english.keys() == chinese.keys()
    assert english["stats"] != chinese["stats"]


class RecordingBot:
    def __init__(self) -> None:
        self.calls: list[tuple[list[str], Any, str | None]] = []

    async def set_my_commands(self, commands: list[Any], scope: Any = None, language_code: str | None = None) -> bool:
        self.calls.append(([c.command for c in commands], scope, language_code))
        return True


async def test_everyone_starts_with_the_buyer_menu_in_each_language() -> None:
    bot = RecordingBot()

    await install_default_menus(bot)  # type: ignore[arg-type]

    assert {(type(scope).__name__, lang) for _, scope, lang in bot.calls} == {
        ("BotCommandScopeDefault", None),
        ("BotCommandScopeDefault", "en"),
        ("BotCommandScopeDefault", "zh"),
        ("BotCommandScopeAllGroupChats", None),
        ("BotCommandScopeAllGroupChats", "en"),
        ("BotCommandScopeAllGroupChats", "zh"),
    }
    private = [names for names, scope, _ in bot.calls if type(scope).__name__ == "BotCommandScopeDefault"]
    assert all(names[-1] == "open_shop" for names in private)
    assert all(names == ["link_shop"] for names, scope, _ in bot.calls if names not in private)


async def test_a_new_merchant_gets_their_menu_in_their_chat_only() -> None:
    bot = RecordingBot()

    await refresh_menu(bot, 2001, {"buyer", "merchant"}, "zh")  # type: ignore[arg-type]

    [(names, scope, lang)] = bot.calls
    assert names[0] == "shop" and isinstance(scope, BotCommandScopeChat) and scope.chat_id == 2001 and lang is None
