"""What the sandbox itself (standing in for the Telegram app) tells a user, in the user's language.

Telegram's apps speak the user's language; so do the sandbox's own notices: payment refusals, blocking and
restarting the bot, results posted with inline mode. English, and Chinese for ``zh*`` users.
"""

from __future__ import annotations

from sandbox.state import SimUser

# key -> (English, Chinese)
TEXTS: dict[str, tuple[str, str]] = {
    "payment_declined": ("Payment was declined by the bot", "机器人拒绝了这笔付款。"),
    "already_paid": ("This invoice is already paid", "这张账单已经付过了。"),
    "not_confirmed": ("The bot did not confirm the payment in time", "机器人没有及时确认付款。"),
    "blocked": ("You blocked the bot", "你已屏蔽此机器人。"),
    "restarted": ("You restarted the bot", "你已重新启动此机器人。"),
    "group_created": ("{name} created the group", "{name} 创建了群组"),
    "bot_added": ("{name} added @{bot}", "{name} 添加了 @{bot}"),
    "bot_removed": ("{name} removed @{bot}", "{name} 移除了 @{bot}"),
    "posted": ("You posted “{title}” to {name}'s chat via @{bot}", "你已通过 @{bot} 将“{title}”发到与 {name} 的聊天。"),
}


def is_chinese(user: SimUser) -> bool:
    return (user.language_code or "").lower().startswith("zh")


def say(user: SimUser, key: str, **values: object) -> str:
    english, chinese = TEXTS[key]
    return (chinese if is_chinese(user) else english).format(**values)
