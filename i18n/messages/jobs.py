"""Texts sent by the scheduled jobs: the merchant digest, failed refunds, the fallback command menu."""

MESSAGES: dict[str, tuple[str, str]] = {
    "jobs.digest": (
        "📋 <b>{shop}</b> — due tomorrow ({day} UTC)\n"
        "📦 Orders to ship: {ship_count} {ship_ids}\n"
        "💬 Tickets to answer: {answer_count} {answer_ids}\n"
        "↩️ Returns to confirm: {receive_count} {receive_ids}\n"
        "Past the deadline, unshipped orders are cancelled and refunded, unanswered tickets are approved and "
        "unconfirmed returns are refunded automatically.",
        "📋 <b>{shop}</b> — 明日({day} UTC)到期事项\n"
        "📦 待发货订单:{ship_count} {ship_ids}\n"
        "💬 待处理售后:{answer_count} {answer_ids}\n"
        "↩️ 待确认退货:{receive_count} {receive_ids}\n"
        "逾期未发货的订单将自动取消并退款,未处理的售后将自动同意,未确认的退货将自动退款。",
    ),
    "jobs.refund_failed": (
        "⚠️ Refund #{refund_id} of {amount} to user {user_id} (order #{order_id}) failed and needs manual "
        "handling: {error}",
        "⚠️ 退款 #{refund_id}({amount},用户 {user_id},订单 #{order_id})失败,需要人工处理:{error}",
    ),
    "jobs.menu.start": ("Start and browse", "开始 / 逛逛"),
    "jobs.menu.orders": ("My orders", "我的订单"),
    "jobs.menu.help": ("Help", "帮助"),
    "jobs.menu.language": ("Language", "切换语言"),
    "jobs.menu.shop": ("My shop", "我的店铺"),
    "jobs.menu.admin": ("Administration", "管理后台"),
}
