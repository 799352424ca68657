"""Merchant money: /balance, payouts (the merchant's and the admins' screens), deposit top-ups and returns."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- errors --------------------------------------------------------------------------------------------------
    "error.nothing_to_pay_out": (
        "There is nothing available to pay out yet: a sale becomes available once its after-sales window is over.",
        "暂无可提现金额:订单售后期结束后,货款才会转为可提现。",
    ),
    "error.payout_too_large": (
        "You can ask for at most {available} (you asked for {amount}).",
        "最多可提现 {available}(您申请了 {amount})。",
    ),
    "error.balance_changed": (
        "Your balance changed since this was shown (available now: {available}). Please look at /balance again.",
        "余额在此期间已有变动(当前可提现:{available}),请重新打开 /balance 查看。",
    ),
    "error.deposit_full": (
        "Your deposit holds the full amount: nothing to top up.",
        "您的保证金已足额,无需补缴。",
    ),
    # --- the command menu and the dashboard ----------------------------------------------------------------------
    "menu.merchant.balance": ("Your money: balance, payouts, deposit", "资金:余额、提现与保证金"),
    "merchant.btn.balance": ("💰 Balance", "💰 资金"),
    # --- /balance --------------------------------------------------------------------------------------------------
    "merchant.money.title": (
        "💰 <b>{name}</b> ({status})\n\n"
        "⏳ Pending: {pending}\n<i>completed orders still inside their after-sales window</i>\n"
        "✅ Available: {available}\n"
        "🛡 Deposit: {deposit} of {required} required\n"
        "💸 Payouts being paid: {payouts}",
        "💰 <b>{name}</b>({status})\n\n"
        "⏳ 待结算:{pending}\n<i>已完成但仍在售后期内的订单</i>\n"
        "✅ 可提现:{available}\n"
        "🛡 保证金:{deposit}(应缴 {required})\n"
        "💸 提现处理中:{payouts}",
    ),
    "merchant.money.top_up_due": (
        "⚠️ Your deposit is {missing} short of the {required} your shop must hold. Please top it up.",
        "⚠️ 您的保证金比应缴的 {required} 少 {missing},请补缴。",
    ),
    "merchant.money.history_title": (
        "<b>History</b> ({total}, newest first)",
        "<b>资金明细</b>(共 {total} 条,最新在前)",
    ),
    "merchant.money.no_history": ("No money has moved yet.", "暂无资金变动。"),
    "merchant.money.history_line": ("• {at} — {what}", "• {at} — {what}"),
    "merchant.money.history.charge_received": ("Payment received: {change}", "收到付款:{change}"),
    "merchant.money.history.refund_to_charge": ("Order #{order} refunded: {change}", "订单 #{order} 退款:{change}"),
    "merchant.money.history.refund_to_credit": (
        "Order #{order} refunded as store credit: {change}",
        "订单 #{order} 退为买家余额:{change}",
    ),
    "merchant.money.history.credit_spent": ("Store credit spent: {change}", "买家余额支付:{change}"),
    "merchant.money.history.credit_returned": ("Store credit given back: {change}", "买家余额退回:{change}"),
    "merchant.money.history.settlement": (
        "Order #{order} settled: {change} pending",
        "订单 #{order} 已结算:待结算 {change}",
    ),
    "merchant.money.history.release": (
        "Order #{order}: {amount} now available",
        "订单 #{order}:{amount} 转为可提现",
    ),
    "merchant.money.history.deduction": ("Deducted for order #{order}: {change}", "订单 #{order} 扣款:{change}"),
    "merchant.money.history.deposit_paid": ("Deposit paid: {change}", "缴纳保证金:{change}"),
    "merchant.money.history.deposit_topped_up": ("Deposit topped up: {change}", "补缴保证金:{change}"),
    "merchant.money.history.deposit_deducted": (
        "Taken from the deposit for order #{order}: {change}",
        "订单 #{order} 从保证金扣除:{change}",
    ),
    "merchant.money.history.deposit_returned": (
        "Deposit returned as a payout: {amount}",
        "保证金转为提现退还:{amount}",
    ),
    "merchant.money.history.payout_requested": ("Payout #{payout} asked for: {amount}", "申请提现 #{payout}:{amount}"),
    "merchant.money.history.payout_paid": (
        "Payout #{payout} paid: {change} (reference {memo})",
        "提现 #{payout} 已打款:{change}(凭证号 {memo})",
    ),
    "merchant.money.history.opening": ("Opening balance: {change}", "期初余额:{change}"),
    "merchant.money.btn.payout": ("💸 Request a payout", "💸 申请提现"),
    "merchant.money.btn.top_up": ("🛡 Top up deposit ({amount})", "🛡 补缴保证金({amount})"),
    "merchant.money.btn.dashboard": ("🏪 Dashboard", "🏪 店铺工作台"),
    "merchant.money.btn.balance": ("💰 Balance", "💰 资金"),
    "merchant.money.top_up_title": ("Deposit top-up: {name}", "补缴保证金:{name}"),
    "merchant.money.top_up_description": (
        "Brings the deposit of {name} back to the {required} it must hold.",
        "将 {name} 的保证金补足至应缴的 {required}。",
    ),
    "merchant.money.top_up_label": ("Deposit top-up", "补缴保证金"),
    # --- asking for a payout -----------------------------------------------------------------------------------
    "merchant.money.how_much": (
        "💸 Available to pay out: {available}.\nHow much would you like to be paid?",
        "💸 可提现:{available}。\n您想提现多少?",
    ),
    "merchant.money.btn.all": ("All of it: {amount}", "全部提现:{amount}"),
    "merchant.money.btn.typed": ("✏️ Another amount", "✏️ 输入金额"),
    "merchant.money.type_amount": (
        "Type the amount to be paid out (at most {available}), or /cancel.",
        "请输入提现金额(最多 {available}),或发送 /cancel 取消。",
    ),
    "merchant.money.confirm_payout": (
        "Ask to be paid <b>{amount}</b> of the {available} available?\n"
        "The platform pays it by bank transfer; you will be told with its reference.",
        "确认申请提现 <b>{amount}</b>(可提现 {available})?\n平台将通过银行转账打款,打款后会通知您并附上凭证号。",
    ),
    "merchant.money.btn.confirm_payout": ("✅ Yes, pay me {amount}", "✅ 确认提现 {amount}"),
    "merchant.money.btn.cancel": ("✖️ Not now", "✖️ 暂不提现"),
    "merchant.money.payout_requested": (
        "✅ Payout #{payout_id} of {amount} asked for. You will be told as soon as it is paid.",
        "✅ 已申请提现 #{payout_id},金额 {amount}。打款后会立即通知您。",
    ),
    "merchant.money.payout_cancelled": ("No payout was asked for.", "未申请提现。"),
    # --- messages ------------------------------------------------------------------------------------------------
    "notify.btn.open_payout": ("💸 Open payout", "💸 查看提现"),
    "notify.btn.balance": ("💰 Balance", "💰 资金"),
    "notify.payout.earnings.admin": (
        "💸 Payout #{payout_id} to make: {amount} to <b>{shop}</b> (shop #{shop_id}).",
        "💸 待打款提现 #{payout_id}:向<b>{shop}</b>(店铺 #{shop_id})支付 {amount}。",
    ),
    "notify.payout.deposit.admin": (
        "🛡 Payout #{payout_id} to make: the deposit of the closed shop <b>{shop}</b> (shop #{shop_id}), {amount}.",
        "🛡 待打款提现 #{payout_id}:退还已关闭店铺<b>{shop}</b>(店铺 #{shop_id})的保证金 {amount}。",
    ),
    "notify.payout.earnings.paid": (
        "✅ Payout #{payout_id} of {amount} has been paid.\nReference: <code>{reference}</code>",
        "✅ 提现 #{payout_id}({amount})已打款。\n凭证号:<code>{reference}</code>",
    ),
    "notify.payout.deposit.paid": (
        "✅ Your deposit of {amount} has been paid back (payout #{payout_id}).\nReference: <code>{reference}</code>",
        "✅ 您的保证金 {amount} 已退还(提现 #{payout_id})。\n凭证号:<code>{reference}</code>",
    ),
    "notify.deposit.refunded": (
        "Your payment of {amount} could not be used as the deposit for <b>{name}</b> and is being refunded.",
        "您支付的 {amount} 无法作为<b>{name}</b>的保证金,款项将原路退回。",
    ),
    "notify.deposit.topped_up": (
        "🛡 Deposit topped up by {amount}: it now holds {held} of the {required} required.",
        "🛡 已补缴保证金 {amount}:当前 {held},应缴 {required}。",
    ),
    "notify.deposit.returning": (
        "🛡 The after-sales of your closed shop <b>{name}</b> are over: its deposit of {amount} is being paid back "
        "to you (payout #{payout_id}). You will be told when it is paid.",
        "🛡 您已关闭的店铺<b>{name}</b>售后期已全部结束,保证金 {amount} 正在退还给您(提现 #{payout_id}),"
        "打款后会通知您。",
    ),
    # --- the admins' payouts -------------------------------------------------------------------------------------
    "admin.btn.payouts": ("💸 Payouts", "💸 提现打款"),
    "admin.btn.mark_paid": ("✅ Mark paid", "✅ 标记已打款"),
    "admin.btn.confirm_paid": ("✅ Yes, it is paid", "✅ 确认已打款"),
    "admin.payouts.empty": ("💸 No payouts to make.", "💸 暂无待打款的提现。"),
    "admin.payouts.title": (
        "💸 <b>Payouts to make</b>: {total}, oldest first.",
        "💸 <b>待打款提现</b>:{total} 笔,最早的在前。",
    ),
    "admin.payouts.item": ("#{payout_id} · {shop} · {amount}", "#{payout_id} · {shop} · {amount}"),
    "admin.payout.page.earnings": (
        "💸 <b>Payout #{payout_id}</b>: {amount}\nShop: <b>{shop}</b> (#{shop_id}), owner {owner_id}\n"
        "Asked for: {requested_at}\nPay it by bank transfer, then mark it paid with the transfer's reference.",
        "💸 <b>提现 #{payout_id}</b>:{amount}\n店铺:<b>{shop}</b>(#{shop_id}),店主 {owner_id}\n"
        "申请时间:{requested_at}\n请通过银行转账打款,然后填写转账凭证号标记为已打款。",
    ),
    "admin.payout.page.deposit": (
        "🛡 <b>Payout #{payout_id}</b>: the deposit of the closed shop <b>{shop}</b> (#{shop_id}), {amount}\n"
        "Owner {owner_id}, since {requested_at}\nPay it by bank transfer, then mark it paid with the reference.",
        "🛡 <b>提现 #{payout_id}</b>:退还已关闭店铺<b>{shop}</b>(#{shop_id})的保证金 {amount}\n"
        "店主 {owner_id},自 {requested_at}\n请通过银行转账打款,然后填写凭证号标记为已打款。",
    ),
    "admin.payout.paid": (
        "✅ Paid {at} by admin {by}, reference <code>{reference}</code>.",
        "✅ 已于 {at} 由管理员 {by} 打款,凭证号 <code>{reference}</code>。",
    ),
    "admin.payout.ask_reference": (
        "Type the bank or transfer reference of payout #{payout_id} ({amount}), or /cancel.",
        "请输入提现 #{payout_id}({amount})的银行转账凭证号,或发送 /cancel 取消。",
    ),
    "admin.payout.confirm": (
        "Mark payout #{payout_id} paid with the reference <code>{reference}</code>?\nThe merchant is then told.",
        "确认以凭证号 <code>{reference}</code> 将提现 #{payout_id} 标记为已打款?\n随后将通知商家。",
    ),
    "admin.payout.done": (
        "✅ Payout #{payout_id} of {amount} marked paid (reference <code>{reference}</code>); the merchant is told.",
        "✅ 提现 #{payout_id}({amount})已标记为已打款(凭证号 <code>{reference}</code>),已通知商家。",
    ),
    "admin.payout.already_paid": (
        "ℹ️ Payout #{payout_id} was already marked paid by another admin (reference <code>{reference}</code>). "
        "Nothing was changed.",
        "ℹ️ 提现 #{payout_id} 已由其他管理员标记为已打款(凭证号 <code>{reference}</code>),未做任何更改。",
    ),
    "admin.payout.cancelled": ("The payout was not marked paid.", "未标记打款。"),
}
