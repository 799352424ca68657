"""Texts of the admin console (/admin) and of the notifications the admin use cases and the shop evaluation send."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the menu -------------------------------------------------------------------------------------------------
    "admin.menu.title": (
        "🛠 <b>Admin console</b>\n"
        "Applications waiting: <b>{pending}</b>\nDisputes waiting: <b>{escalated}</b>\n"
        "Shops open: {active} · suspended: {suspended}",
        "🛠 <b>管理后台</b>\n待审核开店申请:<b>{pending}</b>\n待处理纠纷:<b>{escalated}</b>\n"
        "营业中店铺:{active} · 已暂停:{suspended}",
    ),
    "admin.menu.given_up": (
        "⚠️ Updates given up: <b>{count}</b> (the operator lists them with <code>shopbot updates list</code>)",
        "⚠️ 已放弃处理的更新:<b>{count}</b>(运维可用 <code>shopbot updates list</code> 查看)",
    ),
    "admin.btn.applications": ("📝 Applications ({count})", "📝 开店审核({count})"),
    "admin.btn.shops": ("🏪 Shops", "🏪 店铺管理"),
    "admin.btn.search": ("🔎 Find a shop", "🔎 搜索店铺"),
    "admin.btn.escalations": ("⚖️ Disputes ({count})", "⚖️ 纠纷处理({count})"),
    "admin.btn.stats": ("📊 Platform stats", "📊 平台数据"),
    "admin.btn.evaluate": ("🩺 Shop evaluation", "🩺 店铺评估"),
    "admin.btn.admins": ("👥 Admins", "👥 管理员"),
    "admin.btn.audit": ("📜 Audit log", "📜 操作记录"),
    "admin.btn.menu": ("🏠 Admin menu", "🏠 管理后台"),
    "admin.btn.back": ("⬅️ Back", "⬅️ 返回"),
    # --- applications ---------------------------------------------------------------------------------------------
    "admin.btn.approve": ("✅ Approve", "✅ 通过"),
    "admin.btn.reject": ("❌ Reject", "❌ 驳回"),
    "admin.btn.documents": ("📎 Documents ({count})", "📎 资质文件({count})"),
    "admin.btn.next_application": ("📝 Next application", "📝 下一个申请"),
    "admin.btn.other_reason": ("✍️ Another reason…", "✍️ 其他原因…"),
    "admin.app.queue_empty": ("No applications are waiting for review. 🎉", "暂无待审核的开店申请。🎉"),
    "admin.app.position": (
        "📝 Application {number} of {total} (oldest first)",
        "📝 第 {number} / {total} 个申请(按提交时间)",
    ),
    "admin.app.details": (
        "🏪 <b>{name}</b> · application #{shop_id}\n"
        "Type: {shop_type} (deposit {deposit})\nBusiness scope: {scope}\nContact phone: {phone}\n"
        "Applicant: {applicant}\nSubmitted: {submitted}\nDocuments: {documents}",
        "🏪 <b>{name}</b> · 申请 #{shop_id}\n"
        "店铺类型:{shop_type}(保证金 {deposit})\n经营范围:{scope}\n联系电话:{phone}\n"
        "申请人:{applicant}\n提交时间:{submitted}\n资质文件:{documents} 份",
    ),
    "admin.app.applicant": ("{name} ({username}, id {user_id})", "{name}({username},ID {user_id})"),
    "admin.app.applicant_unknown": ("user id {user_id}", "用户 ID {user_id}"),
    "admin.app.documents_caption": (
        "Documents of application #{shop_id} — {name}",
        "申请 #{shop_id}({name})的资质文件",
    ),
    "admin.app.documents_missing": (
        "{count} document(s) of application #{shop_id} could not be shown; ask the applicant to send them again.",
        "申请 #{shop_id} 有 {count} 份资质文件无法显示,请联系申请人重新提交。",
    ),
    "admin.app.approved_toast": ("Approved ✅", "已通过 ✅"),
    "admin.app.approved": (
        "✅ Application #{shop_id} <b>{name}</b> approved.\n"
        "The merchant has been told to pay the deposit of {deposit} by {deadline}.",
        "✅ 申请 #{shop_id} <b>{name}</b> 已通过。\n已通知商家在 {deadline} 前缴纳保证金 {deposit}。",
    ),
    "admin.app.reject_pick": (
        "Why is application #{shop_id} <b>{name}</b> rejected? The applicant will read the reason.",
        "申请 #{shop_id} <b>{name}</b> 的驳回原因是?申请人会看到该原因。",
    ),
    "admin.app.reject_ask": (
        "Type the reason for rejecting application #{shop_id} <b>{name}</b> (the applicant will read it), or /cancel.",
        "请输入驳回申请 #{shop_id} <b>{name}</b> 的原因(申请人会看到),或发送 /cancel 取消。",
    ),
    "admin.app.reject_cancelled": (
        "Rejection cancelled; the application is still waiting.",
        "已取消驳回,申请仍在等待审核。",
    ),
    "admin.app.rejected_toast": ("Rejected", "已驳回"),
    "admin.app.rejected": (
        "❌ Application #{shop_id} <b>{name}</b> rejected.\nReason: {reason}\nThe applicant has been told.",
        "❌ 申请 #{shop_id} <b>{name}</b> 已驳回。\n原因:{reason}\n已通知申请人。",
    ),
    "admin.app.already_decided_toast": (
        "Another admin already decided this application.",
        "其他管理员已处理了该申请。",
    ),
    "admin.app.already_decided": (
        "ℹ️ Application #{shop_id} was already decided by another admin. It is now: {status}.",
        "ℹ️ 申请 #{shop_id} 已由其他管理员处理,当前状态:{status}。",
    ),
    # --- preset reasons (stored in both languages) -------------------------------------------------------------
    "admin.reason.docs": ("Documents unclear or missing", "资质文件不清晰或缺失"),
    "admin.reason.info": ("Details incomplete or inconsistent", "申请信息不完整或不一致"),
    "admin.reason.scope": ("Business scope not allowed on the platform", "经营范围不符合平台规定"),
    "admin.reason.duplicate": ("Duplicate application", "重复申请"),
    "admin.reason.shipping": ("Orders not shipped on time", "订单未按时发货"),
    "admin.reason.quality": ("Repeated complaints about product quality", "商品质量问题被多次投诉"),
    "admin.reason.counterfeit": ("Suspected counterfeit goods", "涉嫌售卖假冒商品"),
    "admin.reason.rules": ("Breach of the platform rules", "违反平台规则"),
    "admin.reason.closed": ("Closed by the platform", "平台关闭"),
    "admin.reason.reinstated": ("Reviewed by the platform and reinstated", "经平台复核,恢复营业"),
    # --- shops ------------------------------------------------------------------------------------------------------
    "admin.shop_status.pending_review": ("Pending review", "待审核"),
    "admin.shop_status.awaiting_deposit": ("Awaiting deposit", "待缴保证金"),
    "admin.shop_status.active": ("Active", "营业中"),
    "admin.shop_status.rejected": ("Rejected", "已驳回"),
    "admin.shop_status.expired": ("Approval lapsed", "审核已失效"),
    "admin.shop_status.suspended": ("Suspended", "已暂停"),
    "admin.shop_status.closed": ("Closed", "已关闭"),
    "admin.shop_type.individual": ("Individual", "个人店"),
    "admin.shop_type.enterprise": ("Enterprise", "企业店"),
    "admin.shop_type.flagship": ("Flagship", "旗舰店"),
    "admin.shops.all": ("All", "全部"),
    "admin.shops.title": ("🏪 <b>Shops</b> — {status} ({total})", "🏪 <b>店铺</b> — {status}({total})"),
    "admin.shops.search_title": (
        "🔎 Shops whose name contains “{query}”: {total}",
        "🔎 名称包含“{query}”的店铺:{total} 家",
    ),
    "admin.shops.empty": ("No shops here.", "暂无店铺。"),
    "admin.shops.item": ("#{shop_id} {name} · {status} · {score}", "#{shop_id} {name} · {status} · {score}分"),
    "admin.shops.open": ("🏪 #{shop_id} {name}", "🏪 #{shop_id} {name}"),
    "admin.shops.search_ask": (
        "Type part of the shop's name, or /cancel.",
        "请输入店铺名称的关键词,或发送 /cancel 取消。",
    ),
    "admin.shops.search_cancelled": ("Search cancelled.", "已取消搜索。"),
    "admin.shop.page": (
        "🏪 <b>{name}</b> #{shop_id} — {status}\n"
        "Owner: {owner} (id {owner_id})\nType: {shop_type} · Scope: {scope}\nPhone: {phone}\n"
        "Deposit: {deposit} (left: {balance})\nOpen orders: {open_orders} · Late-shipment marks: {late_marks}",
        "🏪 <b>{name}</b> #{shop_id} — {status}\n"
        "店主:{owner}(ID {owner_id})\n类型:{shop_type} · 经营范围:{scope}\n电话:{phone}\n"
        "保证金:{deposit}(余额 {balance})\n进行中订单:{open_orders} · 延迟发货记录:{late_marks}",
    ),
    "admin.shop.suspended_because": ("⛔ Suspended: {reason}", "⛔ 暂停原因:{reason}"),
    "admin.shop.rejected_because": ("❌ Rejected: {reason}", "❌ 驳回原因:{reason}"),
    "admin.shop.self_dealing": (
        "🚩 <b>Possible self-dealing</b>: delivered to the merchant's own phone or address —\n{orders}",
        "🚩 <b>疑似刷单</b>:收货电话或地址与商家本人相同——\n{orders}",
    ),
    "admin.shop.self_dealing_order": (
        "Order #{order_id} by buyer {buyer_id}, {total}, to {phone}",
        "订单 #{order_id},买家 {buyer_id},{total},收货电话 {phone}",
    ),
    "admin.btn.suspend": ("⛔ Suspend", "⛔ 暂停营业"),
    "admin.btn.reinstate": ("✅ Reinstate", "✅ 恢复营业"),
    "admin.btn.close": ("🔒 Close", "🔒 关闭店铺"),
    "admin.btn.open_shop": ("🏪 Open the shop's page", "🏪 查看店铺"),
    "admin.btn.confirm_reinstate": ("✅ Yes, reinstate it", "✅ 确认恢复营业"),
    "admin.btn.confirm_close": ("🔒 Yes, close it for good", "🔒 确认永久关闭"),
    "admin.btn.confirm_force_close": ("🔒 Cancel and refund them, then close", "🔒 取消并退款后关闭"),
    "admin.shop.suspend_pick": (
        "Why is <b>{name}</b> suspended? The merchant will read the reason.",
        "暂停<b>{name}</b>的原因是?商家会看到该原因。",
    ),
    "admin.shop.suspend_ask": (
        "Type the reason for suspending <b>{name}</b> (the merchant will read it), or /cancel.",
        "请输入暂停<b>{name}</b>的原因(商家会看到),或发送 /cancel 取消。",
    ),
    "admin.shop.suspend_cancelled": ("Suspension cancelled; nothing changed.", "已取消暂停,店铺未作任何更改。"),
    "admin.shop.suspended": (
        "⛔ <b>{name}</b> is suspended.\nReason: {reason}\n"
        "Its products are hidden and it takes no new orders; its open orders still run to the end. "
        "The merchant has been told.",
        "⛔ <b>{name}</b>已暂停营业。\n原因:{reason}\n"
        "其商品已不再展示,也不能接新订单;进行中的订单照常完成。已通知商家。",
    ),
    "admin.shop.reinstate_confirm": (
        "Reinstate <b>{name}</b>? Its products come back into the catalogue and it can take orders again.",
        "确认恢复<b>{name}</b>的营业?其商品将重新展示,并可以接单。",
    ),
    "admin.shop.reinstated": (
        "✅ <b>{name}</b> is open for business again. The merchant has been told.",
        "✅ <b>{name}</b>已恢复营业,已通知商家。",
    ),
    "admin.shop.close_confirm": (
        "Close <b>{name}</b> for good? This cannot be undone.\nOpen orders: {open_orders}.",
        "确认永久关闭<b>{name}</b>?此操作无法撤销。\n进行中订单:{open_orders} 个。",
    ),
    "admin.shop.close_has_orders": (
        "This shop still has {count} open order(s). Close it anyway? Orders not yet shipped are cancelled and "
        "their buyers refunded; orders already shipped complete as usual.",
        "该店铺仍有 {count} 个进行中的订单。仍要关闭吗?未发货的订单将被取消并退款给买家;已发货的订单照常完成。",
    ),
    "admin.shop.closed": (
        "🔒 <b>{name}</b> is closed. The merchant has been told.",
        "🔒 <b>{name}</b>已关闭,已通知商家。",
    ),
    "admin.shop.closed_with_refunds": (
        "🔒 <b>{name}</b> is closed. Its unshipped orders were cancelled and are being refunded; the merchant and "
        "the buyers have been told.",
        "🔒 <b>{name}</b>已关闭。未发货的订单已取消并正在退款,已通知商家和买家。",
    ),
    # --- evaluation -------------------------------------------------------------------------------------------------
    "admin.eval.unrated": (
        "📊 Score: not rated — {orders} order(s) in the last {days} days is too few to judge.",
        "📊 评分:暂不评分 — 近 {days} 天仅 {orders} 笔订单,样本太少。",
    ),
    "admin.eval.score": (
        "📊 Score: <b>{score}</b>/100 — {standing} (last {days} days)",
        "📊 评分:<b>{score}</b>/100 — {standing}(近 {days} 天)",
    ),
    "admin.eval.standing.unrated": ("not rated", "暂不评分"),
    "admin.eval.standing.good": ("good", "良好"),
    "admin.eval.standing.warning": ("⚠️ below the warning line", "⚠️ 低于预警线"),
    "admin.eval.standing.failing": ("⛔ below the suspension line", "⛔ 低于暂停线"),
    "admin.eval.breakdown": (
        "• Late or cancelled shipments: {late} of {due} (−{late_points})\n"
        "• Refunded orders: {refunded} of {orders} (−{refund_points})\n"
        "• Complaints and disputes: {complaints} (tickets: {tickets}) (−{complaint_points})\n"
        "• Reviews: {rating} ★ from {reviews} (−{review_points})\n"
        "Warning line {warning_line} · suspension line {suspension_line}",
        "• 延迟或取消发货:{late} / {due}(−{late_points})\n"
        "• 退款订单:{refunded} / {orders}(−{refund_points})\n"
        "• 投诉与纠纷:{complaints}(售后单 {tickets})(−{complaint_points})\n"
        "• 评价:{rating} ★,共 {reviews} 条(−{review_points})\n"
        "预警线 {warning_line} · 暂停线 {suspension_line}",
    ),
    "admin.eval.confirm": (
        "🩺 <b>Shop evaluation</b>\nEvery active shop is scored over the last {days} days from late or cancelled "
        "shipments, refunds, complaints and reviews. Below {warning_line} the merchant is warned; below "
        "{suspension_line} the shop is suspended at once. It runs every night; run it now?",
        "🩺 <b>店铺评估</b>\n根据近 {days} 天的延迟/取消发货、退款、投诉和评价为每家营业中的店铺评分。"
        "低于 {warning_line} 分将提醒商家;低于 {suspension_line} 分将立即暂停营业。每晚自动运行,现在运行吗?",
    ),
    "admin.btn.run_evaluation": ("▶️ Run it now", "▶️ 立即运行"),
    "admin.eval.report": (
        "🩺 Evaluation done: {shops} active shop(s) scored.\nSuspended: {suspended} · warned: {warned} · "
        "not rated: {unrated}",
        "🩺 评估完成:共评估 {shops} 家营业中的店铺。\n暂停:{suspended} · 预警:{warned} · 暂不评分:{unrated}",
    ),
    "admin.eval.line": ("#{shop_id} {name}: {score} {outcome}", "#{shop_id} {name}:{score} {outcome}"),
    "admin.eval.outcome.none": ("", ""),
    "admin.eval.outcome.warned": ("⚠️ warned", "⚠️ 已预警"),
    "admin.eval.outcome.suspended": ("⛔ suspended", "⛔ 已暂停"),
    "admin.notify.evaluation.warning": (
        "⚠️ <b>{name}</b> scored <b>{score}</b>/100 in the shop evaluation (last {days} days).\n"
        "Late or cancelled shipments: {late} of {due} · refunded orders: {refunded} of {orders} · "
        "complaints: {complaints} · reviews: {rating} ★\n"
        "Below {warning_line} is a warning; below {suspension_line} the shop is suspended. "
        "Ship on time and look after your buyers to raise it.",
        "⚠️ <b>{name}</b>在店铺评估中得分 <b>{score}</b>/100(近 {days} 天)。\n"
        "延迟或取消发货:{late} / {due} · 退款订单:{refunded} / {orders} · 投诉:{complaints} · 评价:{rating} ★\n"
        "低于 {warning_line} 分为预警,低于 {suspension_line} 分将暂停营业。请按时发货、做好售后以提升评分。",
    ),
    "admin.notify.evaluation.suspended.merchant": (
        "⛔ <b>{name}</b> has been suspended: it scored <b>{score}</b>/100 in the shop evaluation, below "
        "{suspension_line} (last {days} days).\n"
        "Late or cancelled shipments: {late} of {due} · refunded orders: {refunded} of {orders} · "
        "complaints: {complaints} · reviews: {rating} ★\n"
        "Your products are hidden; please still handle your open orders. Contact the platform to be reinstated.",
        "⛔ <b>{name}</b>已被暂停营业:店铺评估得分 <b>{score}</b>/100,低于 {suspension_line} 分(近 {days} 天)。\n"
        "延迟或取消发货:{late} / {due} · 退款订单:{refunded} / {orders} · 投诉:{complaints} · 评价:{rating} ★\n"
        "商品已不再展示,请继续处理进行中的订单。如需恢复营业请联系平台。",
    ),
    "admin.notify.evaluation.suspended.admin": (
        "🩺 The shop evaluation suspended <b>{name}</b> #{shop_id}: score <b>{score}</b>/100, below "
        "{suspension_line}.\nLate or cancelled shipments: {late} of {due} · refunded orders: {refunded} of {orders} · "
        "complaints: {complaints} · reviews: {rating} ★",
        "🩺 店铺评估已暂停<b>{name}</b> #{shop_id}:得分 <b>{score}</b>/100,低于 {suspension_line} 分。\n"
        "延迟或取消发货:{late} / {due} · 退款订单:{refunded} / {orders} · 投诉:{complaints} · 评价:{rating} ★",
    ),
    # --- disputes -----------------------------------------------------------------------------------------------
    "admin.tickets.title": ("⚖️ <b>Disputes waiting for a ruling</b>: {total}", "⚖️ <b>待裁决的纠纷</b>:{total} 个"),
    "admin.tickets.empty": ("No disputes are waiting for a ruling. 🎉", "暂无待裁决的纠纷。🎉"),
    "admin.tickets.item": ("#{ticket_id} · order #{order_id} · {kind}", "#{ticket_id} · 订单 #{order_id} · {kind}"),
    "admin.ticket.page": (
        "⚖️ <b>Dispute — ticket #{ticket_id}</b> ({kind} · {reason}) · {status}\n"
        "Order #{order_id} from <b>{shop}</b> (#{shop_id}) — {amount} · {order_status}\n{receipt}\n\n"
        "🙋 <b>Buyer</b> (id {buyer_id}), {opened}:\n{text}\nPhotos: {photos}",
        "⚖️ <b>纠纷 — 售后单 #{ticket_id}</b>({kind} · {reason})· {status}\n"
        "订单 #{order_id},店铺 <b>{shop}</b>(#{shop_id})— {amount} · {order_status}\n{receipt}\n\n"
        "🙋 <b>买家</b>(ID {buyer_id}),{opened}:\n{text}\n图片:{photos} 张",
    ),
    "admin.ticket.merchant_said": ("🏪 <b>Shop</b> turned it down: {reason}", "🏪 <b>商家</b>拒绝理由:{reason}"),
    "admin.ticket.messages": ("💬 Messages ({count}), newest last:", "💬 留言({count} 条,最新在后):"),
    "admin.ticket.message": ("{side} · {at}: {text}", "{side} · {at}:{text}"),
    "admin.ticket.message_photos": ("{side} · {at}: {text} [📷 {photos}]", "{side} · {at}:{text} [📷 {photos}]"),
    "admin.ticket.from_buyer": ("🙋 Buyer", "🙋 买家"),
    "admin.ticket.from_shop": ("🏪 Shop", "🏪 商家"),
    "admin.ticket.from_platform": ("🛠 Platform", "🛠 平台"),
    "admin.ticket.ruled_refund": ("✅ Ruled: the buyer is being refunded.", "✅ 已裁决:正在向买家退款。"),
    "admin.ticket.ruled_close": ("✅ Ruled: closed without a refund.", "✅ 已裁决:关闭,不退款。"),
    "admin.ticket.photos_caption": ("Photos of ticket #{ticket_id}", "售后单 #{ticket_id} 的图片"),
    "admin.btn.rule_refund": ("💸 Refund the buyer", "💸 支持买家退款"),
    "admin.btn.rule_close": ("🔒 Close without a refund", "🔒 驳回并关闭"),
    "admin.btn.photos": ("🖼 Photos ({count})", "🖼 图片({count})"),
    "admin.btn.disputes": ("⚖️ Disputes", "⚖️ 纠纷列表"),
    "admin.btn.next_dispute": ("⚖️ Next dispute", "⚖️ 下一个纠纷"),
    "admin.btn.confirm_refund": ("💸 Yes, refund the buyer", "💸 确认退款给买家"),
    "admin.btn.confirm_ticket_close": ("🔒 Yes, close it", "🔒 确认关闭"),
    "admin.ticket.confirm_refund": (
        "Refund {amount} to the buyer of order #{order_id} (ticket #{ticket_id})? It is paid from the order's "
        "money, or, if it was already settled, from <b>{shop}</b>'s balance and then its deposit (deposit: "
        "{balance}). Both sides will be told.",
        "确认向订单 #{order_id}(售后单 #{ticket_id})的买家退款 {amount}?款项从该订单款项中支出;"
        "若已结算,则从<b>{shop}</b>的余额及保证金中扣除(保证金 {balance})。双方都会收到通知。",
    ),
    "admin.ticket.confirm_close": (
        "Close ticket #{ticket_id} of order #{order_id} without a refund? Both sides will be told.",
        "确认关闭订单 #{order_id} 的售后单 #{ticket_id},不予退款?双方都会收到通知。",
    ),
    "admin.ticket.ruled_refund_done": (
        "💸 Ruled for the buyer: order #{order_id} is being refunded (ticket #{ticket_id}). Both sides have been told.",
        "💸 已裁决支持买家:订单 #{order_id} 正在退款(售后单 #{ticket_id})。已通知双方。",
    ),
    "admin.ticket.ruled_close_done": (
        "🔒 Ticket #{ticket_id} of order #{order_id} is closed without a refund. Both sides have been told.",
        "🔒 订单 #{order_id} 的售后单 #{ticket_id} 已关闭,不予退款。已通知双方。",
    ),
    "admin.order_status.pending_payment": ("awaiting payment", "待付款"),
    "admin.order_status.grouping": ("group forming", "拼团中"),
    "admin.order_status.paid": ("paid", "已付款"),
    "admin.order_status.accepted": ("accepted", "已接单"),
    "admin.order_status.shipped": ("shipped", "已发货"),
    "admin.order_status.completed": ("completed", "已完成"),
    "admin.order_status.cancelled": ("cancelled", "已取消"),
    "admin.order_status.refunded": ("refunded", "已退款"),
    # --- stats ----------------------------------------------------------------------------------------------------
    "admin.stats.body": (
        "📊 <b>Platform stats</b> · {at}\n\n<b>Shops</b>\n{shops}\n\n"
        "<b>Last {days} days</b>\nOrders paid: {orders} · GMV: {gmv}\nRefund rate: {refund_rate}\n"
        "Open after-sales tickets: {open_tickets} (disputes: {escalated})\n\n"
        "<b>Last {recent} days</b> (orders · GMV)\n{daily}",
        "📊 <b>平台数据</b> · {at}\n\n<b>店铺</b>\n{shops}\n\n"
        "<b>近 {days} 天</b>\n支付订单:{orders} · 成交额(GMV):{gmv}\n退款率:{refund_rate}\n"
        "进行中的售后单:{open_tickets}(纠纷:{escalated})\n\n"
        "<b>近 {recent} 天</b>(订单 · 成交额)\n{daily}",
    ),
    "admin.stats.shop_line": ("{status}: {count}", "{status}:{count}"),
    "admin.stats.no_shops": ("No shops yet.", "暂无店铺。"),
    "admin.stats.day_line": ("{day}: {orders} · {gmv}", "{day}:{orders} · {gmv}"),
    "admin.stats.chart_caption": (
        "GMV per day (bars) and orders per day (line), last {days} days",
        "近 {days} 天每日成交额(柱)与订单数(线)",
    ),
    "admin.btn.refresh_stats": ("🔄 Refresh", "🔄 刷新"),
    # --- admins and the audit log -------------------------------------------------------------------------------
    "admin.admins.title": ("👥 <b>Admins</b> ({count})", "👥 <b>管理员</b>({count})"),
    "admin.admins.root": ("• {name} (id {user_id}) — from the settings", "• {name}(ID {user_id})— 配置文件指定"),
    "admin.admins.appointed": ("• {name} (id {user_id}) — appointed", "• {name}(ID {user_id})— 任命"),
    "admin.btn.remove_admin": ("➖ Remove {name}", "➖ 移除 {name}"),
    "admin.btn.appoint": ("➕ Appoint an admin", "➕ 任命管理员"),
    "admin.btn.type_user_id": ("⌨️ Type a user id", "⌨️ 输入用户 ID"),
    "admin.btn.confirm_remove": ("➖ Yes, remove", "➖ 确认移除"),
    "admin.admins.pick": (
        "Who should become an admin? The newest users are below, or type a user id. They must have started the bot.",
        "任命谁为管理员?下方是最近的用户,也可以输入用户 ID。对方须已使用过本机器人。",
    ),
    "admin.admins.candidate": ("{name} (id {user_id})", "{name}(ID {user_id})"),
    "admin.admins.ask_id": (
        "Type the user id of the new admin, or /cancel.",
        "请输入新管理员的用户 ID,或发送 /cancel 取消。",
    ),
    "admin.admins.unknown_user": (
        "No user with id {user_id} has started the bot yet. Ask them to send /start, then try again.",
        "ID 为 {user_id} 的用户尚未使用过本机器人。请对方先发送 /start,再重试。",
    ),
    "admin.admins.appoint_cancelled": ("Nobody was appointed.", "已取消任命。"),
    "admin.admins.appointed_done": (
        "✅ {name} (id {user_id}) is now an admin.",
        "✅ {name}(ID {user_id})已成为管理员。",
    ),
    "admin.admins.remove_confirm": (
        "Remove {name} (id {user_id}) from the admins?",
        "确认移除管理员 {name}(ID {user_id})?",
    ),
    "admin.admins.removed_done": (
        "➖ {name} (id {user_id}) is no longer an admin.",
        "➖ {name}(ID {user_id})已不再是管理员。",
    ),
    "admin.notify.appointed": (
        "🛠 You are now an admin of this marketplace (appointed by admin {by}). Send /admin to open the console.",
        "🛠 您已被任命为本商城的管理员(任命人:管理员 {by})。发送 /admin 打开管理后台。",
    ),
    "admin.notify.removed": (
        "You are no longer an admin of this marketplace (changed by admin {by}).",
        "您已不再是本商城的管理员(操作人:管理员 {by})。",
    ),
    "admin.audit.title": (
        "📜 <b>What admins did</b> (and admin actions refused), newest first:",
        "📜 <b>管理员操作记录</b>(含被拒绝的管理操作,最新在前):",
    ),
    "admin.audit.empty": ("No admin actions recorded yet.", "暂无管理员操作记录。"),
    "admin.audit.line": (
        "• {at} · admin {actor_id} · {entity} #{entity_id}: {src} → {dst}",
        "• {at} · 管理员 {actor_id} · {entity} #{entity_id}:{src} → {dst}",
    ),
    "admin.audit.reason": (" — {reason}", " — {reason}"),
    "admin.audit.refused": (
        "• {at} · ⛔ user {user_id} was refused: {action} ({attempt})",
        "• {at} · ⛔ 用户 {user_id} 的操作被拒绝:{action}({attempt})",
    ),
}
