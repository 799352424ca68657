"""Texts of the conversation machinery."""

MESSAGES: dict[str, tuple[str, str]] = {
    "flow.cancelled": ("Cancelled. Nothing was saved.", "已取消,未保存任何内容。"),
    "flow.nothing_to_cancel": ("There is nothing to cancel.", "当前没有可以取消的操作。"),
    "flow.not_understood": (
        "I didn't understand that. Use the menu below or /help to see what I can do.",
        "没看懂您的意思。请使用下方菜单,或发送 /help 查看可用功能。",
    ),
}
