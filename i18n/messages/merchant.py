"""Texts of the merchant's journeys: applying, the deposit, the dashboard, products, import, orders, stats."""

MESSAGES: dict[str, tuple[str, str]] = {
    # errors raised by merchant use cases
    "error.no_shop": (
        "You don't have a shop yet. Send /open_shop to apply for one.",
        "您还没有店铺。发送 /open_shop 申请开店。",
    ),
    "error.invalid_csv": (
        "That CSV file can't be imported. Send /import_products to see the format.",
        "该 CSV 文件无法导入。发送 /import_products 查看文件格式。",
    ),
    # labels
    "merchant.shop_type.individual": ("Individual", "个人店"),
    "merchant.shop_type.enterprise": ("Enterprise", "企业店"),
    "merchant.shop_type.flagship": ("Flagship", "旗舰店"),
    "merchant.shop_status.pending_review": ("⏳ under review", "⏳ 审核中"),
    "merchant.shop_status.awaiting_deposit": ("💰 approved, deposit due", "💰 已通过,待缴保证金"),
    "merchant.shop_status.active": ("✅ open for business", "✅ 营业中"),
    "merchant.shop_status.rejected": ("❌ rejected", "❌ 未通过"),
    "merchant.shop_status.expired": ("⌛ approval expired", "⌛ 审核通过已过期"),
    "merchant.shop_status.suspended": ("⛔ suspended", "⛔ 已暂停营业"),
    "merchant.shop_status.closed": ("🔒 closed", "🔒 已关闭"),
    "merchant.order_status.pending_payment": ("awaiting payment", "待付款"),
    "merchant.order_status.grouping": ("group forming", "拼团中"),
    "merchant.order_status.paid": ("🆕 to accept", "🆕 待接单"),
    "merchant.order_status.accepted": ("📦 to ship", "📦 待发货"),
    "merchant.order_status.shipped": ("🚚 shipped", "🚚 已发货"),
    "merchant.order_status.completed": ("✅ completed", "✅ 已完成"),
    "merchant.order_status.cancelled": ("✖️ cancelled", "✖️ 已取消"),
    "merchant.order_status.refunded": ("↩️ refunded", "↩️ 已退款"),
    # buttons
    "merchant.btn.cancel": ("✖️ Cancel", "✖️ 取消"),
    "merchant.btn.back": ("⬅️ Back", "⬅️ 返回"),
    "merchant.btn.submit": ("✅ Submit", "✅ 提交"),
    "merchant.btn.edit": ("✏️ Edit", "✏️ 修改"),
    "merchant.btn.docs_done": ("✅ Done ({count})", "✅ 完成({count} 张)"),
    "merchant.btn.photos_done": ("✅ Done ({count})", "✅ 完成({count} 张)"),
    "merchant.btn.skip": ("Skip ⏭", "跳过 ⏭"),
    "merchant.btn.accept_agreement": ("✅ I accept the agreement", "✅ 我已阅读并同意"),
    "merchant.btn.pay_deposit": ("💰 Pay deposit", "💰 缴纳保证金"),
    # applying (/open_shop)
    "merchant.apply.intro": (
        "🏪 <b>Open your shop</b>\nA few questions and you're done; you can /cancel at any time, "
        "and if we get interrupted, /open_shop carries on where you left off.",
        "🏪 <b>申请开店</b>\n回答几个问题即可完成;随时可以 /cancel 取消,"
        "中途中断后再次发送 /open_shop 会从上次的位置继续。",
    ),
    "merchant.apply.resume": (
        "Welcome back! Let's continue your shop application.",
        "欢迎回来!我们继续填写开店申请。",
    ),
    "merchant.apply.ask_name": (
        "1/6 · What is your shop called? (up to 40 characters)",
        "1/6 · 您的店铺叫什么名字?(最多 40 个字)",
    ),
    "merchant.apply.ask_scope": (
        "2/6 · What will you sell? Describe your business scope in a sentence or two.",
        "2/6 · 您打算卖什么?请用一两句话描述经营范围。",
    ),
    "merchant.apply.ask_type": (
        "3/6 · Which kind of shop? The deposit you pay after approval depends on it:",
        "3/6 · 请选择店铺类型,审核通过后需缴纳的保证金因类型而异:",
    ),
    "merchant.apply.type_chosen": ("Shop type: <b>{shop_type}</b>", "店铺类型:<b>{shop_type}</b>"),
    "merchant.apply.ask_phone": (
        "4/6 · A contact phone number (digits, may start with +):",
        "4/6 · 请输入联系电话(数字,可以 + 开头):",
    ),
    "merchant.apply.ask_docs": (
        "5/6 · Send photos of your business licence and ID, one per message (up to {max}).",
        "5/6 · 请上传营业执照和身份证照片,每条消息一张(最多 {max} 张)。",
    ),
    "merchant.apply.doc_received": (
        "📎 {count} of at most {max} received. Send another, or press Done.",
        "📎 已收到 {count} 张(最多 {max} 张)。可以继续发送,或点击“完成”。",
    ),
    "merchant.apply.docs_full": ("📎 That's {max}, the most we take.", "📎 已收到 {max} 张,已达上限。"),
    "merchant.apply.agreement": (
        "6/6 · <b>Merchant agreement</b>\n"
        "• You sell only what you describe, at the price shown, and ship within the ship-by time.\n"
        "• You answer after-sales requests within 48 hours; unanswered requests are approved automatically.\n"
        "• Your deposit stays with the marketplace while your shop is open and covers refunds you owe.\n"
        "• Late shipments and complaints lower your shop score; a low score can suspend your shop.\n"
        "• The marketplace may suspend or close a shop that breaks these rules.",
        "6/6 · <b>商家入驻协议</b>\n"
        "• 如实描述商品,按标价销售,并在发货时限内发货。\n"
        "• 48 小时内处理售后申请,逾期未处理的申请将自动同意。\n"
        "• 店铺营业期间保证金由平台保管,用于赔付您应退还的款项。\n"
        "• 延迟发货和投诉会降低店铺评分,评分过低可能被暂停营业。\n"
        "• 违反上述规则的店铺,平台有权暂停营业或关闭。",
    ),
    "merchant.apply.summary": (
        "📋 <b>Please check your application</b>\n"
        "Shop name: <b>{name}</b>\nBusiness scope: {scope}\nShop type: {shop_type}\nPhone: {phone}\n"
        "Documents: {documents}\nDeposit after approval: <b>{deposit}</b>\n\nSubmit it for review?",
        "📋 <b>请确认您的申请信息</b>\n"
        "店铺名称:<b>{name}</b>\n经营范围:{scope}\n店铺类型:{shop_type}\n联系电话:{phone}\n"
        "资质材料:{documents} 张\n审核通过后需缴保证金:<b>{deposit}</b>\n\n确认提交审核吗?",
    ),
    "merchant.apply.edit_which": ("What would you like to change?", "您想修改哪一项?"),
    "merchant.apply.field_name": ("Shop name", "店铺名称"),
    "merchant.apply.field_scope": ("Business scope", "经营范围"),
    "merchant.apply.field_type": ("Shop type", "店铺类型"),
    "merchant.apply.field_phone": ("Phone", "联系电话"),
    "merchant.apply.field_docs": ("Documents (send them again)", "资质材料(重新上传)"),
    "merchant.apply.submitted": (
        "✅ Application for <b>{name}</b> submitted (No. {shop_id}). We'll message you as soon as it is reviewed.",
        "✅ 店铺<b>{name}</b>的开店申请已提交(编号 {shop_id})。审核完成后我们会第一时间通知您。",
    ),
    "merchant.apply.cancelled": (
        "Application cancelled; nothing was sent. /open_shop starts again.",
        "已取消申请,未提交任何信息。发送 /open_shop 可重新开始。",
    ),
    "merchant.apply.not_open": (
        "This application is no longer open. Send /open_shop to start one.",
        "该申请已结束。发送 /open_shop 重新申请。",
    ),
    "merchant.apply.already": (
        "You already have a shop: <b>{name}</b> — {status}. See /shop.",
        "您已有店铺:<b>{name}</b> —— {status}。请查看 /shop。",
    ),
    "merchant.apply.reapply_rejected": (
        "Your last application was not approved. Reason: {reason}\nYou're welcome to apply again.",
        "您上次的申请未通过,原因:{reason}\n欢迎修改后重新申请。",
    ),
    "merchant.apply.reapply_expired": (
        "Your last approval expired because the deposit wasn't paid in time. You can apply again.",
        "您上次的申请因未按时缴纳保证金已失效,可以重新申请。",
    ),
    # products (/add_product, /products)
    "merchant.btn.list_it": ("✅ List it", "✅ 确认上架"),
    "merchant.btn.unlist": ("⏸ Take off sale", "⏸ 下架"),
    "merchant.btn.relist": ("▶️ Put on sale", "▶️ 上架"),
    "merchant.btn.edit_price": ("💰 Price", "💰 改价格"),
    "merchant.btn.edit_stock": ("📦 Stock", "📦 改库存"),
    "merchant.btn.edit_photos": ("🖼 Photos", "🖼 换图片"),
    "merchant.btn.all_products": ("⬅️ All products", "⬅️ 全部商品"),
    "merchant.btn.group_buy": ("👥 Group buy settings", "👥 拼团设置"),
    "merchant.product.intro": (
        "🆕 <b>New product for {shop}</b>\nA few questions; /cancel stops without saving.",
        "🆕 <b>为{shop}发布新商品</b>\n回答几个问题即可;发送 /cancel 可随时放弃,不会保存。",
    ),
    "merchant.product.ask_title": (
        "1/7 · The product's title, as buyers will see it (up to 80 characters):",
        "1/7 · 商品标题(买家看到的名称,最多 80 个字):",
    ),
    "merchant.product.ask_description": (
        "2/7 · A description: what it is, size, material, anything buyers ask about (or Skip).",
        "2/7 · 商品描述:规格、材质等买家关心的信息(也可以跳过)。",
    ),
    "merchant.product.ask_category": (
        "3/7 · Its category: type one, or pick one buyers already browse:",
        "3/7 · 商品分类:直接输入,或选择一个已有分类:",
    ),
    "merchant.product.ask_brand": ("4/7 · The brand (or Skip):", "4/7 · 品牌(也可以跳过):"),
    "merchant.product.ask_price": (
        "5/7 · The price, like 12 or 12.50:",
        "5/7 · 价格,例如 12 或 12.50:",
    ),
    "merchant.product.ask_stock": (
        "6/7 · How many do you have in stock? (a whole number)",
        "6/7 · 库存数量是多少?(整数)",
    ),
    "merchant.product.ask_photos": (
        "7/7 · Send up to {max} photos, one per message; the first is the cover. Or skip.",
        "7/7 · 请发送商品图片,每条消息一张,最多 {max} 张,第一张为封面;也可以跳过。",
    ),
    "merchant.product.photo_received": (
        "🖼 {count} of at most {max} photos. Send another, or press Done.",
        "🖼 已收到 {count} 张(最多 {max} 张)。可以继续发送,或点击“完成”。",
    ),
    "merchant.product.draft": (
        "📋 <b>{title}</b>\n{description}\nCategory: {category} · Brand: {brand}\n"
        "Price: <b>{price}</b> · Stock: {stock} · Photos: {photos}\n\nList it now?",
        "📋 <b>{title}</b>\n{description}\n分类:{category} · 品牌:{brand}\n"
        "价格:<b>{price}</b> · 库存:{stock} · 图片:{photos} 张\n\n确认上架吗?",
    ),
    "merchant.product.cancelled": ("Nothing was listed.", "已放弃,商品未发布。"),
    "merchant.product.not_open": (
        "That form is closed. Use /add_product or /products.",
        "该操作已结束,请使用 /add_product 或 /products。",
    ),
    "merchant.product.on_sale": ("✅ on sale", "✅ 在售"),
    "merchant.product.off_sale": ("⏸ off sale", "⏸ 已下架"),
    "merchant.product.card": (
        "🛍 <b>{title}</b> (No. {product_id})\nPrice: <b>{price}</b> · Stock: {stock} · Sold: {sales}\n"
        "Category: {category} · Brand: {brand} · Photos: {photos}\n{status}",
        "🛍 <b>{title}</b>(编号 {product_id})\n价格:<b>{price}</b> · 库存:{stock} · 已售:{sales}\n"
        "分类:{category} · 品牌:{brand} · 图片:{photos} 张\n{status}",
    ),
    "merchant.product.saved": ("✅ Saved.", "✅ 已保存。"),
    "merchant.product.edit_price": (
        "💰 New price for <b>{title}</b> (now {current}), like 12 or 12.50. Orders already placed keep their price.",
        "💰 请输入<b>{title}</b>的新价格(当前 {current}),例如 12 或 12.50。已下单的订单价格不变。",
    ),
    "merchant.product.edit_stock": (
        "📦 New stock count for <b>{title}</b> (now {current}):",
        "📦 请输入<b>{title}</b>的新库存(当前 {current}):",
    ),
    "merchant.product.edit_photos": (
        "🖼 Send new photos for <b>{title}</b> (it has {count}), up to {max}, one per message, then press Done. "
        "They replace the current ones; Done with none removes them all.",
        "🖼 请为<b>{title}</b>发送新图片(当前 {count} 张),最多 {max} 张,每条一张,然后点击“完成”。"
        "新图片将替换原有图片;不发图片直接完成则删除全部图片。",
    ),
    "merchant.product.edit_cancelled": ("Nothing was changed.", "未做任何修改。"),
    "merchant.products.header": ("🛍 <b>{shop}</b> — {total} products", "🛍 <b>{shop}</b> —— 共 {total} 件商品"),
    "merchant.products.line": (
        "{mark}<b>{title}</b> · {price} · stock {stock} · No. {product_id}",
        "{mark}<b>{title}</b> · {price} · 库存 {stock} · 编号 {product_id}",
    ),
    "merchant.products.empty": (
        "<b>{shop}</b> has no products yet. /add_product lists one; /import_products brings many from a CSV file.",
        "<b>{shop}</b>还没有商品。发送 /add_product 发布商品,或用 /import_products 从 CSV 文件批量导入。",
    ),
    # orders
    "merchant.btn.accept": ("✅ Accept", "✅ 接单"),
    "merchant.btn.decline": ("✖️ Decline", "✖️ 拒单"),
    "merchant.btn.ship": ("🚚 Ship", "🚚 发货"),
    "merchant.btn.orders": ("📋 Orders", "📋 订单列表"),
    "merchant.btn.track_update": ("📍 Post a tracking update", "📍 更新物流信息"),
    "merchant.btn.other_reason": ("✏️ Another reason (type it)", "✏️ 其他原因(手动输入)"),
    "merchant.order.card": (
        "🧾 <b>Order No. {order_id}</b> · {status}\n{receipt}\n📍 {address}\n{when}",
        "🧾 <b>订单 {order_id}</b> · {status}\n{receipt}\n📍 {address}\n{when}",
    ),
    "merchant.order.ship_by": ("⏰ Ship by {ship_by}", "⏰ 请在 {ship_by} 前发货"),
    "merchant.order.shipped_with": ("🚚 {carrier} · {tracking}", "🚚 {carrier} · {tracking}"),
    "merchant.order.declined_because": ("Declined: {reason}", "拒单原因:{reason}"),
    "merchant.order.confirm_paused": (
        "⏸ Auto-confirm waits while the buyer's after-sales ticket is open.",
        "⏸ 买家售后处理中,暂停自动确认收货。",
    ),
    "merchant.order.accepted": (
        "✅ Order No. {order_id} accepted; the buyer has been told. Ship it before the time below.",
        "✅ 已接单(订单 {order_id}),已通知买家。请在下方时间前发货。",
    ),
    "merchant.order.declined": (
        "✖️ Order No. {order_id} declined; the buyer is being refunded and was told why.",
        "✖️ 已拒绝订单 {order_id},货款已退还买家并告知原因。",
    ),
    "merchant.order.shipped": (
        "🚚 Order No. {order_id} shipped; the buyer can now track the parcel.",
        "🚚 订单 {order_id} 已发货,买家现在可以查看物流了。",
    ),
    "merchant.order.nothing_changed": ("Nothing was changed.", "未做任何修改。"),
    "merchant.decline.ask": (
        "Decline order No. {order_id} ({total})? The buyer is refunded in full. Choose the reason they'll see:",
        "确定拒绝订单 {order_id}({total})吗?货款将全额退还买家。请选择告知买家的原因:",
    ),
    "merchant.decline.ask_text": (
        "Type the reason for declining order No. {order_id}; the buyer will read it. /cancel keeps the order.",
        "请输入拒绝订单 {order_id} 的原因,买家会看到。发送 /cancel 可保留订单。",
    ),
    "merchant.decline.out_of_stock": ("Sold out", "商品已售罄"),
    "merchant.decline.cannot_deliver": ("We can't deliver to this address", "该地址无法配送"),
    "merchant.decline.price_error": ("The price was listed by mistake", "商品标价有误"),
    "merchant.decline.buyer_asked": ("The buyer asked to cancel", "买家要求取消"),
    "merchant.ship.ask_carrier": (
        "🚚 Shipping order No. {order_id}: which carrier? Press one or type its name.",
        "🚚 订单 {order_id} 发货:请选择快递公司,或直接输入名称。",
    ),
    "merchant.ship.sandbox": ("🧪 Sandbox courier (for trying out)", "🧪 模拟快递(试用)"),
    "merchant.ship.ask_tracking": (
        "Carrier: <b>{carrier}</b>. Now the tracking number (letters, digits or dashes, no spaces):",
        "快递公司:<b>{carrier}</b>。请输入快递单号(字母、数字或短横线,不含空格):",
    ),
    "merchant.track.ask": (
        "📍 What's the latest on order No. {order_id}'s parcel? (up to 200 characters; the buyer sees it)",
        "📍 订单 {order_id} 的包裹有什么最新进展?(最多 200 字,买家可见)",
    ),
    "merchant.track.posted": (
        "📍 Tracking update posted to order No. {order_id}; the buyer has been told.",
        "📍 已更新订单 {order_id} 的物流信息并通知买家。",
    ),
    "merchant.orders.header": ("📋 <b>{shop}</b> · {filter}: {total}", "📋 <b>{shop}</b> · {filter}:{total} 单"),
    "merchant.orders.empty": ("Nothing here right now.", "暂时没有订单。"),
    "merchant.orders.line": (
        "No. {order_id} · {status} · {total} · {first}{more}",
        "订单 {order_id} · {status} · {total} · {first}{more}",
    ),
    "merchant.orders.more": (" (+{count} more)", "(另 {count} 种)"),
    "merchant.orders.open_button": ("Order No. {order_id}", "订单 {order_id}"),
    "merchant.orders.filter_todo": ("To handle", "待处理"),
    "merchant.orders.filter_new": ("To accept", "待接单"),
    "merchant.orders.filter_accepted": ("To ship", "待发货"),
    "merchant.orders.filter_shipped": ("Shipped", "已发货"),
    "merchant.orders.filter_grouping": ("Group forming", "拼团中"),
    "merchant.orders.filter_completed": ("Completed", "已完成"),
    "merchant.orders.filter_cancelled": ("Cancelled", "已取消"),
    "merchant.orders.filter_refunded": ("Refunded", "已退款"),
    "merchant.orders.filter_all": ("All", "全部"),
    "merchant.orders.usage": (
        "Usage: /orders [new | accepted | shipped | grouping | completed | cancelled | refunded | all]; "
        "/orders mine shows what you bought.",
        "用法:/orders [new 待接单 | accepted 待发货 | shipped 已发货 | grouping 拼团中 | completed 已完成 | "
        "cancelled 已取消 | refunded 已退款 | all 全部];/orders mine 查看您买的订单。",
    ),
    "merchant.usage.accept": (
        "Usage: /accept &lt;order number&gt;, e.g. /accept 12",
        "用法:/accept 订单号,例如 /accept 12",
    ),
    "merchant.usage.decline": (
        "Usage: /decline &lt;order number&gt; &lt;reason&gt;, e.g. /decline 12 Sold out",
        "用法:/decline 订单号 原因,例如 /decline 12 商品已售罄",
    ),
    "merchant.usage.ship": (
        "Usage: /ship &lt;order number&gt; &lt;carrier&gt; &lt;tracking number&gt;, e.g. /ship 12 SF SF1234567890. "
        'Put a carrier name of several words in quotes: /ship 12 "Swift Parcel" AB-123.',
        "用法:/ship 订单号 快递公司 快递单号,例如 /ship 12 顺丰 SF1234567890。"
        '快递公司名称含空格时请加引号:/ship 12 "Swift Parcel" AB-123。',
    ),
    "merchant.usage.track_update": (
        "Usage: /track_update &lt;order number&gt; &lt;text&gt;, e.g. /track_update 12 Arrived in Shanghai",
        "用法:/track_update 订单号 内容,例如 /track_update 12 已到达上海",
    ),
    # dashboard (/shop)
    "merchant.btn.refresh": ("🔄 Refresh", "🔄 刷新"),
    "merchant.btn.to_accept": ("🆕 To accept ({count})", "🆕 待接单({count})"),
    "merchant.btn.to_ship": ("📦 To ship ({count})", "📦 待发货({count})"),
    "merchant.btn.products": ("🛍 Products", "🛍 商品管理"),
    "merchant.btn.add_product": ("➕ Add product", "➕ 发布商品"),
    "merchant.btn.stats": ("📊 Stats", "📊 数据"),
    "merchant.dashboard.pending": (
        "🏪 <b>{name}</b> (No. {shop_id}) · {shop_type}\nStatus: {status}\n"
        "Submitted {since}. We'll message you as soon as an admin has looked at it.",
        "🏪 <b>{name}</b>(编号 {shop_id})· {shop_type}\n状态:{status}\n提交于 {since}。管理员审核后会第一时间通知您。",
    ),
    "merchant.dashboard.awaiting_deposit": (
        "🏪 <b>{name}</b> (No. {shop_id}) · {shop_type}\nStatus: {status}\n"
        "Pay the deposit of <b>{deposit}</b> by {deadline} to open your shop.",
        "🏪 <b>{name}</b>(编号 {shop_id})· {shop_type}\n状态:{status}\n"
        "请在 {deadline} 前缴纳保证金 <b>{deposit}</b>,缴纳后店铺即可开业。",
    ),
    "merchant.dashboard.open": (
        "🏪 <b>{name}</b> (No. {shop_id}) · {shop_type}\nStatus: {status} · Score: <b>{score}</b>\n\n"
        "🆕 To accept: <b>{to_accept}</b>\n📦 To ship: <b>{to_ship}</b>\n🚚 On the way: {shipped}\n"
        "🎧 Open after-sales tickets: <b>{tickets}</b> (/tickets)\n🛍 Products: {products}\n"
        "⏰ Late shipments so far: {late}",
        "🏪 <b>{name}</b>(编号 {shop_id})· {shop_type}\n状态:{status} · 店铺评分:<b>{score}</b>\n\n"
        "🆕 待接单:<b>{to_accept}</b>\n📦 待发货:<b>{to_ship}</b>\n🚚 运输中:{shipped}\n"
        "🎧 待处理售后:<b>{tickets}</b>(/tickets)\n🛍 商品数:{products}\n"
        "⏰ 累计延迟发货:{late}",
    ),
    "merchant.dashboard.suspended": (
        "⛔ Your shop is suspended: {reason}\nYour products are hidden and you can't list new ones; "
        "please still ship the orders already paid.",
        "⛔ 店铺已被暂停营业:{reason}\n商品已对买家隐藏,暂不能发布新商品;已付款的订单请继续发货。",
    ),
    "merchant.dashboard.finished": (
        "🏪 <b>{name}</b> — {status}\nReason: {reason}\nSend /open_shop to apply again.",
        "🏪 <b>{name}</b> —— {status}\n原因:{reason}\n发送 /open_shop 可重新申请。",
    ),
    # stats (/stats)
    "merchant.stats.header": (
        "📊 <b>{name}</b> — figures as of {at}\n\n{periods}",
        "📊 <b>{name}</b> —— 数据截至 {at}\n\n{periods}",
    ),
    "merchant.stats.period": (
        "<b>Last {days} days</b>\n💰 Sales: <b>{sales}</b>\n🧾 Orders: {orders} · average {average}\n"
        "↩️ Refund rate: {refund_rate}\n🚚 Shipped on time: {on_time}\n"
        "⭐ Reviews: {reviews} · quality {quality} · shipping {shipping} · service {service}",
        "<b>近 {days} 天</b>\n💰 销售额:<b>{sales}</b>\n🧾 订单数:{orders} · 客单价 {average}\n"
        "↩️ 退款率:{refund_rate}\n🚚 准时发货率:{on_time}\n"
        "⭐ 评价:{reviews} 条 · 商品质量 {quality} · 物流速度 {shipping} · 服务态度 {service}",
    ),
    "merchant.stats.chart_caption": (
        "📈 {name}: daily sales, last {days} days",
        "📈 {name}:近 {days} 天每日销售额",
    ),
    # deposit
    "merchant.deposit.invoice_title": ("Deposit · {name}", "保证金 · {name}"),
    "merchant.deposit.invoice_description": (
        "Shop deposit for {name}. Your shop opens as soon as it is paid (due by {deadline}).",
        "{name}的店铺保证金,缴纳后店铺立即开业(截止 {deadline})。",
    ),
    "merchant.deposit.invoice_label": ("Shop deposit", "店铺保证金"),
    # CSV import (/import_products)
    "merchant.csv.intro": (
        "📥 <b>Import products from a CSV file</b>\nSend the file as a document. The first row must be:\n"
        "<code>{header}</code>\n(any order). Then one product per row:\n"
        "<code>Jasmine tea 250 g,Spring harvest,Tea,Lao Cha,39.90,120</code>\n"
        "• price like 12 or 12.50, above zero; stock a whole number (0 allowed)\n"
        "• title and category are required; description and brand may be empty\n"
        '• quote a field containing commas: <code>"Gaiwan, white"</code>\n'
        "• UTF-8 (Excel: “CSV UTF-8”), at most {max_rows} rows and {max_mb} MB\n"
        "Valid rows are added in the background; rows with mistakes are listed by line. /cancel stops.",
        "📥 <b>从 CSV 文件批量导入商品</b>\n请以文件形式发送。第一行必须是:\n"
        "<code>{header}</code>\n(列的顺序不限)。之后每行一个商品:\n"
        "<code>茉莉花茶 250 克,春茶,茶叶,老茶,39.90,120</code>\n"
        "• 价格如 12 或 12.50,必须大于零;库存为整数(可以为 0)\n"
        "• 标题(title)和分类(category)必填;描述和品牌可以留空\n"
        '• 含逗号的内容请加英文双引号:<code>"盖碗, 白瓷"</code>\n'
        "• 文件编码 UTF-8(Excel 另存为“CSV UTF-8”),最多 {max_rows} 行、{max_mb} MB\n"
        "格式正确的行会在后台导入,有问题的行会按行号列出。发送 /cancel 可取消。",
    ),
    "merchant.csv.send_a_file": (
        "Please send the CSV as a file (📎 → File), or /cancel.",
        "请以文件形式发送 CSV(📎 → 文件),或发送 /cancel 取消。",
    ),
    "merchant.csv.not_csv": (
        "That looks like a spreadsheet file. Please save it as CSV first (Excel: “Save as → CSV UTF-8”) and send that.",
        "这看起来是电子表格文件。请先另存为 CSV(Excel:“另存为 → CSV UTF-8”)再发送。",
    ),
    "merchant.csv.try_again": (
        "Nothing was imported. Fix the file and send it again, or /cancel.",
        "未导入任何商品。请修改文件后重新发送,或发送 /cancel 取消。",
    ),
    "merchant.csv.cancelled": ("Import cancelled; nothing was added.", "已取消导入,未添加任何商品。"),
    "merchant.csv.row_error": ("Line {line}:", "第 {line} 行:"),
    "merchant.csv.too_big": (
        "❌ That file is too big: at most {max_mb} MB.",
        "❌ 文件太大:最多 {max_mb} MB。",
    ),
    "merchant.csv.encoding": (
        "❌ That file is not UTF-8 text (byte {offset} can't be read). In Excel choose “Save as → CSV UTF-8”; "
        "other editors have an “encoding: UTF-8” option.",
        "❌ 该文件不是 UTF-8 编码(第 {offset} 个字节无法识别)。请在 Excel 中选择“另存为 → CSV UTF-8”,"
        "或在其他编辑器中将编码设为 UTF-8。",
    ),
    "merchant.csv.no_header": (
        "❌ The file is empty. Its first row must be: <code>{expected}</code>",
        "❌ 文件是空的。第一行必须是:<code>{expected}</code>",
    ),
    "merchant.csv.missing_columns": (
        "❌ The header is missing: <b>{columns}</b>. The first row must name: <code>{expected}</code>",
        "❌ 表头缺少以下列:<b>{columns}</b>。第一行必须包含:<code>{expected}</code>",
    ),
    "merchant.csv.unknown_columns": (
        "❌ Unknown columns in the header: <b>{columns}</b>. Use exactly: <code>{expected}</code>",
        "❌ 表头中有无法识别的列:<b>{columns}</b>。请只使用:<code>{expected}</code>",
    ),
    "merchant.csv.repeated_columns": (
        "❌ These columns appear twice in the header: <b>{columns}</b>.",
        "❌ 表头中以下列重复出现:<b>{columns}</b>。",
    ),
    "merchant.csv.malformed": (
        "❌ The file can't be read near line {line}: check for a quote that is opened but never closed.",
        "❌ 第 {line} 行附近无法解析:请检查是否有未闭合的引号。",
    ),
    "merchant.csv.no_rows": (
        "❌ The file has a header but no products.",
        "❌ 文件只有表头,没有商品数据。",
    ),
    "merchant.csv.too_many_rows": (
        "❌ Too many rows: at most {max} per file. Split it into several files.",
        "❌ 行数太多:每个文件最多 {max} 行,请拆分成多个文件。",
    ),
    "merchant.csv.field_count": (
        "has {found} fields instead of {expected} (a comma inside a value needs quotes).",
        "有 {found} 个字段,应为 {expected} 个(内容中含逗号时需加引号)。",
    ),
}
