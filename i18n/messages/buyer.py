"""Texts of the buyer's shopping journeys: menu, browsing, search, product page, cart, checkout, orders, tracking."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- errors raised by the buyer's use cases ----
    "error.cart_full": (
        "Your cart is full ({max} different products). Check out or remove something first.",
        "购物车已满(最多 {max} 种商品),请先结算或移除一些商品。",
    ),
    "error.not_in_cart": (
        "That item is no longer in your cart — this button is from an older message. Open /cart again.",
        "该商品已不在购物车中(这是旧消息上的按钮),请重新打开 /cart。",
    ),
    "error.too_many_addresses": (
        "You can keep at most {max} addresses. Delete one in /addresses first.",
        "最多保存 {max} 个地址,请先在 /addresses 中删除一个。",
    ),
    # ---- main menu, start, help, language ----
    "buyer.menu.browse": ("🛍 Browse", "🛍 逛逛"),
    "buyer.menu.search": ("🔍 Search", "🔍 搜索"),
    "buyer.menu.cart": ("🛒 Cart", "🛒 购物车"),
    "buyer.menu.orders": ("📦 My orders", "📦 我的订单"),
    "buyer.menu.addresses": ("📍 Addresses", "📍 收货地址"),
    "buyer.menu.help": ("❓ Help", "❓ 帮助"),
    "buyer.menu.language": ("🌐 Language", "🌐 语言"),
    "buyer.start.welcome": (
        "👋 Welcome, {name}!\nBrowse the shops, team up for group prices and pay right here in Telegram. "
        "Use the menu below, or /help to see everything.",
        "👋 欢迎,{name}!\n在这里逛店铺、拼团享低价,并直接在 Telegram 内付款。"
        "请使用下方菜单,或发送 /help 查看全部功能。",
    ),
    "buyer.start.menu_ready": ("The menu below is ready.", "下方菜单已更新。"),
    "buyer.start.bad_link": (
        "👋 Hello {name}! That link doesn't lead anywhere any more — have a look around with 🛍 Browse instead.",
        "👋 {name},您好!该链接已失效,不如点 🛍 逛逛 看看别的商品。",
    ),
    "buyer.help": (
        "<b>What you can do</b>\n"
        "🛍 /browse — shop by category or by shop\n"
        "🔍 /search <i>words</i> — find products (Chinese or English)\n"
        "🛒 /cart — change quantities, then check out\n"
        "📦 /orders — pay, cancel, track and confirm your orders\n"
        "🚚 /track <i>order number</i> — where your parcel is\n"
        "✅ /confirm <i>order number</i> — confirm you received it\n"
        "📍 /addresses — your saved delivery addresses\n"
        "🌐 /language — English or 中文\n"
        "✖️ /cancel — stop what you are typing\n\n"
        "On a product page tap ⚡ Buy now or 🛒 Add to cart; 👥 group buys are cheaper when friends join. "
        "Pay within the time shown on the order, or it is cancelled and nothing is charged.",
        "<b>您可以</b>\n"
        "🛍 /browse — 按分类或店铺逛逛\n"
        "🔍 /search <i>关键词</i> — 搜索商品(中英文均可)\n"
        "🛒 /cart — 修改数量并结算\n"
        "📦 /orders — 付款、取消、查看物流、确认收货\n"
        "🚚 /track <i>订单号</i> — 查看包裹到哪了\n"
        "✅ /confirm <i>订单号</i> — 确认收货\n"
        "📍 /addresses — 管理收货地址\n"
        "🌐 /language — 切换 English / 中文\n"
        "✖️ /cancel — 退出当前输入\n\n"
        "在商品页点 ⚡ 立即购买 或 🛒 加入购物车;👥 拼团邀请好友一起买更便宜。"
        "请在订单显示的时间内付款,否则订单将自动取消且不会扣款。",
    ),
    "buyer.language.choose": ("Choose your language:", "请选择语言:"),
    "buyer.language.set": ("✅ Language set to {language}.", "✅ 语言已切换为{language}。"),
    "buyer.stale": (
        "This button is from an older message and no longer applies. Nothing was changed — "
        "please use the latest message or start again from the menu.",
        "这是旧消息上的按钮,已经失效,未做任何更改。请使用最新的消息,或从菜单重新开始。",
    ),
    "buyer.nav.previous": ("◀️", "◀️"),
    "buyer.nav.next": ("▶️", "▶️"),
    # ---- browsing ----
    "buyer.browse.categories": (
        "🛍 <b>What are you looking for?</b>\nPick a category, or browse by shop.",
        "🛍 <b>想买点什么?</b>\n选择一个分类,或按店铺逛逛。",
    ),
    "buyer.browse.empty": (
        "Nothing is on sale yet. Please come back soon!",
        "目前还没有在售商品,请稍后再来看看!",
    ),
    "buyer.browse.by_shop": ("🏪 Browse by shop", "🏪 按店铺逛"),
    "buyer.browse.back_categories": ("⬅️ Categories", "⬅️ 返回分类"),
    "buyer.browse.back_shops": ("⬅️ Shops", "⬅️ 返回店铺列表"),
    "buyer.browse.category": ("🛍 <b>{name}</b> — on sale: {total}", "🛍 <b>{name}</b> — 在售 {total} 件"),
    "buyer.browse.category_gone": (
        "That category is empty now. Here are the others.",
        "该分类下暂时没有商品了,看看其他分类吧。",
    ),
    "buyer.browse.shops": ("🏪 <b>Shops open now: {total}</b>", "🏪 <b>营业中的店铺:{total} 家</b>"),
    "buyer.browse.no_shops": ("No shop is open right now.", "目前没有营业中的店铺。"),
    "buyer.browse.shop_button": ("🏪 {name} ⭐ {rating}", "🏪 {name} ⭐ {rating}"),
    "buyer.browse.shop": ("🏪 <b>{name}</b> — on sale: {total}", "🏪 <b>{name}</b> — 在售 {total} 件"),
    "buyer.browse.shop_empty": ("This shop has nothing on sale right now.", "该店铺暂时没有在售商品。"),
    "buyer.list.item": ("{n}. {title} — <b>{price}</b> · {sold} sold", "{n}. {title} — <b>{price}</b> · 已售 {sold}"),
    "buyer.list.item_discounted": (
        "{n}. {title} — <b>{price}</b> <s>{was}</s> 🔥 · {sold} sold",
        "{n}. {title} — <b>{price}</b> <s>{was}</s> 🔥 · 已售 {sold}",
    ),
    "buyer.list.button": ("{title} · {price}", "{title} · {price}"),
    # ---- search ----
    "buyer.search.ask": (
        "🔍 What are you looking for? Send a few words, e.g. <i>green tea</i> or <i>蓝牙耳机</i>.",
        "🔍 想找什么?请发送几个关键词,例如 <i>绿茶</i> 或 <i>bluetooth earphones</i>。",
    ),
    "buyer.search.results": ("🔍 <b>{query}</b> — found: {total}", "🔍 <b>{query}</b> — 找到 {total} 件"),
    "buyer.search.none": ("🔍 Nothing matches “{query}”.", "🔍 没有找到与“{query}”相关的商品。"),
    "buyer.search.try_words": (
        "Fewer words find more — these alone have results:",
        "减少关键词试试 —— 以下单个词有结果:",
    ),
    "buyer.search.try_categories": ("Or browse a category:", "或者逛逛这些分类:"),
    "buyer.search.catalog_empty": ("Nothing is on sale yet.", "目前还没有在售商品。"),
    "buyer.search.tips": (
        "Tip: check the spelling, or try the brand or a broader word.",
        "小提示:检查错别字,或换成品牌名、更宽泛的词试试。",
    ),
    # ---- product page ----
    "buyer.product.title": ("<b>{title}</b>\n🏷 {brand}", "<b>{title}</b>\n🏷 {brand}"),
    "buyer.product.title_plain": ("<b>{title}</b>", "<b>{title}</b>"),
    "buyer.product.price": ("💰 <b>{price}</b>", "💰 <b>{price}</b>"),
    "buyer.product.price_promo": (
        "💰 <b>{price}</b> <s>{was}</s>\n🔥 {name}: {saving} off",
        "💰 <b>{price}</b> <s>{was}</s>\n🔥 {name}:立减 {saving}",
    ),
    "buyer.product.promo_until": ("⏳ Offer ends {until}", "⏳ 优惠截止 {until}"),
    "buyer.product.stock": ("📦 {stock} in stock · {sold} sold", "📦 库存 {stock} · 已售 {sold}"),
    "buyer.product.sold_out": ("📦 Sold out · {sold} sold", "📦 已售罄 · 已售 {sold}"),
    "buyer.product.rating": ("⭐ {rating}/5 from {count} reviews", "⭐ {rating}/5 · {count} 条评价"),
    "buyer.product.no_reviews": ("⭐ No reviews yet", "⭐ 暂无评价"),
    "buyer.product.shop": ("🏪 {shop} · ⭐ {rating} ({count} reviews)", "🏪 {shop} · ⭐ {rating}({count} 条评价)"),
    "buyer.product.in_cart": ("🛒 {count} already in your cart", "🛒 购物车里已有 {count} 件"),
    "buyer.product.description": ("{text}", "{text}"),
    "buyer.product.reviews_title": ("💬 <b>Latest reviews</b>", "💬 <b>最新评价</b>"),
    "buyer.product.review": ("⭐ {score} {text}", "⭐ {score} {text}"),
    "buyer.product.review_reply": ("   ↪️ Shop: {reply}", "   ↪️ 商家回复:{reply}"),
    "buyer.product.buy_now": ("⚡ Buy now", "⚡ 立即购买"),
    "buyer.product.add_to_cart": ("🛒 Add to cart", "🛒 加入购物车"),
    "buyer.product.group_buy": ("👥 Group buy · {price} ({size} people)", "👥 拼团 · {price}({size} 人团)"),
    "buyer.product.share": ("📤 Share", "📤 分享"),
    "buyer.product.more_photos": ("🖼 {count} more photos", "🖼 另外 {count} 张图片"),
    "buyer.product.shop_button": ("🏪 {shop}", "🏪 {shop}"),
    "buyer.product.view_cart": ("🛒 View cart", "🛒 查看购物车"),
    "buyer.product.added": ("✅ Added “{title}” — {count} in your cart", "✅ 已加入“{title}”,购物车共 {count} 件"),
    "buyer.share.text": (
        "📤 Share <b>{title}</b> with this link:\n{link}\n\nOr tap below to post it into any chat.",
        "📤 用这个链接分享 <b>{title}</b>:\n{link}\n\n或点下方按钮,直接发到任意聊天。",
    ),
    "buyer.share.inline": ("📤 Post to a chat", "📤 发到聊天"),
    "buyer.inline.card": (
        "🛍 <b>{title}</b>\n💰 {price} · 🏪 {shop}",
        "🛍 <b>{title}</b>\n💰 {price} · 🏪 {shop}",
    ),
    "buyer.inline.card_plain": ("🛍 <b>{title}</b>\n💰 {price}", "🛍 <b>{title}</b>\n💰 {price}"),
    "buyer.inline.description": ("{price} · {shop}", "{price} · {shop}"),
    "buyer.inline.price": ("{price}", "{price}"),
    "buyer.inline.open": ("🛒 Open in the shop", "🛒 打开商品"),
    # ---- cart ----
    "buyer.cart.empty": (
        "🛒 Your cart is empty. Find something you like with 🛍 Browse or /search.",
        "🛒 购物车是空的,去 🛍 逛逛 或 /search 找找喜欢的商品吧。",
    ),
    "buyer.cart.title": ("🛒 <b>Your cart</b> (items: {count})", "🛒 <b>购物车</b>(共 {count} 件)"),
    "buyer.cart.shop": ("🏪 <b>{shop}</b>", "🏪 <b>{shop}</b>"),
    "buyer.cart.line_problem": ("• ⚠️ {title} × {quantity} — {problem}", "• ⚠️ {title} × {quantity} — {problem}"),
    "buyer.cart.hint": (
        "💡 Spend {more} more here to get {off} off ({name})",
        "💡 本店再买 {more} 即可减 {off}({name})",
    ),
    "buyer.cart.has_problems": (
        "⚠️ Lines marked ⚠️ can't be ordered as they are: change their quantity or remove them to check out.",
        "⚠️ 标有 ⚠️ 的商品目前无法下单,请修改数量或移除后再结算。",
    ),
    "buyer.cart.total": ("🧾 <b>Cart total: {total}</b>", "🧾 <b>购物车合计:{total}</b>"),
    "buyer.cart.qty_button": ("{title} × {qty}", "{title} × {qty}"),
    "buyer.cart.clear": ("🧹 Clear", "🧹 清空"),
    "buyer.cart.checkout": ("✅ Check out", "✅ 去结算"),
    "buyer.cart.browse": ("🛍 Browse", "🛍 去逛逛"),
    "buyer.cart.clear_confirm": (
        "Remove everything from your cart?",
        "确定要清空购物车吗?",
    ),
    "buyer.cart.clear_yes": ("🧹 Yes, clear it", "🧹 确定清空"),
    "buyer.cart.clear_no": ("↩️ Keep my cart", "↩️ 保留"),
    "buyer.cart.cleared": ("🧹 Your cart is empty now.", "🧹 购物车已清空。"),
    "buyer.cart.ask_quantity": (
        "How many “{title}” do you want? You have {qty}; {stock} in stock. Send a number, or /cancel.",
        "“{title}”要买几件?当前 {qty} 件,库存 {stock}。请发送数字,或 /cancel 取消。",
    ),
    # ---- addresses ----
    "buyer.address.ask_name": (
        "📍 New delivery address, step 1 of 3: who receives the parcel? Send the name.",
        "📍 新的收货地址(第 1/3 步):收件人姓名是?",
    ),
    "buyer.address.ask_phone": (
        "Step 2 of 3: a phone number the courier can call (digits, may start with +).",
        "第 2/3 步:快递员可以联系的手机号(数字,可以 + 开头)。",
    ),
    "buyer.address.ask_text": (
        "Step 3 of 3: the full address (city, street, building, flat).",
        "第 3/3 步:详细地址(城市、街道、楼栋、门牌号)。",
    ),
    "buyer.address.saved": ("✅ Address saved:\n{address}", "✅ 地址已保存:\n{address}"),
    "buyer.address.one": ("{name}, {phone}\n{text}", "{name},{phone}\n{text}"),
    "buyer.address.item": ("{n}. {name}, {phone}\n    {text}", "{n}. {name},{phone}\n    {text}"),
    "buyer.address.list_title": ("📍 <b>Your addresses</b>", "📍 <b>我的收货地址</b>"),
    "buyer.address.none": (
        "📍 You have no saved address yet. Add one now, or at checkout.",
        "📍 还没有保存的地址。现在添加,或在结算时添加。",
    ),
    "buyer.address.add": ("➕ Add an address", "➕ 添加地址"),
    "buyer.address.delete": ("🗑 Delete {n}", "🗑 删除 {n}"),
    "buyer.address.delete_confirm": (
        "Delete this address?\n{address}\n\nOrders already placed keep their address.",
        "确定删除这个地址吗?\n{address}\n\n已下的订单不受影响。",
    ),
    "buyer.address.delete_yes": ("🗑 Yes, delete", "🗑 确定删除"),
    "buyer.address.delete_no": ("↩️ Keep it", "↩️ 保留"),
    # ---- checkout ----
    "buyer.checkout.ask_quantity": (
        "⚡ How many “{title}”? {stock} in stock. Tap a number or send one.",
        "⚡ “{title}”买几件?库存 {stock}。点选数字或直接发送。",
    ),
    "buyer.checkout.first_address": (
        "Where should we deliver? You have no saved address yet, so let's add one.\n\n"
        "📍 Step 1 of 3: who receives the parcel? Send the name.",
        "要寄到哪里?您还没有保存地址,先添加一个吧。\n\n📍 第 1/3 步:收件人姓名是?",
    ),
    "buyer.checkout.choose_address": ("📍 Where should we deliver?", "📍 寄到哪里?"),
    "buyer.checkout.new_address": ("➕ A new address", "➕ 新地址"),
    "buyer.checkout.cancel": ("✖️ Cancel", "✖️ 取消"),
    "buyer.checkout.change_address": ("📍 Change address", "📍 更换地址"),
    "buyer.checkout.use_buttons": (
        "Please choose with the buttons above, or send /cancel to stop.",
        "请使用上方按钮选择,或发送 /cancel 退出。",
    ),
    "buyer.checkout.review_title": ("🧾 <b>Please check your order</b>", "🧾 <b>请确认订单</b>"),
    "buyer.checkout.deliver_to": ("📍 Deliver to:\n{address}", "📍 收货地址:\n{address}"),
    "buyer.checkout.to_pay": (
        "💰 <b>To pay: {total}</b> in {orders} order(s), one invoice per shop.\n"
        "After confirming you have {minutes} minutes to pay.",
        "💰 <b>应付:{total}</b>,共 {orders} 个订单(每个店铺一张账单)。\n确认后请在 {minutes} 分钟内付款。",
    ),
    "buyer.checkout.confirm": ("✅ Confirm · {total}", "✅ 确认下单 · {total}"),
    "buyer.checkout.confirm_from_balance": ("✅ Confirm · pay from balance", "✅ 确认下单 · 余额支付"),
    "buyer.checkout.placed_title": ("✅ <b>{count} order(s) placed</b>", "✅ <b>已下单 {count} 个</b>"),
    "buyer.checkout.placed_order": (
        "• Order #{order_id}: {total} — pay by {pay_by}",
        "• 订单 #{order_id}:{total} —— 请于 {pay_by} 前付款",
    ),
    "buyer.checkout.pay_below": (
        "Pay with the invoice(s) below. Unpaid orders are cancelled automatically; nothing is charged.",
        "请通过下方账单付款。超时未付的订单会自动取消,不会扣款。",
    ),
    "buyer.checkout.stopped": (
        "⚠️ Checkout stopped: {reason}\nNothing was ordered or charged. Your cart is as it was.",
        "⚠️ 结算已中止:{reason}\n没有下单,也没有扣款,购物车保持不变。",
    ),
    "buyer.checkout.cancelled": (
        "Checkout cancelled. Nothing was ordered; your cart is as it was.",
        "已取消结算,没有下单,购物车保持不变。",
    ),
    # ---- payment ----
    "buyer.invoice.title": ("Order #{order_id}", "订单 #{order_id}"),
    "buyer.invoice.description": ("{receipt}\nPay by {pay_by}", "{receipt}\n请于 {pay_by} 前付款"),
    "buyer.invoice.total": ("Total", "合计"),
    "buyer.pay.unknown_invoice": (
        "This invoice is not valid any more. Please open the order again.",
        "该账单已失效,请重新打开订单。",
    ),
    "buyer.pay.try_again": (
        "We could not check this payment just now. Nothing was charged; please try again.",
        "暂时无法校验此笔付款,未扣款,请稍后重试。",
    ),
    # ---- orders ----
    "buyer.orders.none": (
        "📦 You have no orders yet. Let's find you something!",
        "📦 您还没有订单,去挑点喜欢的吧!",
    ),
    "buyer.orders.title": ("📦 <b>My orders</b> · {tab} ({total})", "📦 <b>我的订单</b> · {tab}({total})"),
    "buyer.orders.tab_empty": ("Nothing here.", "这里没有订单。"),
    "buyer.orders.item": ("#{order_id} {title} — {total} · {status}", "#{order_id} {title} — {total} · {status}"),
    "buyer.orders.item_more": (
        "#{order_id} {title} +{more} more — {total} · {status}",
        "#{order_id} {title} 等 {more} 件 — {total} · {status}",
    ),
    "buyer.orders.open": ("Order #{order_id}", "订单 #{order_id}"),
    "buyer.orders.back": ("⬅️ My orders", "⬅️ 我的订单"),
    "buyer.orders.not_found": (
        "You have no order #{order_id}. /orders lists yours.",
        "您没有编号为 #{order_id} 的订单。发送 /orders 查看您的订单。",
    ),
    "buyer.orders.tab.all": ("All", "全部"),
    "buyer.orders.tab.pay": ("To pay", "待付款"),
    "buyer.orders.tab.grp": ("Grouping", "拼团中"),
    "buyer.orders.tab.ship": ("To ship", "待发货"),
    "buyer.orders.tab.sent": ("Shipped", "待收货"),
    "buyer.orders.tab.done": ("Completed", "已完成"),
    "buyer.orders.tab.cnl": ("Cancelled", "已取消"),
    "buyer.orders.tab.rfd": ("Refunded", "已退款"),
    "buyer.status.pending_payment": ("⏳ awaiting payment", "⏳ 待付款"),
    "buyer.status.grouping": ("👥 waiting for the group", "👥 拼团中"),
    "buyer.status.paid": ("💳 paid, waiting for the shop", "💳 已付款,待商家接单"),
    "buyer.status.accepted": ("📋 accepted, being packed", "📋 商家已接单,备货中"),
    "buyer.status.shipped": ("🚚 on its way", "🚚 运输中"),
    "buyer.status.completed": ("✅ completed", "✅ 已完成"),
    "buyer.status.cancelled": ("❌ cancelled", "❌ 已取消"),
    "buyer.status.refunded": ("💸 refunded", "💸 已退款"),
    "buyer.cancel_reason.buyer_cancelled": ("you cancelled it", "您已取消"),
    "buyer.cancel_reason.merchant_declined": ("the shop declined it", "商家拒绝了订单"),
    "buyer.cancel_reason.payment_timeout": ("it wasn't paid in time", "超时未付款"),
    "buyer.cancel_reason.ship_timeout": ("the shop didn't ship in time", "商家未按时发货"),
    "buyer.cancel_reason.group_failed": ("the group didn't fill in time", "拼团未在时限内成团"),
    "buyer.cancel_reason.group_full": ("the group was already full", "拼团已满员"),
    "buyer.cancel_reason.shop_closed": ("the shop closed", "店铺已关闭"),
    "buyer.cancel_reason.refunded": ("it was refunded after sale", "售后已退款"),
    "buyer.order.title": ("📦 <b>Order #{order_id}</b> — {status}", "📦 <b>订单 #{order_id}</b> — {status}"),
    "buyer.order.shop": ("🏪 {shop}", "🏪 {shop}"),
    "buyer.order.address": ("📍 {address}", "📍 {address}"),
    "buyer.order.pay_by": (
        "⏰ Pay by {pay_by}, or the order is cancelled.",
        "⏰ 请于 {pay_by} 前付款,逾期订单将自动取消。",
    ),
    "buyer.order.ship_by": ("🚚 The shop ships by {ship_by}.", "🚚 商家将于 {ship_by} 前发货。"),
    "buyer.order.grouping": (
        "👥 Paid — waiting for the group to fill. If it doesn't, you are refunded.",
        "👥 已付款,等待成团;未成团将全额退款。",
    ),
    "buyer.order.shipped": ("🚚 {carrier} · tracking number {tracking}", "🚚 {carrier} · 运单号 {tracking}"),
    "buyer.order.confirm_by": (
        "✅ Completes by itself on {confirm_by} unless you confirm receipt earlier.",
        "✅ 如未手动确认,将于 {confirm_by} 自动确认收货。",
    ),
    "buyer.order.cancelled": ("❌ Cancelled: {reason}.", "❌ 已取消:{reason}。"),
    "buyer.order.refunded": ("💸 {amount} refunded.", "💸 已退款 {amount}。"),
    "buyer.order.confirm_paused": (
        "⏸ While your after-sales request is open the order does not complete by itself.",
        "⏸ 售后处理中,订单暂不自动确认收货。",
    ),
    "buyer.order.extend": ("🕒 Extend receipt +{days} days", "🕒 延长收货 {days} 天"),
    "buyer.order.extended_now": (
        "🕒 Receipt extended: order #{order_id} now completes by itself on {confirm_by}.",
        "🕒 已延长收货:订单 #{order_id} 将于 {confirm_by} 自动确认收货。",
    ),
    "buyer.order.extended_paused": (
        "🕒 Receipt extended by {days} days; the clock waits while your after-sales request is open.",
        "🕒 已延长收货 {days} 天;售后处理期间暂停计时。",
    ),
    "buyer.order.review_until": ("⭐ You can review it until {until}.", "⭐ 可在 {until} 前评价。"),
    "buyer.order.pay": ("💳 Pay", "💳 去付款"),
    "buyer.order.confirm": ("✅ Confirm receipt", "✅ 确认收货"),
    "buyer.order.track": ("🚚 Track parcel", "🚚 查看物流"),
    "buyer.order.cancel": ("❌ Cancel order", "❌ 取消订单"),
    "buyer.order.review": ("⭐ Write a review", "⭐ 写评价"),
    "buyer.order.after_sale": ("🛟 Return / refund / complaint", "🛟 退货 / 退款 / 投诉"),
    "buyer.order.cancel_confirm": (
        "Cancel order #{order_id} ({total})? Nothing has been paid, so nothing is charged.",
        "确定取消订单 #{order_id}({total})吗?该订单尚未付款,不会扣款。",
    ),
    "buyer.order.cancel_confirm_paid": (
        "Cancel order #{order_id}? You will be refunded {total}.",
        "确定取消订单 #{order_id} 吗?将退还 {total}。",
    ),
    "buyer.order.cancel_yes": ("❌ Yes, cancel it", "❌ 确定取消"),
    "buyer.order.keep": ("↩️ Keep the order", "↩️ 不取消了"),
    "buyer.order.cannot_cancel": (
        "⚠️ This order can no longer be cancelled.",
        "⚠️ 该订单已无法取消。",
    ),
    "buyer.order.cancelled_now": ("❌ Order #{order_id} is cancelled.", "❌ 订单 #{order_id} 已取消。"),
    "buyer.order.cancelled_refund": (
        "❌ Order #{order_id} is cancelled; {amount} is on its way back to you.",
        "❌ 订单 #{order_id} 已取消,{amount} 将原路退回。",
    ),
    "buyer.order.confirm_question": (
        "Have you received order #{order_id} and is everything fine? "
        "Confirming completes the order and pays the shop {total}.",
        "您已收到订单 #{order_id} 且一切正常吗?确认收货后订单完成,{total} 将结算给商家。",
    ),
    "buyer.order.confirm_yes": ("✅ Yes, I received it", "✅ 已收到货"),
    "buyer.order.not_yet": ("↩️ Not yet", "↩️ 还没收到"),
    "buyer.order.cannot_confirm": (
        "⚠️ This order isn't waiting for your confirmation (it may be complete already, or not shipped yet).",
        "⚠️ 该订单当前无需确认收货(可能已完成,或尚未发货)。",
    ),
    "buyer.order.completed": (
        "🎉 Order #{order_id} is complete. Thank you! Tell others how it went with ⭐ Write a review.",
        "🎉 订单 #{order_id} 已完成,感谢购买!欢迎点 ⭐ 写评价 分享体验。",
    ),
    "buyer.confirm.usage": (
        "Send /confirm and an order number, e.g. /confirm 12.",
        "请发送 /confirm 加订单号,例如 /confirm 12。",
    ),
    # ---- tracking ----
    "buyer.track.usage": (
        "Send /track and an order number, e.g. /track 12.",
        "请发送 /track 加订单号,例如 /track 12。",
    ),
    "buyer.track.not_shipped": (
        "📦 Order #{order_id} hasn't shipped yet ({status}).",
        "📦 订单 #{order_id} 尚未发货({status})。",
    ),
    "buyer.track.title": (
        "🚚 <b>Order #{order_id}</b>\n{carrier} · tracking number <code>{tracking}</code>",
        "🚚 <b>订单 #{order_id}</b>\n{carrier} · 运单号 <code>{tracking}</code>",
    ),
    "buyer.track.shipped_at": ("📤 Shipped {at}", "📤 {at} 已发货"),
    "buyer.track.event": ("• {at} — {stage}", "• {at} — {stage}"),
    "buyer.track.event_text": ("• {at} — {stage} {text}", "• {at} — {stage} {text}"),
    "buyer.track.no_updates": (
        "No updates from the courier yet — check back later.",
        "快递公司暂无更新,请稍后再查看。",
    ),
    "buyer.track.delivered_confirm": (
        "📬 Delivered! If everything is fine, please confirm receipt.",
        "📬 已签收!如无问题,请确认收货。",
    ),
    "buyer.track.refresh": ("🔄 Refresh", "🔄 刷新"),
    "buyer.track.order": ("📦 Order details", "📦 订单详情"),
    "buyer.track.stage.picked_up": ("📦 Picked up by the courier", "📦 快递员已揽收"),
    "buyer.track.stage.in_transit": ("🚚 In transit", "🚚 运输中"),
    "buyer.track.stage.out_for_delivery": ("🛵 Out for delivery", "🛵 派送中"),
    "buyer.track.stage.delivered": ("📬 Delivered", "📬 已签收"),
}
