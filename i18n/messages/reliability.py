"""Texts of the safety nets: unknown commands and uploads the bot cannot take."""

MESSAGES: dict[str, tuple[str, str]] = {
    "reliability.unknown_command": (
        "🤔 I don't know the command {command}. Send /help to see what I can do.",
        "🤔 我不认识命令 {command}。发送 /help 查看我能做什么。",
    ),
    "reliability.dead_button": (
        "This button no longer does anything. Send /start for the menu.",
        "该按钮已失效,发送 /start 打开菜单。",
    ),
    "reliability.press_without_message": (
        "This button only works in your chat with me. Open the chat and send /start.",
        "该按钮只能在与我的聊天中使用,请打开聊天并发送 /start。",
    ),
    "reliability.file_too_big": (
        "📎 That file is too big for me ({size_mb} MB). Please send one of at most {max_mb} MB.",
        "📎 文件太大({size_mb} MB),请发送不超过 {max_mb} MB 的文件。",
    ),
}
