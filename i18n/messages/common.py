"""Texts shared by every role: errors, generic words."""

MESSAGES: dict[str, tuple[str, str]] = {
    "error.unexpected": (
        "😵 Something went wrong on our side. Nothing was changed; please try again in a moment.",
        "😵 系统开小差了,您的操作没有生效,请稍后再试。",
    ),
    "error.not_found": ("Not found — it may have been removed.", "没有找到,可能已被删除。"),
    "error.forbidden": ("⛔ You are not allowed to do that.", "⛔ 您无权进行此操作。"),
    "error.invalid_transition": (
        "This can no longer be done: it has already moved on.",
        "当前状态下无法进行此操作,可能已被处理。",
    ),
    "error.conflict": (
        "Someone else changed this at the same moment. Please look again.",
        "该记录刚刚被他人修改,请刷新后重试。",
    ),
    "error.already_done": ("That was already done.", "该操作已完成,无需重复。"),
    "error.rate_limited": ("Slow down a little, please.", "操作太频繁,请稍后再试。"),
    "error.invalid_amount": (
        "“{value}” is not a price. Send a number like 12 or 12.50.",
        "“{value}”不是有效价格,请输入如 12 或 12.50 的数字。",
    ),
    "error.invalid_quantity": (
        "Quantity must be a whole number from 1 to {max}.",
        "数量必须是 1 到 {max} 之间的整数。",
    ),
    "error.invalid_number": ("“{value}” is not a whole number.", "“{value}”不是有效的整数。"),
    "error.invalid_text": ("That text can't be empty.", "内容不能为空。"),
    "error.text_too_long": ("Too long: at most {max} characters.", "内容过长:最多 {max} 个字符。"),
    "error.invalid_phone": (
        "“{value}” is not a phone number. Use digits, optionally starting with +.",
        "“{value}”不是有效的手机号,请只输入数字(可以 + 开头)。",
    ),
    "error.out_of_stock": (
        "Sorry, only {available} left of “{title}”.",
        "抱歉,“{title}”仅剩 {available} 件。",
    ),
    "error.product_inactive": ("“{title}” is no longer on sale.", "“{title}”已下架。"),
    "error.shop_not_active": ("This shop is not open for business right now.", "该店铺当前未营业。"),
    "error.cart_empty": ("Your cart is empty.", "购物车是空的。"),
    "error.price_changed": (
        "The price of “{title}” changed to {price}. Please review your order again.",
        "“{title}”的价格已变为 {price},请重新确认订单。",
    ),
}
