"""Texts of money going back to buyers (refund done, store credit) and of the buyer's wallet (/wallet, 余额)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- told only once it happened ----------------------------------------------------------------------------
    "notify.refund.done": (
        "💸 Refunded: <b>{amount}</b> for order #{order_id} is back on your Telegram Stars balance.",
        "💸 已退款:订单 #{order_id} 的 <b>{amount}</b> 已原路退回您的 Telegram 星星余额。",
    ),
    "notify.refund.done_payment": (
        "💸 Refunded: your payment of <b>{amount}</b> is back on your Telegram Stars balance.",
        "💸 已退款:您支付的 <b>{amount}</b> 已原路退回您的 Telegram 星星余额。",
    ),
    "notify.refund.credited": (
        "💰 <b>{amount}</b> (order #{order_id}) credited to your shop balance. It is spent automatically at your "
        "next checkout; see /wallet.",
        "💰 订单 #{order_id} 的 <b>{amount}</b> 已存入您的商城余额,下次结账时自动抵扣;查看 /wallet。",
    ),
    # --- the wallet -----------------------------------------------------------------------------------------------
    "wallet.title": ("👛 <b>Your shop balance</b>: {balance}", "👛 <b>商城余额</b>:{balance}"),
    "wallet.explain": (
        "Partial refunds land here and are spent automatically at checkout, before the invoice.",
        "部分退款会存入余额,结账时在付款前自动抵扣。",
    ),
    "wallet.empty": ("No movements yet.", "暂无余额变动。"),
    "wallet.history": ("<b>History</b> (page {page} of {pages})", "<b>余额明细</b>(第 {page}/{pages} 页)"),
    "wallet.entry.refund_to_credit": (
        "{date} · +{amount} refund for order #{order_id}",
        "{date} · +{amount} 订单 #{order_id} 退款",
    ),
    "wallet.entry.credit_spent": (
        "{date} · −{amount} paid for order #{order_id}",
        "{date} · −{amount} 支付订单 #{order_id}",
    ),
    "wallet.entry.credit_returned": (
        "{date} · +{amount} back from order #{order_id}",
        "{date} · +{amount} 订单 #{order_id} 退回余额",
    ),
    "wallet.entry.other": ("{date} · {amount}", "{date} · {amount}"),
    "wallet.more": ("More: /wallet 2 … /wallet {pages}", "更多:/wallet 2 … /wallet {pages}"),
    "menu.buyer.wallet": ("Your shop balance (store credit)", "商城余额"),
    # --- receipts: the part of an order paid from the balance ----------------------------------------------------
    "receipt.paid_from_credit": ("Paid from balance −{amount}", "余额抵扣 −{amount}"),
    "receipt.to_pay": ("<b>To pay: {amount}</b>", "<b>还需支付:{amount}</b>"),
    "buyer.invoice.to_pay": ("To pay", "还需支付"),
    "error.credit_changed": (
        "Your shop balance changed since you looked ({balance} now). Please review your order again.",
        "您的商城余额已变动(当前 {balance}),请重新确认订单。",
    ),
    "buyer.order.refunding": ("⏳ {amount} being refunded.", "⏳ {amount} 退款处理中。"),
    "checkout.paid_by_credit": (
        "✅ Order #{order_id} is paid from your shop balance ({amount}); nothing more to pay.",
        "✅ 订单 #{order_id} 已用商城余额支付({amount}),无需再付款。",
    ),
}
