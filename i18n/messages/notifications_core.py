"""Texts of the notifications the core use cases queue (shops, orders, payments, group buys) and their buttons."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- buttons on notifications ------------------------------------------------------------------------------
    "notify.btn.approve": ("✅ Approve", "✅ 通过"),
    "notify.btn.reject": ("❌ Reject", "❌ 驳回"),
    "notify.btn.pay_deposit": ("💰 Pay deposit", "💰 缴纳保证金"),
    "notify.btn.accept": ("✅ Accept", "✅ 接单"),
    "notify.btn.decline": ("✖️ Decline", "✖️ 拒单"),
    "notify.btn.ship": ("🚚 Ship", "🚚 发货"),
    "notify.btn.track": ("📍 Track", "📍 查看物流"),
    "notify.btn.confirm": ("📦 Confirm receipt", "📦 确认收货"),
    "notify.btn.review": ("⭐ Write a review", "⭐ 去评价"),
    "notify.btn.pay": ("💳 Pay now", "💳 立即付款"),
    # --- shops -----------------------------------------------------------------------------------------------------
    "notify.shop.applied.admin": (
        "🏪 <b>New shop application</b> #{shop_id}\n"
        "Name: <b>{name}</b>\nType: {shop_type}\nScope: {business_scope}\nPhone: {phone}\n"
        "Applicant: user {owner_id} · {documents} document(s)",
        "🏪 <b>新的开店申请</b> #{shop_id}\n"
        "店铺名称:<b>{name}</b>\n类型:{shop_type}\n经营范围:{business_scope}\n联系电话:{phone}\n"
        "申请人:用户 {owner_id} · 资质文件 {documents} 份",
    ),
    "notify.shop.approved": (
        "🎉 Your shop <b>{name}</b> was approved! Pay the deposit of <b>{deposit}</b> by {deadline} to open it.",
        "🎉 您的店铺<b>{name}</b>已通过审核!请在 {deadline} 前缴纳保证金 <b>{deposit}</b> 即可开业。",
    ),
    "notify.shop.rejected": (
        "Your application for <b>{name}</b> was not approved.\nReason: {reason}\nYou may correct it and apply again.",
        "您的店铺<b>{name}</b>开店申请未通过。\n原因:{reason}\n修改后可重新申请。",
    ),
    "notify.shop.active": (
        "✅ Deposit received. <b>{name}</b> is open for business — add your first products!",
        "✅ 保证金已到账,<b>{name}</b>正式开业,快去上架商品吧!",
    ),
    "notify.shop.expired": (
        "⌛ The deposit for <b>{name}</b> was not paid in time, so the approval has lapsed. You may apply again.",
        "⌛ <b>{name}</b>未在期限内缴纳保证金,审核结果已失效。您可以重新申请。",
    ),
    "notify.shop.suspended": (
        "⛔ Your shop <b>{name}</b> has been suspended.\nReason: {reason}\n"
        "Its products are hidden; please still handle your open orders.",
        "⛔ 您的店铺<b>{name}</b>已被暂停营业。\n原因:{reason}\n商品已下架展示,请继续处理未完成的订单。",
    ),
    "notify.shop.reinstated": (
        "✅ Your shop <b>{name}</b> is open for business again.\nNote: {reason}",
        "✅ 您的店铺<b>{name}</b>已恢复营业。\n说明:{reason}",
    ),
    "notify.shop.closed": (
        "🔒 Your shop <b>{name}</b> has been closed.\nReason: {reason}",
        "🔒 您的店铺<b>{name}</b>已被关闭。\n原因:{reason}",
    ),
    # --- orders: payment ------------------------------------------------------------------------------------------
    "notify.order.paid.buyer": (
        "✅ Payment received for order #{order_id} ({total}). <b>{shop}</b> will ship it by {ship_by}.",
        "✅ 订单 #{order_id} 已付款({total})。<b>{shop}</b>将在 {ship_by} 前发货。",
    ),
    "notify.order.paid.merchant": (
        "🆕 <b>New paid order #{order_id}</b> — {total}\n{receipt}\nShip to: {address}\nShip by: <b>{ship_by}</b>",
        "🆕 <b>新订单 #{order_id}</b>(已付款)— {total}\n{receipt}\n收货地址:{address}\n发货截止:<b>{ship_by}</b>",
    ),
    "notify.payment.refunded.late": (
        "Your payment of {amount} for order #{order_id} arrived after the order was cancelled. "
        "It is being refunded in full.",
        "您为订单 #{order_id} 支付的 {amount} 到账时订单已取消,款项将全额退回。",
    ),
    "notify.payment.refunded.duplicate": (
        "Order #{order_id} was already paid, so this second payment of {amount} is being refunded.",
        "订单 #{order_id} 已付过款,本次重复支付的 {amount} 将原路退回。",
    ),
    "notify.payment.refunded.mismatch": (
        "Your payment of {amount} did not match order #{order_id} and is being refunded.",
        "您支付的 {amount} 与订单 #{order_id} 不符,款项将原路退回。",
    ),
    "notify.payment.refunded.unknown": (
        "We could not find the order for your payment of {amount}; it is being refunded.",
        "未找到与您支付的 {amount} 对应的订单,款项将原路退回。",
    ),
    "notify.payment.refunded.group_full": (
        "The group filled up just before your payment for order #{order_id} arrived. "
        "Your {amount} is being refunded and the order is cancelled.",
        "您为订单 #{order_id} 付款时该团已满员,订单已取消,{amount} 将原路退回。",
    ),
    "notify.payment.refunded.group_closed": (
        "The group of order #{order_id} had already closed when your payment arrived. "
        "Your {amount} is being refunded and the order is cancelled.",
        "您为订单 #{order_id} 付款时该拼团已结束,订单已取消,{amount} 将原路退回。",
    ),
    "notify.order.remind_pay": (
        "⏰ Order #{order_id} ({total}) is waiting for payment. Pay by {deadline} or it will be cancelled.",
        "⏰ 订单 #{order_id}({total})待付款,请在 {deadline} 前完成支付,否则订单将自动取消。",
    ),
    "notify.order.payment_expired": (
        "Order #{order_id} ({items}) was not paid in time and has been cancelled.",
        "订单 #{order_id}({items})超时未付款,已自动取消。",
    ),
    # --- orders: fulfilment ------------------------------------------------------------------------------------------
    "notify.order.accepted": (
        "👍 <b>{shop}</b> accepted order #{order_id} and will ship it by {ship_by}.",
        "👍 <b>{shop}</b>已接单(订单 #{order_id}),将在 {ship_by} 前发货。",
    ),
    "notify.order.declined": (
        "<b>{shop}</b> could not fulfil order #{order_id}.\nReason: {reason}\nYour {amount} is being refunded.",
        "<b>{shop}</b>无法完成订单 #{order_id}。\n原因:{reason}\n{amount} 将原路退回。",
    ),
    "notify.order.cancelled.merchant": (
        "The buyer cancelled order #{order_id}; {amount} is being refunded to them. Do not ship it.\n{receipt}",
        "买家已取消订单 #{order_id},{amount} 已退还买家,请勿发货。\n{receipt}",
    ),
    "notify.order.cancelled.shop_closed": (
        "Order #{order_id} was cancelled because <b>{shop}</b> has closed. Your {amount} is being refunded.",
        "因<b>{shop}</b>已关店,订单 #{order_id} 已取消,{amount} 将原路退回。",
    ),
    "notify.order.cancelled.shop_closed_unpaid": (
        "Order #{order_id} was cancelled because <b>{shop}</b> has closed.",
        "因<b>{shop}</b>已关店,订单 #{order_id} 已取消。",
    ),
    "notify.order.remind_ship": (
        "⏰ Order #{order_id} must be shipped by <b>{ship_by}</b>, or it is cancelled and refunded "
        "and your shop gets a late-shipment mark.",
        "⏰ 订单 #{order_id} 须在 <b>{ship_by}</b> 前发货,逾期将自动取消退款,并记录一次店铺延迟发货。",
    ),
    "notify.order.ship_timeout.buyer": (
        "<b>{shop}</b> did not ship order #{order_id} in time, so it has been cancelled. "
        "Your {amount} is being refunded.",
        "<b>{shop}</b>未在规定时间内发货,订单 #{order_id} 已取消,{amount} 将原路退回。",
    ),
    "notify.order.ship_timeout.merchant": (
        "⚠️ Order #{order_id} was not shipped in time: it is cancelled and {amount} is being refunded to the buyer. "
        "Late shipments on record: {late_shipments}.",
        "⚠️ 订单 #{order_id} 超时未发货,已自动取消,正在向买家退款 {amount}。店铺延迟发货累计:{late_shipments} 次。",
    ),
    "notify.order.shipped": (
        "🚚 <b>{shop}</b> shipped order #{order_id}.\nCarrier: {carrier}\nTracking number: <code>{tracking}</code>\n"
        "Receipt is confirmed automatically on {confirm_by}.",
        "🚚 <b>{shop}</b>已发货(订单 #{order_id})。\n快递公司:{carrier}\n运单号:<code>{tracking}</code>\n"
        "{confirm_by} 将自动确认收货。",
    ),
    "notify.order.tracking_update": (
        "📍 Order #{order_id} ({carrier}): {text}",
        "📍 订单 #{order_id}({carrier}):{text}",
    ),
    "notify.order.completed.buyer": (
        "✅ Order #{order_id} from <b>{shop}</b> is complete. How was it? You can review it until {review_by}.",
        "✅ 订单 #{order_id}(<b>{shop}</b>)已完成。满意吗?{review_by} 前可以发表评价。",
    ),
    "notify.order.auto_completed.buyer": (
        "✅ Order #{order_id} from <b>{shop}</b> was confirmed automatically. You can review it until {review_by}.",
        "✅ 订单 #{order_id}(<b>{shop}</b>)已自动确认收货。{review_by} 前可以发表评价。",
    ),
    "notify.order.completed.merchant": (
        "✅ Order #{order_id} ({total}) is complete.",
        "✅ 订单 #{order_id}({total})已完成。",
    ),
    # --- group buys ---------------------------------------------------------------------------------------------------
    "notify.group.opened": (
        "👥 Your group #{group_id} for <b>{title}</b> is open: {missing} more of {size} needed by {deadline}.\n"
        "Invite friends: they send <code>/start g{group_id}</code> to this bot to join.",
        "👥 您发起的拼团 #{group_id}(<b>{title}</b>)已开团:共 {size} 人,还差 {missing} 人,截止 {deadline}。\n"
        "邀请好友向本机器人发送 <code>/start g{group_id}</code> 即可参团。",
    ),
    "notify.group.joined": (
        "👥 You joined group #{group_id} for <b>{title}</b>. {missing} more needed by {deadline}.",
        "👥 您已参加拼团 #{group_id}(<b>{title}</b>),还差 {missing} 人,截止 {deadline}。",
    ),
    "notify.group.member_joined": (
        "👥 Someone joined your group #{group_id} for <b>{title}</b>: {missing} more to go.",
        "👥 有人加入了您的拼团 #{group_id}(<b>{title}</b>),还差 {missing} 人。",
    ),
    "notify.group.complete": (
        "🎉 Group #{group_id} for <b>{title}</b> is complete! Order #{order_id} will be shipped by {ship_by}.",
        "🎉 拼团 #{group_id}(<b>{title}</b>)已成团!订单 #{order_id} 将在 {ship_by} 前发货。",
    ),
    "notify.group.full_before_payment": (
        "Group #{group_id} for <b>{title}</b> filled up before you paid, so order #{order_id} was cancelled. "
        "You can start a new group.",
        "拼团 #{group_id}(<b>{title}</b>)在您付款前已满员,订单 #{order_id} 已取消。您可以发起新的拼团。",
    ),
    "notify.group.remind": (
        "⏰ Group #{group_id} for <b>{title}</b> still needs {missing} more by {deadline}. Share it with friends!",
        "⏰ 拼团 #{group_id}(<b>{title}</b>)还差 {missing} 人,截止 {deadline},快分享给好友吧!",
    ),
    "notify.group.failed": (
        "Group #{group_id} for <b>{title}</b> did not fill in time. Order #{order_id} is cancelled "
        "and your {amount} is being refunded.",
        "拼团 #{group_id}(<b>{title}</b>)未在期限内成团,订单 #{order_id} 已取消,{amount} 将原路退回。",
    ),
    "notify.group.failed.unpaid": (
        "Group #{group_id} for <b>{title}</b> did not fill in time, so your unpaid order #{order_id} is cancelled.",
        "拼团 #{group_id}(<b>{title}</b>)未在期限内成团,您未付款的订单 #{order_id} 已取消。",
    ),
}
