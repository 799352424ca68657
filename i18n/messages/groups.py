"""Texts of group buys (拼团: the buyer's group pages, the merchant's group settings) and of /promotions."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- a group's page and a product's open groups (buyer) --------------------------------------------------
    "group.time_left": ("{hours}h {minutes}m", "{hours} 小时 {minutes} 分"),
    "group.page.title": (
        "👥 <b>Group buy #{group_id}</b> · <b>{title}</b>\n🏪 {shop}",
        "👥 <b>拼团 #{group_id}</b> · <b>{title}</b>\n🏪 {shop}",
    ),
    "group.price_vs_normal": (
        "💰 Group price <b>{price}</b> instead of <s>{normal}</s> — save {saving} ({size} people per group)",
        "💰 拼团价 <b>{price}</b>,单买价 <s>{normal}</s>,立省 {saving}({size} 人成团)",
    ),
    "group.price_only": (
        "💰 Group price <b>{price}</b> ({size} people per group)",
        "💰 拼团价 <b>{price}</b>({size} 人成团)",
    ),
    "group.page.members": ("🙋 In the group ({count}/{size}): {names}", "🙋 已参团({count}/{size}):{names}"),
    "group.page.missing": (
        "⏳ <b>{missing}</b> more needed · {left} left",
        "⏳ 还差 <b>{missing}</b> 人 · 剩余 {left}",
    ),
    "group.page.complete": ("🎉 This group is complete — its orders are on their way.", "🎉 该团已拼成,订单正在发货。"),
    "group.page.closed": (
        "⌛ This group has closed. You can join another group or start your own.",
        "⌛ 该拼团已结束。您可以参加其他拼团,或自己发起一个。",
    ),
    "group.page.you_are_in": (
        "✅ You're in! Invite friends: the group completes as soon as {missing} more pay.",
        "✅ 您已参团!邀请好友吧:再有 {missing} 人付款即成团。",
    ),
    "group.page.you_have_unpaid": (
        "💳 Your order #{order_id} for this group is not paid yet: pay it to take your seat.",
        "💳 您在该团的订单 #{order_id} 尚未付款,付款后即占得名额。",
    ),
    "group.page.not_for_sale": (
        "This product is not on sale at the moment, so nobody can join right now.",
        "该商品暂时下架,目前无法参团。",
    ),
    "group.page.share": ("🔗 Share this group: {link}", "🔗 分享拼团链接:{link}"),
    "group.list.title": ("👥 <b>Group buys of {title}</b>", "👥 <b>{title} 的拼团</b>"),
    "group.list.open_groups": ("Open groups you can join:", "可参加的拼团:"),
    "group.list.card": (
        "• #{group_id} {leader}'s group: {missing} more needed, {left} left",
        "• #{group_id} {leader} 的团:还差 {missing} 人,剩余 {left}",
    ),
    "group.list.none": (
        "No open group right now — start one and invite your friends!",
        "暂时没有进行中的拼团——发起一个,邀请好友一起买吧!",
    ),
    "group.list.no_new_groups": (
        "The shop is not opening new groups for this product any more.",
        "店铺已不再为该商品开设新的拼团。",
    ),
    # --- buttons -------------------------------------------------------------------------------------------------
    "group.btn.open": ("👥 View the group & share", "👥 查看拼团并分享"),
    "group.btn.join": ("🤝 Join for {price}", "🤝 {price} 参团"),
    "group.btn.join_leader": ("🤝 Join {leader}'s group ({missing} missing)", "🤝 参加 {leader} 的团(差 {missing} 人)"),
    "group.btn.yours": ("👥 Your group #{group_id}", "👥 我的拼团 #{group_id}"),
    "group.btn.start": ("🚀 Start a group · {price}", "🚀 发起拼团 · {price}"),
    "group.btn.pay": ("💳 Pay order #{order_id}", "💳 支付订单 #{order_id}"),
    "group.btn.share": ("📣 Invite friends", "📣 邀请好友"),
    "group.btn.other_groups": ("👥 Other groups of this product", "👥 该商品的其他拼团"),
    "group.btn.product": ("🛍 Product page", "🛍 商品详情"),
    "group.btn.new_address": ("➕ New address", "➕ 新地址"),
    "group.btn.cancel": ("✖️ Cancel", "✖️ 取消"),
    # --- starting or joining ------------------------------------------------------------------------------------
    "group.buy.intro_start": (
        "🚀 Start a group for <b>{title}</b> at <b>{price}</b>. It opens as soon as you pay; "
        "then share the link with friends.",
        "🚀 以 <b>{price}</b> 发起 <b>{title}</b> 的拼团。付款后即开团,再把链接分享给好友。",
    ),
    "group.buy.intro_join": (
        "🤝 Join group #{group_id} for <b>{title}</b> at <b>{price}</b>. Your seat is yours once you pay.",
        "🤝 以 <b>{price}</b> 参加 <b>{title}</b> 的拼团 #{group_id}。付款后即占得名额。",
    ),
    "group.buy.choose_address": ("📍 Where should we deliver?", "📍 寄到哪里?"),
    "group.buy.use_buttons": (
        "Please choose an address with the buttons above, or send /cancel to stop.",
        "请使用上方按钮选择地址,或发送 /cancel 退出。",
    ),
    "group.buy.cancelled": ("OK, nothing was ordered.", "好的,未下单。"),
    "group.buy.placed_start": (
        "🧾 Order #{order_id} at the group price: <b>{total}</b>. Pay within {minutes} minutes — "
        "your group opens the moment you pay.",
        "🧾 订单 #{order_id},拼团价 <b>{total}</b>。请在 {minutes} 分钟内付款,付款后立即开团。",
    ),
    "group.buy.placed_join": (
        "🧾 Order #{order_id} at the group price: <b>{total}</b>. Pay within {minutes} minutes to take your seat. "
        "If the group fills up before you pay, you are not charged; if it does not fill in time, you are refunded.",
        "🧾 订单 #{order_id},拼团价 <b>{total}</b>。请在 {minutes} 分钟内付款以占得名额。"
        "若您付款前团已满,不会扣款;若到期未成团,将全额退款。",
    ),
    # --- inline mode ----------------------------------------------------------------------------------------------
    "group.inline.title": ("👥 Join my group: {title}", "👥 一起拼团:{title}"),
    "group.inline.description": (
        "{price} each · {missing} more needed · {left} left",
        "每人 {price} · 还差 {missing} 人 · 剩余 {left}",
    ),
    "group.inline.card": (
        "👥 Join my group buy of <b>{title}</b>!\n"
        "💰 <b>{price}</b> instead of {normal} — {missing} more of {size} needed, {left} left.",
        "👥 来和我一起拼 <b>{title}</b>!\n"
        "💰 拼团价 <b>{price}</b>(单买 {normal}),{size} 人团还差 {missing} 人,剩余 {left}。",
    ),
    "group.inline.open": ("🤝 Open the group", "🤝 去参团"),
    # --- told by the group-buy use cases ------------------------------------------------------------------------
    "group.notify.second_seat_refunded": (
        "You already hold a seat in group #{group_id}, so order #{order_id} is cancelled and its {amount} is "
        "being refunded.",
        "您已在拼团 #{group_id} 中占有名额,订单 #{order_id} 已取消,{amount} 将原路退回。",
    ),
    # The reason an order shows when cancelled as a buyer's second seat (CancelReason.ALREADY_IN_GROUP); the buyer's
    # order page renders reasons from "buyer.cancel_reason.<value>".
    "buyer.cancel_reason.already_in_group": ("you were already in this group", "您已在该拼团中"),
    # The merchant's command menu entry for /group_buy (handlers/shared/commands.py lists the commands).
    # --- the merchant's group settings ---------------------------------------------------------------------------
    "group.cfg.pick": (
        "👥 <b>Group buys of {shop}</b>\nPick a product to set its group price and size (👥 = on).",
        "👥 <b>{shop} 的拼团设置</b>\n选择商品,设置拼团价和成团人数(👥 = 已开启)。",
    ),
    "group.cfg.no_products": (
        "Your shop has no products yet. Add one with /add_product first.",
        "店铺还没有商品,请先用 /add_product 发布商品。",
    ),
    "group.cfg.card": (
        "👥 Group buy for <b>{title}</b> (#{product_id}) · price {price}",
        "👥 <b>{title}</b>(#{product_id})的拼团 · 售价 {price}",
    ),
    "group.cfg.on": (
        "✅ On: <b>{group_price}</b> each in groups of <b>{size}</b> (single buy {price}).",
        "✅ 已开启:<b>{size}</b> 人团,每人 <b>{group_price}</b>(单买 {price})。",
    ),
    "group.cfg.off": ("⏸ Off: buyers can only buy this on its own.", "⏸ 未开启:买家只能单独购买。"),
    "group.cfg.btn.set": ("👥 Turn on group buy", "👥 开启拼团"),
    "group.cfg.btn.change": ("✏️ Change price or size", "✏️ 修改拼团价或人数"),
    "group.cfg.btn.off": ("🚫 Turn off", "🚫 关闭拼团"),
    "group.cfg.btn.all": ("◀️ All products", "◀️ 全部商品"),
    "group.cfg.ask_price": (
        "💰 Group price for <b>{title}</b>: how much does each member pay? It must be below the price {price}.",
        "💰 <b>{title}</b> 的拼团价:每人付多少?须低于售价 {price}。",
    ),
    "group.cfg.bad_price": (
        "That doesn't work as a group price: send a number above zero and below {price}.",
        "该拼团价无效:请输入大于 0 且低于 {price} 的数字。",
    ),
    "group.cfg.ask_size": (
        "👥 {group_price} each. How many people make a group? Choose {min}–{max}.",
        "👥 每人 {group_price}。几人成团?请选择 {min}–{max}。",
    ),
    "group.cfg.bad_size": (
        "A group has {min} to {max} people: tap a button or send a number.",
        "成团人数须为 {min}–{max}:请点按钮或输入数字。",
    ),
    "group.cfg.saved": (
        "✅ Saved. New groups use these settings; groups already open keep theirs.",
        "✅ 已保存。新开的团按此设置,进行中的团保持原设置。",
    ),
    "group.cfg.turned_off": (
        "🚫 Group buy turned off: no new groups. Groups already open can still fill.",
        "🚫 拼团已关闭:不再开新团,进行中的团仍可成团。",
    ),
    "group.cfg.stale": (
        "This button is from an older message. Open the product's group settings again with /group_buy.",
        "这是旧消息上的按钮。请用 /group_buy 重新打开拼团设置。",
    ),
    "group.cfg.cancelled": ("OK, the group settings are unchanged.", "好的,拼团设置未更改。"),
    # --- /promotions --------------------------------------------------------------------------------------------
    "promo.list.title": ("🎯 <b>Promotions of {shop}</b>", "🎯 <b>{shop} 的促销活动</b>"),
    "promo.list.empty": (
        "No promotions yet. Start one below: a limited-time discount or spend-and-save tiers (满减).",
        "还没有促销活动。点击下方按钮创建:限时折扣或满减。",
    ),
    "promo.list.item": (
        "{n}. <b>{name}</b> — {phase}\n{what}\n🗓 {start} → {end}",
        "{n}. <b>{name}</b> — {phase}\n{what}\n🗓 {start} → {end}",
    ),
    "promo.phase.scheduled": ("🕒 starts later", "🕒 未开始"),
    "promo.phase.running": ("✅ running", "✅ 进行中"),
    "promo.phase.paused": ("⏸ paused", "⏸ 已暂停"),
    "promo.phase.over": ("⌛ window over", "⌛ 已过期"),
    "promo.phase.ended": ("⏹ ended", "⏹ 已结束"),
    "promo.what.product": ("🏷 {off} {title}", "🏷 {title} {off}"),
    "promo.what.shop": ("🏷 {off} every product of the shop", "🏷 全店商品 {off}"),
    "promo.what.spend_off": ("🧧 {tiers}", "🧧 {tiers}"),
    "promo.off.percent": ("{percent}% off", "{percent}% 折扣"),
    "promo.off.amount": ("{amount} off", "每件减 {amount}"),
    "promo.tier": ("spend {threshold} get {off} off", "满 {threshold} 减 {off}"),
    "promo.btn.pause": ("⏸ Pause {n}", "⏸ 暂停 {n}"),
    "promo.btn.resume": ("▶️ Resume {n}", "▶️ 恢复 {n}"),
    "promo.btn.end": ("⏹ End {n}", "⏹ 结束 {n}"),
    "promo.btn.new_limited": ("➕ Limited-time discount", "➕ 限时折扣"),
    "promo.btn.new_spend_off": ("➕ Spend X, get Y off (满减)", "➕ 满减活动"),
    "promo.btn.end_yes": ("⏹ Yes, end it", "⏹ 确认结束"),
    "promo.btn.keep": ("↩️ Keep it", "↩️ 保留"),
    "promo.end.confirm": (
        "End <b>{name}</b> for good?\n{what}\nBuyers stop getting it at once. An ended promotion cannot be restarted "
        "(you can create a new one); to stop it for a while, pause it instead.",
        "确定结束 <b>{name}</b> 吗?\n{what}\n结束后买家立即不再享受优惠,且无法恢复(可另建新活动);"
        "如只想暂停一段时间,请使用“暂停”。",
    ),
    "promo.done.ps": (
        "⏸ <b>{name}</b> is paused: prices are back to normal until you resume it.",
        "⏸ <b>{name}</b> 已暂停,恢复前按原价销售。",
    ),
    "promo.done.rs": ("▶️ <b>{name}</b> counts again.", "▶️ <b>{name}</b> 已恢复。"),
    "promo.done.endy": ("⏹ <b>{name}</b> has ended.", "⏹ <b>{name}</b> 已结束。"),
    "promo.created": ("✅ <b>{name}</b> is set up.", "✅ <b>{name}</b> 已创建。"),
    "promo.cancelled": ("OK, no promotion was created.", "好的,未创建促销。"),
    "promo.stale": (
        "This button belongs to a promotion you are no longer making. Start again from /promotions.",
        "该按钮已失效。请从 /promotions 重新开始。",
    ),
    "promo.use_buttons": (
        "Please answer with the buttons above, or send /cancel to stop.",
        "请使用上方按钮作答,或发送 /cancel 退出。",
    ),
    # --- the guided flow ----------------------------------------------------------------------------------------
    "promo.ask.product": (
        "🏷 <b>New limited-time discount</b>\nWhich product gets it? Pick one, or the whole shop.",
        "🏷 <b>新建限时折扣</b>\n哪件商品参加?请选择商品,或全店参加。",
    ),
    "promo.btn.whole_shop": ("🏬 Whole shop", "🏬 全店商品"),
    "promo.target.product": ("<b>{title}</b>", "<b>{title}</b>"),
    "promo.target.shop": ("every product of the shop", "全店商品"),
    "promo.ask.kind": ("How much off {target}?", "{target}怎么优惠?"),
    "promo.btn.percent": ("% Percent off", "% 按百分比打折"),
    "promo.btn.amount": ("➖ Fixed amount off each item", "➖ 每件立减固定金额"),
    "promo.ask.value_pct": (
        "Send the percent off, a whole number from 1 to 99 (e.g. 15).",
        "请输入折扣百分比,1–99 的整数(如 15)。",
    ),
    "promo.ask.value_amt": ("Send the amount off each item (e.g. 10).", "请输入每件立减的金额(如 10)。"),
    "promo.ask.value_amt_product": (
        "Send the amount off each item (e.g. 10). It must be below the price {price}.",
        "请输入每件立减的金额(如 10),须低于售价 {price}。",
    ),
    "promo.ask.tiers": (
        "🧧 <b>New spend-and-save (满减)</b>\nSend the tiers as <i>spend-off</i> pairs separated by commas, e.g. "
        "<code>100-10, 200-25</code> (spend 100 get 10 off; spend 200 get 25 off). Up to 5 tiers, each spending "
        "and saving more than the one before. Buyers get the best tier they reach.",
        "🧧 <b>新建满减活动</b>\n请按“满-减”格式输入档位,用逗号分隔,例如 <code>100-10, 200-25</code>"
        "(满 100 减 10,满 200 减 25)。最多 5 档,门槛和优惠都须逐档递增。买家自动享受达到的最高一档。",
    ),
    "promo.ask.start": (
        "🕒 When does it start? Tap a button or send a time as <code>YYYY-MM-DD HH:MM</code> (UTC).",
        "🕒 何时开始?点按钮,或按 <code>YYYY-MM-DD HH:MM</code>(UTC 时间)格式输入。",
    ),
    "promo.btn.start_now": ("▶️ Now", "▶️ 立即开始"),
    "promo.btn.start_1h": ("In 1 hour", "1 小时后"),
    "promo.btn.start_tmr": ("Tomorrow 00:00", "明天 00:00"),
    "promo.ask.end": (
        "🏁 It starts {start}. When does it end? Tap how long it runs or send a time as "
        "<code>YYYY-MM-DD HH:MM</code> (UTC).",
        "🏁 开始时间 {start}。何时结束?点按钮选择持续时间,或按 <code>YYYY-MM-DD HH:MM</code>(UTC 时间)格式输入。",
    ),
    "promo.btn.days": ("+{days} d", "+{days} 天"),
    "promo.ask.name": (
        "✏️ Last step: the name buyers see on the product page and their receipt (up to 64 characters).",
        "✏️ 最后一步:活动名称(显示在商品页和买家账单上,最多 64 个字符)。",
    ),
    "promo.btn.use_name": ("Use “{name}”", "使用“{name}”"),
    "promo.suggest.percent": ("{percent}% off", "限时{percent}%折扣"),
    "promo.suggest.amount": ("{amount} off", "限时立减{amount}"),
    "promo.suggest.spend_off": ("Spend & save", "满减优惠"),
    "promo.summary": (
        "Please check:\n<b>{name}</b>\n{what}\n🗓 {start} → {end}",
        "请确认:\n<b>{name}</b>\n{what}\n🗓 {start} → {end}",
    ),
    "promo.btn.create": ("✅ Create", "✅ 创建"),
    # --- why what was typed does not work ------------------------------------------------------------------------
    "promo.err.invalid_percent": (
        "“{value}” is not a percent from 1 to 99. Send a whole number, e.g. 15.",
        "“{value}”不是 1–99 之间的百分比,请输入整数,如 15。",
    ),
    "promo.err.invalid_amount": (
        "“{value}” is not an amount. Send a number above zero, e.g. 10.",
        "“{value}”不是有效金额,请输入大于 0 的数字,如 10。",
    ),
    "promo.err.not_below_price": (
        "{value} off is not below the product's price, so it would be free. Send a smaller amount.",
        "立减 {value} 不低于商品售价,商品将变成免费。请输入更小的金额。",
    ),
    "promo.err.not_positive": ("Amounts must be above zero.", "金额须大于 0。"),
    "promo.err.invalid_amount_tier": (
        "Tier {position}: “{value}” is not an amount. Write each tier as spend-off, e.g. 100-10.",
        "第 {position} 档:“{value}”不是有效金额。每档请写成“满-减”,如 100-10。",
    ),
    "promo.err.tier_format": (
        "Tier {position} (“{tier}”) is not a spend-off pair. Write it like 100-10.",
        "第 {position} 档(“{tier}”)格式不对,请写成 100-10 这样的“满-减”。",
    ),
    "promo.err.no_tiers": ("Send at least one tier, e.g. 100-10.", "请至少输入一档,如 100-10。"),
    "promo.err.too_many_tiers": ("At most {max} tiers, please.", "最多 {max} 档。"),
    "promo.err.off_not_below_threshold": (
        "Tier {position}: the amount off must be less than the amount spent.",
        "第 {position} 档:优惠金额须小于门槛金额。",
    ),
    "promo.err.tiers_not_increasing": (
        "Tier {position} must ask for more spending and give more off than the tier before it.",
        "第 {position} 档的门槛和优惠都须高于上一档。",
    ),
    "promo.err.format": (
        "“{value}” is not a time. Send it as YYYY-MM-DD HH:MM in UTC, e.g. 2026-03-10 18:00.",
        "“{value}”不是有效时间。请按 YYYY-MM-DD HH:MM(UTC)格式输入,如 2026-03-10 18:00。",
    ),
    "promo.err.end_before_start": (
        "The end must be after the start. Send a later time.",
        "结束时间须晚于开始时间,请输入更晚的时间。",
    ),
    "promo.err.end_in_past": (
        "That time has already passed. Send a time in the future.",
        "该时间已过,请输入将来的时间。",
    ),
    "promo.err.invalid_text": ("The name can't be empty and must fit on one line.", "名称不能为空,且须为一行。"),
    "promo.err.text_too_long": ("Too long: at most {max} characters.", "内容过长:最多 {max} 个字符。"),
}
