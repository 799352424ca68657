"""After-sales tickets and reviews: notifications, pages, flows and buttons, for buyers and merchants."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- labels of the domain's enums --------------------------------------------------------------------------
    "enum.TicketKind.refund_only": ("Refund only", "仅退款"),
    "enum.TicketKind.return_refund": ("Return and refund", "退货退款"),
    "enum.TicketKind.exchange": ("Exchange", "换货"),
    "enum.TicketKind.complaint": ("Complaint", "投诉"),
    "enum.TicketReason.not_received": ("Parcel not received", "未收到货"),
    "enum.TicketReason.damaged": ("Arrived damaged", "商品破损"),
    "enum.TicketReason.not_as_described": ("Not as described", "与描述不符"),
    "enum.TicketReason.wrong_item": ("Wrong item sent", "发错货"),
    "enum.TicketReason.quality": ("Quality problem", "质量问题"),
    "enum.TicketReason.changed_mind": ("Changed my mind", "不想要了"),
    "enum.TicketReason.other": ("Other", "其他"),
    "enum.TicketStatus.requested": ("⏳ waiting for the merchant", "⏳ 等待商家处理"),
    "enum.TicketStatus.approved": ("✅ approved", "✅ 已同意"),
    "enum.TicketStatus.rejected": ("❌ rejected", "❌ 商家已拒绝"),
    "enum.TicketStatus.awaiting_return": ("📦 waiting for the return parcel", "📦 等待买家退货"),
    "enum.TicketStatus.returned": ("🚚 return on its way", "🚚 退货运输中"),
    "enum.TicketStatus.refunded": ("💰 refunded", "💰 已退款"),
    "enum.TicketStatus.replaced": ("🔁 replacement sent", "🔁 已换货"),
    "enum.TicketStatus.escalated": ("⚖️ with the platform", "⚖️ 平台介入中"),
    "enum.TicketStatus.closed": ("closed", "已关闭"),
    "enum.TicketStatus.withdrawn": ("withdrawn", "已撤销"),
    "enum.Remedy.refund": ("💰 Refund now", "💰 同意退款"),
    "enum.Remedy.return": ("📦 Ask for the return", "📦 同意退货"),
    "enum.Remedy.replace": ("🔁 Ship a replacement", "🔁 直接补发"),
    "enum.Remedy.close": ("🤝 Accept the complaint", "🤝 接受投诉"),
    "enum.ReviewDimension.quality": ("Product quality", "商品质量"),
    "enum.ReviewDimension.shipping": ("Shipping speed", "物流速度"),
    "enum.ReviewDimension.service": ("Service attitude", "服务态度"),
    # --- buttons on notifications ------------------------------------------------------------------------------
    "aftersales.btn.open": ("📋 Open the ticket", "📋 查看售后单"),
    "aftersales.btn.reply": ("💬 Reply", "💬 回复"),
    "aftersales.btn.escalate": ("⚖️ Ask the platform to decide", "⚖️ 申请平台介入"),
    "aftersales.btn.confirm_return": ("📥 Parcel received", "📥 确认收到退货"),
    "aftersales.btn.ship_return": ("🚚 I have shipped it back", "🚚 填写退货物流"),
    "aftersales.btn.admin_review": ("⚖️ Review the dispute", "⚖️ 处理纠纷"),
    "aftersales.btn.review_reply": ("💬 Reply to this review", "💬 回复评价"),
    # --- buttons on pages and forms ---------------------------------------------------------------------------
    "aftersales.btn.all_tickets": ("📋 All tickets", "📋 全部售后单"),
    "aftersales.btn.back": ("◀️ Back", "◀️ 返回"),
    "aftersales.btn.cancel": ("✖️ Cancel", "✖️ 取消"),
    "aftersales.btn.yes": ("✅ Yes, do it", "✅ 确定"),
    "aftersales.btn.received_stock": ("📥 Received, back to stock", "📥 已收货,退回库存"),
    "aftersales.btn.received_damaged": ("📥 Received, damaged", "📥 已收货,商品损坏"),
    "aftersales.btn.items_all": ("✅ Everything", "✅ 全选"),
    "aftersales.btn.items_done": ("➡️ Continue", "➡️ 下一步"),
    "aftersales.btn.submit": ("📨 Submit the request", "📨 提交申请"),
    "aftersales.btn.publish": ("📨 Publish the review", "📨 发布评价"),
    "aftersales.btn.skip": ("⏭ Skip", "⏭ 跳过"),
    "aftersales.btn.photos_done": ("✅ Done ({count} photo(s))", "✅ 完成(已传 {count} 张)"),
    "aftersales.btn.photos_skip": ("⏭ No photos", "⏭ 不上传图片"),
    "aftersales.btn.photos": ("📷 Show the photos ({count})", "📷 查看图片({count})"),
    "aftersales.btn.open_ticket": ("📋 Open the ticket", "📋 查看售后单"),
    "aftersales.btn.message_shop": ("💬 Message the shop", "💬 联系商家"),
    "aftersales.btn.message_buyer": ("💬 Reply to the buyer", "💬 回复买家"),
    "aftersales.btn.reject": ("❌ Reject with a reason", "❌ 拒绝(需填写理由)"),
    "aftersales.btn.withdraw": ("↩️ Withdraw the request", "↩️ 撤销申请"),
    "aftersales.btn.wdy": ("↩️ Yes, withdraw it", "↩️ 确定撤销"),
    "aftersales.btn.escy": ("⚖️ Yes, ask the platform", "⚖️ 确定申请平台介入"),
    "aftersales.btn.review_next": ("⭐ Review the next item", "⭐ 评价下一件商品"),
    "aftersales.btn.review_reply_n": ("💬 Reply to review #{review_id}", "💬 回复评价 #{review_id}"),
    # --- /tickets ----------------------------------------------------------------------------------------------
    "aftersales.list.title_buyer": ("🧾 <b>Your after-sales requests</b>", "🧾 <b>我的售后申请</b>"),
    "aftersales.list.title_merchant": ("🧾 <b>Open after-sales tickets</b>", "🧾 <b>待处理的售后单</b>"),
    "aftersales.list.empty_buyer": (
        "You have no after-sales requests. To open one, go to /orders, pick the order and press “After-sales”.",
        "您还没有售后申请。如需申请,请在 /orders 中选择订单并点击“申请售后”。",
    ),
    "aftersales.list.empty_merchant": (
        "No open tickets — nothing to answer. (/tickets mine shows your own requests as a buyer.)",
        "暂无待处理的售后单。(/tickets mine 查看您作为买家的申请。)",
    ),
    "aftersales.list.item": (
        "#{ticket_id} · order #{order_id} · {kind} · {status}{due}",
        "#{ticket_id} · 订单 #{order_id} · {kind} · {status}{due}",
    ),
    "aftersales.list.due": (" · ⏰ {at}", " · ⏰ {at}"),
    "aftersales.list.open": ("#{ticket_id} · {kind}", "#{ticket_id} · {kind}"),
    "aftersales.list.mine": ("🛍 My own requests as a buyer", "🛍 我作为买家的申请"),
    # --- the ticket page ---------------------------------------------------------------------------------------
    "aftersales.page.title": (
        "🧾 <b>Ticket #{ticket_id} · {kind}</b>\nOrder #{order_id} · {amount} · {shop}\nStatus: {status}\n"
        "Reason: {reason}\n“{text}”",
        "🧾 <b>售后单 #{ticket_id} · {kind}</b>\n订单 #{order_id} · {amount} · {shop}\n状态:{status}\n"
        "原因:{reason}\n“{text}”",
    ),
    "aftersales.page.photos": ("📷 {count} photo(s) attached", "📷 附 {count} 张图片"),
    "aftersales.page.items": ("📦 Asked for:\n{items}", "📦 申请商品:\n{items}"),
    "aftersales.page.rejected": ("❌ The shop's reason: “{reason}”", "❌ 商家拒绝理由:“{reason}”"),
    "aftersales.page.return": ("🚚 Return parcel: {carrier} {tracking}", "🚚 退货物流:{carrier} {tracking}"),
    "aftersales.page.deadline.requested": ("⏰ The shop answers by {at}", "⏰ 商家处理截止:{at}"),
    "aftersales.page.deadline.awaiting_return": ("⏰ Ship the return by {at}", "⏰ 寄回商品截止:{at}"),
    "aftersales.page.deadline.returned": ("⏰ The shop confirms receipt by {at}", "⏰ 商家确认收货截止:{at}"),
    "aftersales.page.deadline.rejected": ("⏰ The platform can be asked until {at}", "⏰ 可申请平台介入至:{at}"),
    "aftersales.page.messages": ("\n💬 <b>Messages</b> ({count})", "\n💬 <b>留言</b>({count})"),
    "aftersales.page.message": ("{who} · {at}\n“{text}”", "{who} · {at}\n“{text}”"),
    "aftersales.page.message_photos": ("{who} · {at}\n“{text}” 📷 {count}", "{who} · {at}\n“{text}” 📷 {count}"),
    "aftersales.page.from_buyer": ("👤 Buyer", "👤 买家"),
    "aftersales.page.from_shop": ("🏪 Shop", "🏪 商家"),
    "aftersales.page.photos_caption": ("📷 Photos of ticket #{ticket_id}", "📷 售后单 #{ticket_id} 的图片"),
    # --- opening a ticket --------------------------------------------------------------------------------------
    "aftersales.open.ask_kind": (
        "🧾 After-sales for order #{order_id}. What would you like?",
        "🧾 订单 #{order_id} 申请售后。请选择服务类型:",
    ),
    "aftersales.open.ask_reason": ("{kind}: what went wrong?", "{kind}:请选择原因"),
    "aftersales.open.ask_items": (
        "{kind}: which items? Everything is picked; ➖ / ➕ change how many of each.\n{lines}\nRefund: <b>{amount}</b>",
        "{kind}:申请哪些商品?默认全选,可用 ➖ / ➕ 调整每件商品的数量。\n{lines}\n退款金额:<b>{amount}</b>",
    ),
    "aftersales.open.item_line": ("• {title}: {chosen} of {returnable}", "• {title}:{chosen} / {returnable} 件"),
    "aftersales.open.items_none": ("Pick at least one item.", "请至少选择一件商品。"),
    "aftersales.open.refund_amount": ("💰 Refund: <b>{amount}</b>", "💰 退款金额:<b>{amount}</b>"),
    "aftersales.open.ask_text": (
        "Describe what happened in a message (up to {max} characters).",
        "请用一条消息描述具体情况(最多 {max} 字)。",
    ),
    "aftersales.open.ask_photos": (
        "Photos help the shop decide: send up to {max}, one at a time, or continue without.",
        "上传图片有助于商家处理:最多 {max} 张,逐张发送;也可以不传。",
    ),
    "aftersales.open.photo_received": (
        "📷 Photo {count} of {max} received. Send another, or press Done.",
        "📷 已收到第 {count} 张(最多 {max} 张)。可继续发送,或点击完成。",
    ),
    "aftersales.open.summary": (
        "Please check your request:\nOrder #{order_id} · {kind}\n{items}\nReason: {reason}\n“{text}”\n"
        "📷 {photos} photo(s)",
        "请确认您的申请:\n订单 #{order_id} · {kind}\n{items}\n原因:{reason}\n“{text}”\n📷 {photos} 张图片",
    ),
    "aftersales.open.submitted": (
        "📨 Request #{ticket_id} sent. The shop has until {answer_by} to answer — if they don't, it is approved "
        "automatically. We'll tell you as soon as anything happens.",
        "📨 售后申请 #{ticket_id} 已提交。商家须在 {answer_by} 前处理,逾期将自动同意。有进展会第一时间通知您。",
    ),
    "aftersales.open.cancelled": ("The after-sales request was cancelled.", "已取消售后申请。"),
    "aftersales.open.not_open": (
        "This form is closed. Start again from the order or the ticket.",
        "该表单已关闭,请从订单或售后单重新开始。",
    ),
    # --- shipping a return -------------------------------------------------------------------------------------
    "aftersales.return.ask_carrier": (
        "🚚 Return for ticket #{ticket_id}: which carrier did you use? Press one or type its name.",
        "🚚 售后单 #{ticket_id} 退货:请选择或输入快递公司。",
    ),
    "aftersales.return.ask_tracking": (
        "{carrier}: now send the tracking number (letters, digits or dashes, no spaces).",
        "{carrier}:请发送运单号(字母、数字或短横线,不含空格)。",
    ),
    "aftersales.return.recorded": (
        "✅ Return recorded: {carrier} {tracking}. The shop has been told.",
        "✅ 退货物流已登记:{carrier} {tracking},已通知商家。",
    ),
    "aftersales.return.cancelled": ("Nothing recorded.", "未登记退货物流。"),
    # --- confirmations and outcomes ----------------------------------------------------------------------------
    "aftersales.confirm.withdraw": (
        "Withdraw request #{ticket_id}? It closes for good.",
        "确定撤销售后申请 #{ticket_id} 吗?撤销后无法恢复。",
    ),
    "aftersales.confirm.escalate": (
        "Ask the platform to decide ticket #{ticket_id}? An admin will read the ticket and its messages.",
        "确定就售后单 #{ticket_id} 申请平台介入吗?管理员将查看售后单及留言。",
    ),
    "aftersales.confirm.approve": (
        "Ticket #{ticket_id}: {remedy}? This cannot be undone.",
        "售后单 #{ticket_id}:{remedy}?此操作无法撤回。",
    ),
    "aftersales.confirm.received": (
        "Has the returned parcel for ticket #{ticket_id} arrived? The buyer is then refunded either way; say "
        "whether the goods can go back into stock or came back damaged.",
        "确认已收到售后单 #{ticket_id} 的退货吗?确认后将向买家退款;请选择商品退回库存,还是已损坏不再入库。",
    ),
    "aftersales.confirm.received_exchange": (
        "Has the returned parcel for ticket #{ticket_id} arrived? You then send the replacement.",
        "确认已收到售后单 #{ticket_id} 的退货吗?确认后请补发新商品。",
    ),
    "aftersales.done.withdrawn": ("↩️ Request withdrawn.", "↩️ 已撤销申请。"),
    "aftersales.done.escalated": (
        "⚖️ The platform's admins have been asked to decide. We'll tell you their decision.",
        "⚖️ 已申请平台介入,裁定结果将通知您。",
    ),
    "aftersales.done.approved.refund": ("💰 Approved: the buyer is being refunded.", "💰 已同意:正在向买家退款。"),
    "aftersales.done.approved.return": (
        "📦 Approved: the buyer has been asked to send the item back.",
        "📦 已同意:已通知买家寄回商品。",
    ),
    "aftersales.done.approved.replace": (
        "🔁 Approved: please send the replacement.",
        "🔁 已同意:请尽快补发商品。",
    ),
    "aftersales.done.approved.close": ("🤝 Complaint accepted.", "🤝 已受理投诉。"),
    "aftersales.done.rejected": (
        "❌ Rejected. The buyer sees your reason and may ask the platform to decide.",
        "❌ 已拒绝。买家将看到您的理由,并可申请平台介入。",
    ),
    "aftersales.done.received": ("📥 Return confirmed.", "📥 已确认收到退货。"),
    "aftersales.done.received_damaged": (
        "📥 Return confirmed; the damaged goods stay out of stock.",
        "📥 已确认收到退货;损坏商品不退回库存。",
    ),
    # --- the merchant's answers --------------------------------------------------------------------------------
    "aftersales.approve.ask_return_note": (
        "📦 Ticket #{ticket_id}: where should the buyer send the item? Send the return address and any "
        "instructions in one message.",
        "📦 售后单 #{ticket_id}:请在一条消息中发送退货地址及注意事项。",
    ),
    "aftersales.approve.cancelled": ("Nothing approved.", "未做任何处理。"),
    "aftersales.reject.ask_reason": (
        "❌ Ticket #{ticket_id}: why do you reject it? The buyer sees your reason (up to {max} characters) "
        "and may ask the platform to decide.",
        "❌ 售后单 #{ticket_id}:请填写拒绝理由(最多 {max} 字),买家可见,并可据此申请平台介入。",
    ),
    "aftersales.reject.cancelled": ("Nothing rejected.", "未拒绝。"),
    # --- messages on a ticket ----------------------------------------------------------------------------------
    "aftersales.message.ask_buyer": (
        "💬 Write your message to the shop about ticket #{ticket_id} (text, or a photo with a caption).",
        "💬 请输入给商家的留言(售后单 #{ticket_id}),可以是文字,或带说明的图片。",
    ),
    "aftersales.message.ask_merchant": (
        "💬 Write your reply to the buyer about ticket #{ticket_id} (text, or a photo with a caption).",
        "💬 请输入给买家的回复(售后单 #{ticket_id}),可以是文字,或带说明的图片。",
    ),
    "aftersales.message.need_text": ("Please send some text or a photo.", "请发送文字或图片。"),
    "aftersales.message.sent": ("✅ Message added to ticket #{ticket_id}.", "✅ 留言已添加到售后单 #{ticket_id}。"),
    "aftersales.message.cancelled": ("Message not sent.", "留言未发送。"),
    "aftersales.usage.aftersales": (
        "Usage: /aftersales &lt;order&gt;, e.g. /aftersales 12 — or open the order in /orders.",
        "用法:/aftersales &lt;订单号&gt;,例如 /aftersales 12;也可在 /orders 中打开订单申请。",
    ),
    "aftersales.usage.reply": (
        "Usage: /reply &lt;ticket&gt; &lt;text&gt;, e.g. /reply 12 The parcel left today.",
        "用法:/reply &lt;售后单号&gt; &lt;内容&gt;,例如 /reply 12 包裹今天已寄出。",
    ),
    # --- reviews -----------------------------------------------------------------------------------------------
    "aftersales.review.pick": (
        "⭐ Order #{order_id}: which item would you like to review?",
        "⭐ 订单 #{order_id}:请选择要评价的商品",
    ),
    "aftersales.review.all_done": (
        "⭐ Every item of order #{order_id} is reviewed. Thank you!",
        "⭐ 订单 #{order_id} 的商品都已评价,谢谢!",
    ),
    "aftersales.review.ask_score": ("⭐ “{title}”: {dimension}?", "⭐ “{title}”:{dimension}打几分?"),
    "aftersales.review.ask_text": (
        "✍️ A few words for other buyers (up to {max} characters), or skip.",
        "✍️ 写几句评价给其他买家参考(最多 {max} 字),也可以跳过。",
    ),
    "aftersales.review.ask_photos": (
        "📷 Add up to {max} photos, one at a time, or continue without.",
        "📷 可上传最多 {max} 张图片(逐张发送),也可以不传。",
    ),
    "aftersales.review.photo_received": (
        "📷 Photo {count} of {max} received. Send another, or press Done.",
        "📷 已收到第 {count} 张(最多 {max} 张)。可继续发送,或点击完成。",
    ),
    "aftersales.review.summary": (
        "Your review of “{title}”:\nQuality {quality}/5 · Shipping {shipping}/5 · Service {service}/5\n"
        "“{text}”\n📷 {photos} photo(s)",
        "您对“{title}”的评价:\n商品质量 {quality}/5 · 物流速度 {shipping}/5 · 服务态度 {service}/5\n"
        "“{text}”\n📷 {photos} 张图片",
    ),
    "aftersales.review.published": (
        "🙏 Thank you! Your review of “{title}” is published.",
        "🙏 感谢评价!您对“{title}”的评价已发布。",
    ),
    "aftersales.review.cancelled": ("Review cancelled.", "已取消评价。"),
    "aftersales.review.not_open": (
        "This review form is closed. Start again from the order.",
        "该评价表单已关闭,请从订单重新开始。",
    ),
    "aftersales.review.card": (
        "⭐ <b>Review #{review_id}</b> · “{title}” · order #{order_id} · {at}\n"
        "Quality {quality}/5 · Shipping {shipping}/5 · Service {service}/5 · 📷 {photos}\n“{text}”{reply}",
        "⭐ <b>评价 #{review_id}</b> · “{title}” · 订单 #{order_id} · {at}\n"
        "商品质量 {quality}/5 · 物流速度 {shipping}/5 · 服务态度 {service}/5 · 📷 {photos}\n“{text}”{reply}",
    ),
    "aftersales.review.card_reply": ("\n💬 Your reply: “{reply}”", "\n💬 您的回复:“{reply}”"),
    "aftersales.review.list_title": ("⭐ <b>Latest reviews of your shop</b>", "⭐ <b>店铺最新评价</b>"),
    "aftersales.review.list_empty": ("No reviews yet.", "暂无评价。"),
    "aftersales.review.ask_reply": (
        "💬 Send your reply (up to {max} characters). It is shown under the review, and you can reply only once.",
        "💬 请发送您的回复(最多 {max} 字)。回复将显示在评价下方,每条评价只能回复一次。",
    ),
    "aftersales.review.replied": ("✅ Reply to review #{review_id} published.", "✅ 已回复评价 #{review_id}。"),
    "aftersales.review.reply_cancelled": ("Reply not sent.", "未发送回复。"),
    "aftersales.usage.reply_review": (
        "Usage: /reply_review &lt;review&gt; &lt;text&gt;, e.g. /reply_review 7 Thank you!",
        "用法:/reply_review &lt;评价编号&gt; &lt;内容&gt;,例如 /reply_review 7 感谢支持!",
    ),
    # --- notifications: tickets --------------------------------------------------------------------------------
    "aftersales.notify.opened.refund_only": (
        "🆘 <b>Refund request #{ticket_id}</b> for order #{order_id} ({amount})\n{items}\n“{text}”\n\n"
        "Please answer by {answer_by}; unanswered requests are approved automatically.",
        "🆘 <b>仅退款申请 #{ticket_id}</b>,订单 #{order_id}({amount})\n{items}\n“{text}”\n\n"
        "请在 {answer_by} 前处理,超时未处理将自动同意。",
    ),
    "aftersales.notify.opened.return_refund": (
        "🆘 <b>Return request #{ticket_id}</b> for order #{order_id} ({amount})\n{items}\n“{text}”\n\n"
        "Please answer by {answer_by}; unanswered requests are approved automatically.",
        "🆘 <b>退货退款申请 #{ticket_id}</b>,订单 #{order_id}({amount})\n{items}\n“{text}”\n\n"
        "请在 {answer_by} 前处理,超时未处理将自动同意。",
    ),
    "aftersales.notify.opened.exchange": (
        "🆘 <b>Exchange request #{ticket_id}</b> for order #{order_id}\n“{text}”\n\n"
        "Please answer by {answer_by}; unanswered requests are approved automatically.",
        "🆘 <b>换货申请 #{ticket_id}</b>,订单 #{order_id}\n“{text}”\n\n请在 {answer_by} 前处理,超时未处理将自动同意。",
    ),
    "aftersales.notify.opened.complaint": (
        "🆘 <b>Complaint #{ticket_id}</b> about order #{order_id}\n“{text}”\n\n"
        "Please answer by {answer_by}; unanswered complaints are accepted automatically.",
        "🆘 <b>投诉 #{ticket_id}</b>,订单 #{order_id}\n“{text}”\n\n请在 {answer_by} 前处理,超时未处理将自动受理。",
    ),
    "aftersales.notify.message.from_buyer": (
        "💬 The buyer wrote on ticket #{ticket_id} (order #{order_id}):\n“{text}”",
        "💬 买家在售后单 #{ticket_id}(订单 #{order_id})留言:\n“{text}”",
    ),
    "aftersales.notify.message.from_buyer_photos": (
        "💬 The buyer wrote on ticket #{ticket_id} (order #{order_id}):\n“{text}”\n"
        "📷 {photos} photo(s): open the ticket to see them.",
        "💬 买家在售后单 #{ticket_id}(订单 #{order_id})留言:\n“{text}”\n📷 附 {photos} 张图片,打开售后单查看。",
    ),
    "aftersales.notify.message.from_merchant": (
        "💬 {shop} wrote on your ticket #{ticket_id} (order #{order_id}):\n“{text}”",
        "💬 {shop} 在您的售后单 #{ticket_id}(订单 #{order_id})留言:\n“{text}”",
    ),
    "aftersales.notify.message.from_merchant_photos": (
        "💬 {shop} wrote on your ticket #{ticket_id} (order #{order_id}):\n“{text}”\n"
        "📷 {photos} photo(s): open the ticket to see them.",
        "💬 {shop} 在您的售后单 #{ticket_id}(订单 #{order_id})留言:\n“{text}”\n📷 附 {photos} 张图片,打开售后单查看。",
    ),
    "aftersales.notify.approved.refund": (
        "✅ {shop} approved your request #{ticket_id}: <b>{amount}</b> for order #{order_id} "
        "is on its way back to you.",
        "✅ {shop} 已同意您的售后申请 #{ticket_id}:订单 #{order_id} 的 <b>{amount}</b> 正在退回给您。",
    ),
    "aftersales.notify.approved.return": (
        "✅ {shop} approved your request #{ticket_id} (order #{order_id}). Please send the item back by "
        "<b>{ship_by}</b> and then tell us the carrier and tracking number.\n"
        "Return instructions: {note}\nShop phone: {phone}",
        "✅ {shop} 已同意您的售后申请 #{ticket_id}(订单 #{order_id})。请在 <b>{ship_by}</b> 前寄回商品,"
        "并填写退货快递公司和运单号。\n退货说明:{note}\n商家电话:{phone}",
    ),
    "aftersales.notify.approved.replace": (
        "✅ {shop} approved your request #{ticket_id}: a replacement for order #{order_id} will be sent to you.",
        "✅ {shop} 已同意您的售后申请 #{ticket_id}:将为订单 #{order_id} 给您补发商品。",
    ),
    "aftersales.notify.approved.close": (
        "✅ {shop} accepted your complaint #{ticket_id} about order #{order_id}. Thank you for telling them.",
        "✅ {shop} 已受理您对订单 #{order_id} 的投诉 #{ticket_id},感谢您的反馈。",
    ),
    "aftersales.notify.auto_approved": (
        "⏰ Ticket #{ticket_id} (order #{order_id}) was not answered in time and has been approved automatically.",
        "⏰ 售后单 #{ticket_id}(订单 #{order_id})超时未处理,系统已自动同意。",
    ),
    "aftersales.notify.rejected": (
        "❌ {shop} turned down your request #{ticket_id} (order #{order_id}).\nTheir reason: “{reason}”\n\n"
        "If you disagree, ask the platform to decide before {escalate_by}.",
        "❌ {shop} 拒绝了您的售后申请 #{ticket_id}(订单 #{order_id})。\n拒绝理由:“{reason}”\n\n"
        "如有异议,请在 {escalate_by} 前申请平台介入。",
    ),
    "aftersales.notify.rejection_final": (
        "Ticket #{ticket_id} (order #{order_id}) is closed: the time to ask the platform has passed.",
        "售后单 #{ticket_id}(订单 #{order_id})已关闭:申请平台介入的期限已过。",
    ),
    "aftersales.notify.return_shipped": (
        "🚚 The buyer shipped the return for ticket #{ticket_id} (order #{order_id}): {carrier} {tracking}.\n"
        "Confirm it when it arrives — if not confirmed by {confirm_by}, the buyer is refunded automatically.",
        "🚚 买家已寄回售后单 #{ticket_id}(订单 #{order_id})的商品:{carrier} {tracking}。\n"
        "收到后请确认 —— 若 {confirm_by} 前未确认,系统将自动退款给买家。",
    ),
    "aftersales.notify.return_received.refund": (
        "💰 {shop} received your return for ticket #{ticket_id}: <b>{amount}</b> (order #{order_id}) "
        "is on its way back.",
        "💰 {shop} 已收到售后单 #{ticket_id} 的退货:订单 #{order_id} 的 <b>{amount}</b> 正在退回给您。",
    ),
    "aftersales.notify.return_received.replace": (
        "🔁 {shop} received your return for ticket #{ticket_id} and will send you a replacement (order #{order_id}).",
        "🔁 {shop} 已收到售后单 #{ticket_id} 的退货,将为您补发新商品(订单 #{order_id})。",
    ),
    "aftersales.notify.return_expired.buyer": (
        "Ticket #{ticket_id} (order #{order_id}) is closed: the return was not shipped in time.",
        "售后单 #{ticket_id}(订单 #{order_id})已关闭:未在期限内寄回商品。",
    ),
    "aftersales.notify.return_expired.merchant": (
        "Ticket #{ticket_id} (order #{order_id}) is closed: the buyer did not ship the return in time.",
        "售后单 #{ticket_id}(订单 #{order_id})已关闭:买家未在期限内寄回商品。",
    ),
    "aftersales.notify.auto_refunded.buyer": (
        "💰 Ticket #{ticket_id}: the shop did not confirm your return in time, so <b>{amount}</b> "
        "(order #{order_id}) is being refunded to you.",
        "💰 售后单 #{ticket_id}:商家未按时确认收货,订单 #{order_id} 的 <b>{amount}</b> 已自动退款给您。",
    ),
    "aftersales.notify.auto_refunded.merchant": (
        "⏰ Ticket #{ticket_id} (order #{order_id}): the returned parcel was not confirmed in time; "
        "the buyer has been refunded {amount}.",
        "⏰ 售后单 #{ticket_id}(订单 #{order_id}):未按时确认收到退货,系统已向买家退款 {amount}。",
    ),
    "aftersales.notify.withdrawn": (
        "The buyer withdrew ticket #{ticket_id} (order #{order_id}). Nothing more to do.",
        "买家已撤销售后单 #{ticket_id}(订单 #{order_id}),无需再处理。",
    ),
    "aftersales.notify.escalated.admin": (
        "⚖️ <b>Dispute: ticket #{ticket_id}</b>, order #{order_id} ({amount}) at {shop}\n"
        "Buyer: “{text}”\nShop's rejection: “{reject_reason}”",
        "⚖️ <b>纠纷:售后单 #{ticket_id}</b>,{shop} 的订单 #{order_id}({amount})\n"
        "买家:“{text}”\n商家拒绝理由:“{reject_reason}”",
    ),
    "aftersales.notify.escalated.merchant": (
        "⚖️ The buyer asked the platform to decide ticket #{ticket_id} (order #{order_id}). "
        "An admin will look at it; you can still add messages.",
        "⚖️ 买家已就售后单 #{ticket_id}(订单 #{order_id})申请平台介入,管理员将进行处理;您仍可在售后单中留言。",
    ),
    "aftersales.notify.ruled.refund.buyer": (
        "⚖️ The platform decided ticket #{ticket_id} in your favour: <b>{amount}</b> for order #{order_id} "
        "is refunded to you.\nNote: {note}",
        "⚖️ 平台已裁定售后单 #{ticket_id}:支持您的申请,订单 #{order_id} 的 <b>{amount}</b> 将退还给您。\n说明:{note}",
    ),
    "aftersales.notify.ruled.refund.merchant": (
        "⚖️ The platform decided ticket #{ticket_id} (order #{order_id}) for the buyer: {amount} was refunded "
        "out of your shop's deposit.\nNote: {note}",
        "⚖️ 平台已裁定售后单 #{ticket_id}(订单 #{order_id})支持买家:已从您的店铺保证金中退款 {amount}。\n说明:{note}",
    ),
    "aftersales.notify.ruled.close.buyer": (
        "⚖️ The platform reviewed ticket #{ticket_id} (order #{order_id}) and closed it without a refund.\nNote: {note}",
        "⚖️ 平台已审核售后单 #{ticket_id}(订单 #{order_id}),裁定不予退款并关闭。\n说明:{note}",
    ),
    "aftersales.notify.ruled.close.merchant": (
        "⚖️ The platform reviewed ticket #{ticket_id} (order #{order_id}) and closed it in your favour.\nNote: {note}",
        "⚖️ 平台已审核售后单 #{ticket_id}(订单 #{order_id}),裁定支持商家并关闭。\n说明:{note}",
    ),
    # --- notifications: reviews --------------------------------------------------------------------------------
    "aftersales.notify.review.new": (
        "⭐ <b>New review</b> #{review_id} of “{title}” (order #{order_id})\n"
        "Quality {quality}/5 · Shipping {shipping}/5 · Service {service}/5\n“{text}”",
        "⭐ <b>新评价</b> #{review_id}:“{title}”(订单 #{order_id})\n"
        "商品质量 {quality}/5 · 物流速度 {shipping}/5 · 服务态度 {service}/5\n“{text}”",
    ),
    "aftersales.notify.review.replied": (
        "💬 {shop} replied to your review of “{title}”:\n“{reply}”",
        "💬 {shop} 回复了您对“{title}”的评价:\n“{reply}”",
    ),
}
