"""Refunds a payment provider makes (admin tasks) and the payer's messages about them."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the payer ---
    "notify.refund.provider_pending": (
        "💳 Your payment of {amount} (refund #{refund_id}, order #{order_id}) is being refunded by the payment "
        "provider. We will tell you when it has been refunded.",
        "💳 您支付的 {amount}(退款 #{refund_id},订单 #{order_id})正在由支付服务商退款,退款完成后我们会通知您。",
    ),
    "notify.refund.provider_done": (
        "💳 Refund #{refund_id} (order #{order_id}): the payment provider has refunded {amount} to you. "
        "Reference: <code>{reference}</code>",
        "💳 退款 #{refund_id}(订单 #{order_id}):支付服务商已向您退回 {amount}。参考号:<code>{reference}</code>",
    ),
    # --- admins ---
    "admin.btn.provider_refunds": ("💳 Provider refunds ({count})", "💳 支付服务商退款({count})"),
    "admin.provider_refunds.title": (
        "💳 <b>Provider refunds to make</b>: {total}\nPayments made through a payment provider cannot be refunded "
        "by the bot: refund each in the provider's back office, then mark it done here with its reference.",
        "💳 <b>待处理的支付服务商退款</b>:{total}\n通过支付服务商支付的款项无法由机器人退款:请在服务商后台退款后,"
        "在此填写参考号并标记完成。",
    ),
    "admin.provider_refunds.empty": ("💳 No provider refunds waiting.", "💳 暂无待处理的支付服务商退款。"),
    "admin.provider_refunds.item": (
        "#{refund_id} · {amount} · order #{order_id}",
        "#{refund_id} · {amount} · 订单 #{order_id}",
    ),
    "admin.provider_refund.page": (
        "💳 <b>Refund #{refund_id}</b> — {status}\nAmount: <b>{amount}</b>\nOrder: #{order_id}\n"
        "Buyer: {buyer} (id {buyer_id})\nProvider charge id: <code>{provider_charge_id}</code>\n"
        "Telegram charge id: <code>{charge_id}</code>\nOwed since: {created}",
        "💳 <b>退款 #{refund_id}</b> — {status}\n金额:<b>{amount}</b>\n订单:#{order_id}\n"
        "买家:{buyer}(ID {buyer_id})\n服务商交易号:<code>{provider_charge_id}</code>\n"
        "Telegram 交易号:<code>{charge_id}</code>\n应退时间:{created}",
    ),
    "admin.provider_refund.status.pending": ("waiting", "待处理"),
    "admin.provider_refund.status.done": ("✅ done", "✅ 已完成"),
    "admin.provider_refund.status.failed": ("failed", "失败"),
    "admin.btn.provider_refund_done": ("✅ Refunded — enter the reference", "✅ 已退款 — 填写参考号"),
    "admin.btn.provider_refund_confirm": ("✅ Yes, mark it refunded", "✅ 确认已退款"),
    "admin.btn.provider_refunds_list": ("💳 Provider refunds", "💳 服务商退款"),
    "admin.provider_refund.ask_reference": (
        "Send the payment provider's reference for refund #{refund_id} ({amount}). /cancel to stop.",
        "请发送退款 #{refund_id}({amount})的支付服务商参考号。发送 /cancel 取消。",
    ),
    "admin.provider_refund.confirm": (
        "Mark refund #{refund_id} of {amount} (order #{order_id}) as refunded by the payment provider, with "
        "reference <code>{reference}</code>? The buyer will be told. (Send another text to change the reference.)",
        "确认将退款 #{refund_id}({amount},订单 #{order_id})标记为支付服务商已退款,参考号 <code>{reference}</code>?"
        "将通知买家。(发送其他文字可修改参考号。)",
    ),
    "admin.provider_refund.no_reference": (
        "Type the reference first: press the refund's button again.",
        "请先填写参考号:再次点击该退款的按钮。",
    ),
    "admin.provider_refund.done": (
        "✅ Refund #{refund_id} of {amount} is marked refunded (reference <code>{reference}</code>). The buyer has "
        "been told.",
        "✅ 退款 #{refund_id}({amount})已标记为已退款(参考号 <code>{reference}</code>),已通知买家。",
    ),
    "admin.provider_refund.already_done": (
        "Refund #{refund_id} was already marked refunded (at {done_at}), by another admin or earlier.",
        "退款 #{refund_id} 已被标记为已退款({done_at}),可能是其他管理员或您之前操作的。",
    ),
    "admin.provider_refund.already_done_toast": ("Already marked refunded", "已标记为已退款"),
    "admin.provider_refund.cancelled": ("Nothing was marked.", "未做任何标记。"),
}
