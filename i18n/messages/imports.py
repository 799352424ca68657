"""Product imports as background jobs (/import_products, /imports): progress, results, the list and a job's page.

Keys ending in ``.one`` / ``.other`` are plural-aware: ``t(lang, "merchant.imports.done", count=n)`` picks the form.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "merchant.imports.started.one": (
        "📥 <b>{file}</b>: importing 1 row in the background. You can go on using the bot; "
        "this message shows how far it got. /imports lists your imports.",
        "📥 <b>{file}</b>:正在后台导入 1 行。您可以继续使用机器人,本消息会显示进度。发送 /imports 查看导入记录。",
    ),
    "merchant.imports.started.other": (
        "📥 <b>{file}</b>: importing {count} rows in the background. You can go on using the bot; "
        "this message shows how far it got. /imports lists your imports.",
        "📥 <b>{file}</b>:正在后台导入 {count} 行。您可以继续使用机器人,本消息会显示进度。发送 /imports 查看导入记录。",
    ),
    "merchant.imports.already": (
        "ℹ️ You sent this file before (import #{job}); it is not imported again.",
        "ℹ️ 这个文件之前已经发送过(导入 #{job}),不会重复导入。",
    ),
    "merchant.imports.progress.one": (
        "⏳ <b>{file}</b>: {done} of 1 row checked, {imported} added…",
        "⏳ <b>{file}</b>:已检查 {done} / 1 行,已添加 {imported} 个商品…",
    ),
    "merchant.imports.progress.other": (
        "⏳ <b>{file}</b>: {done} of {count} rows checked, {imported} added…",
        "⏳ <b>{file}</b>:已检查 {done} / {count} 行,已添加 {imported} 个商品…",
    ),
    "merchant.imports.done.one": (
        "✅ <b>{file}</b>: 1 product added from {rows} rows. See it in /products.",
        "✅ <b>{file}</b>:已从 {rows} 行中添加 1 个商品。可在 /products 中查看。",
    ),
    "merchant.imports.done.other": (
        "✅ <b>{file}</b>: {count} products added from {rows} rows. See them in /products.",
        "✅ <b>{file}</b>:已从 {rows} 行中添加 {count} 个商品。可在 /products 中查看。",
    ),
    "merchant.imports.stopped.one": (
        "⏹ <b>{file}</b>: stopped after {done} of {rows} rows. The 1 product added stays in your shop.",
        "⏹ <b>{file}</b>:已在第 {done} / {rows} 行处停止。已添加的 1 个商品保留在店铺中。",
    ),
    "merchant.imports.stopped.other": (
        "⏹ <b>{file}</b>: stopped after {done} of {rows} rows. The {count} products added stay in your shop.",
        "⏹ <b>{file}</b>:已在第 {done} / {rows} 行处停止。已添加的 {count} 个商品保留在店铺中。",
    ),
    "merchant.imports.failed.one": (
        "❌ <b>{file}</b>: the import ended because your shop can no longer take new products. "
        "The 1 product added before stays.",
        "❌ <b>{file}</b>:店铺目前无法添加新商品,导入已终止。之前添加的 1 个商品保留。",
    ),
    "merchant.imports.failed.other": (
        "❌ <b>{file}</b>: the import ended because your shop can no longer take new products. "
        "The {count} products added before stay.",
        "❌ <b>{file}</b>:店铺目前无法添加新商品,导入已终止。之前添加的 {count} 个商品保留。",
    ),
    "merchant.imports.refused.one": ("⚠️ 1 row was not imported.", "⚠️ 有 1 行未导入。"),
    "merchant.imports.refused.other": ("⚠️ {count} rows were not imported.", "⚠️ 有 {count} 行未导入。"),
    # the notice through the outbox when a job ends (``count``: products added)
    "merchant.imports.finished.done.one": (
        "✅ Import of <b>{file}</b> finished: 1 product added from {rows} rows; rows refused: {refused}.",
        "✅ <b>{file}</b> 导入完成:已从 {rows} 行中添加 1 个商品;未导入的行数:{refused}。",
    ),
    "merchant.imports.finished.done.other": (
        "✅ Import of <b>{file}</b> finished: {count} products added from {rows} rows; rows refused: {refused}.",
        "✅ <b>{file}</b> 导入完成:已从 {rows} 行中添加 {count} 个商品;未导入的行数:{refused}。",
    ),
    "merchant.imports.finished.failed.one": (
        "❌ Import of <b>{file}</b> ended: your shop can no longer take new products (1 was added before).",
        "❌ <b>{file}</b> 导入已终止:店铺目前无法添加新商品(之前已添加 1 个)。",
    ),
    "merchant.imports.finished.failed.other": (
        "❌ Import of <b>{file}</b> ended: your shop can no longer take new products ({count} were added before).",
        "❌ <b>{file}</b> 导入已终止:店铺目前无法添加新商品(之前已添加 {count} 个)。",
    ),
    # the list and a job's page
    "merchant.imports.title.one": ("📥 <b>Your imports</b> (1)", "📥 <b>导入记录</b>(共 1 次)"),
    "merchant.imports.title.other": ("📥 <b>Your imports</b> ({count})", "📥 <b>导入记录</b>(共 {count} 次)"),
    "merchant.imports.none": (
        "📥 No imports yet. /import_products adds many products from a CSV file.",
        "📥 还没有导入记录。发送 /import_products 可从 CSV 文件批量添加商品。",
    ),
    "merchant.imports.item": (
        "#{job} · {created} · {status}\n<b>{file}</b>: {imported} added, {refused} refused, {done}/{rows} rows",
        "#{job} · {created} · {status}\n<b>{file}</b>:已添加 {imported},未导入 {refused},进度 {done}/{rows} 行",
    ),
    "merchant.imports.errors_header.one": ("Refused row:", "未导入的行:"),
    "merchant.imports.errors_header.other": ("Refused rows ({count}):", "未导入的行(共 {count} 行):"),
    "merchant.imports.errors_more.one": ("…and 1 more.", "……还有 1 行。"),
    "merchant.imports.errors_more.other": ("…and {count} more.", "……还有 {count} 行。"),
    "merchant.imports.errors_file_caption.one": (
        "The refused row of {file} with its reason.",
        "{file} 中未导入的 1 行及原因。",
    ),
    "merchant.imports.errors_file_caption.other": (
        "All {count} refused rows of {file} with their reasons.",
        "{file} 中全部 {count} 行未导入的原因。",
    ),
    "merchant.imports.no_errors": ("Every row was imported.", "所有行均已导入。"),
    "merchant.imports.btn.stop": ("⏹ Stop", "⏹ 停止"),
    "merchant.imports.btn.view": ("📋 Details", "📋 详情"),
    "merchant.imports.btn.list": ("📥 Imports", "📥 导入记录"),
    "merchant.imports.btn.errors": ("📄 Refused rows as a file", "📄 下载未导入的行"),
    "merchant.imports.btn.refresh": ("🔄 Refresh", "🔄 刷新"),
    "enum.ImportStatus.running": ("⏳ running", "⏳ 进行中"),
    "enum.ImportStatus.done": ("✅ done", "✅ 已完成"),
    "enum.ImportStatus.stopped": ("⏹ stopped", "⏹ 已停止"),
    "enum.ImportStatus.failed": ("❌ ended", "❌ 已终止"),
}
