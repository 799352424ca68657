"""Receipts (one layout on every screen: lines at list price, item discounts, order-level offers, total), what
the product page says a shop offer does at checkout, and why a promotion that would make something free is refused.

Item and order adjustments are keyed by their kind (``receipt.item.<kind>``, ``receipt.order.<kind>``): a new
kind of adjustment (coupons) needs only its line here.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- the receipt (i18n/receipts.py) ----
    "receipt.line": ("• {title} × {quantity} — {amount}", "• {title} × {quantity} — {amount}"),
    "receipt.line_each": (
        "• {title} × {quantity} — {amount} ({price} each)",
        "• {title} × {quantity} — {amount}(单价 {price})",
    ),
    "receipt.item.limited_time": ("    🔥 Discount “{name}”: −{amount}", "    🔥 限时折扣“{name}”:−{amount}"),
    "receipt.item.group_price": ("    👥 Group price: −{amount}", "    👥 拼团价:−{amount}"),
    "receipt.order.spend_off": ("🎁 Shop offer “{name}”: −{amount}", "🎁 店铺满减“{name}”:−{amount}"),
    "receipt.total": ("💰 Total: <b>{total}</b>", "💰 合计:<b>{total}</b>"),
    "receipt.line_refunded": ("    ↩️ {quantity} refunded: {amount}", "    ↩️ 已退 {quantity} 件:{amount}"),
    "receipt.refunded": (
        "↩️ Refunded after sale: <b>{amount}</b> · kept: <b>{kept}</b>",
        "↩️ 售后已退款:<b>{amount}</b> · 实收:<b>{kept}</b>",
    ),
    "receipt.refunded_all": ("↩️ Refunded in full after sale: <b>{amount}</b>", "↩️ 售后已全额退款:<b>{amount}</b>"),
    "receipt.more_lines": ("… {count} more", "……另有 {count} 项"),
    # ---- the product page: what a shop offer does at checkout ----
    "pricing.product.offer_applies": (
        "🛒 Bought alone, one costs <b>{total}</b> at checkout (shop offer −{off})",
        "🛒 单买一件结算实付 <b>{total}</b>(店铺满减 −{off})",
    ),
    "pricing.product.offer_tier": (
        "🎁 Shop offer at checkout: spend {threshold}, get {off} off",
        "🎁 店铺满减(结算时自动减):满 {threshold} 减 {off}",
    ),
    "pricing.product.group_price": (
        "👥 Group price <b>{total}</b> when {size} people buy together",
        "👥 {size} 人拼团价 <b>{total}</b>",
    ),
    "pricing.product.group_price_offer": (
        "👥 Group price {price}; with the shop offer you pay <b>{total}</b> when {size} people buy together",
        "👥 {size} 人拼团价 {price},叠加店铺满减实付 <b>{total}</b>",
    ),
    # ---- the floor: a promotion never makes anything free ----
    "promo.err.not_below_cheapest": (
        "{value} off the whole shop is not below {price}, the price of “{title}”, your cheapest product on sale, "
        "so it would be free. Send an amount below {price}.",
        "全店立减 {value} 不低于您在售最便宜的商品“{title}”的售价 {price},该商品将变成免费。"
        "请输入低于 {price} 的金额。",
    ),
}
