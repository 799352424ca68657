"""Texts of the error codes not covered by common.py. No placeholders: several use cases raise each code with
different params, and a text must render whatever they carry."""

MESSAGES: dict[str, tuple[str, str]] = {
    "error.invalid_tracking": (
        "That is not a tracking number: use 4–40 letters, digits or dashes, without spaces.",
        "运单号格式不正确:请输入 4–40 位字母、数字或短横线,不要包含空格。",
    ),
    "error.invalid_score": ("Scores go from 1 to 5.", "评分须为 1 到 5 分。"),
    "error.invalid_date": (
        "That date doesn't work: the end must be after the start and in the future.",
        "日期无效:结束时间须晚于开始时间,且晚于当前时间。",
    ),
    "error.invalid_percent": ("A discount is a whole percent from 1 to 99.", "折扣须为 1 到 99 之间的整数百分比。"),
    "error.invalid_group_size": ("A group has 2 to 10 people.", "拼团人数须为 2 到 10 人。"),
    "error.invalid_promotion": (
        "That promotion doesn't add up. Please check the amounts and try again.",
        "促销设置有误,请检查金额后重试。",
    ),
    "error.invalid_file": ("That file can't be used. Please send a photo.", "该文件无法使用,请发送图片。"),
    "error.too_many_photos": ("That's too many photos.", "图片数量超出上限。"),
    "error.currency_mismatch": (
        "That amount is in a different currency from this marketplace.",
        "该金额的币种与本商城不一致。",
    ),
    "error.shop_already_exists": (
        "You already have a shop (or an application in progress).",
        "您已有店铺(或正在审核中的开店申请)。",
    ),
    "error.address_required": ("Please choose or add a delivery address first.", "请先选择或添加收货地址。"),
    "error.payment_mismatch": (
        "The amount doesn't match the order. Please open the order and pay again.",
        "支付金额与订单不符,请重新打开订单付款。",
    ),
    "error.payment_expired": (
        "The time to pay has run out, so this can no longer be paid.",
        "付款时间已过,无法继续支付。",
    ),
    "error.order_not_payable": (
        "This can't be paid any more — it has been paid or cancelled already.",
        "当前无法付款:已付款或已取消。",
    ),
    "error.group_full": ("This group is already full. Start your own group!", "该团已满员,您可以自己发起拼团!"),
    "error.group_closed": ("This group has closed. Start your own group!", "该拼团已结束,您可以自己发起拼团!"),
    "error.already_in_group": ("You are already in this group.", "您已在该拼团中。"),
    "error.self_dealing": (
        "“{shop}” is your own shop: you cannot buy from it, join its group buys or review it.",
        "“{shop}”是您自己的店铺:不能在自己店铺下单、参团或评价。",
    ),
    "error.no_group_price": ("This product has no group buy.", "该商品暂不支持拼团。"),
    "error.after_sale_window_closed": (
        "The after-sales period for this order has ended.",
        "该订单的售后期限已过。",
    ),
    "error.ticket_already_open": (
        "There is already an open after-sales request for this order.",
        "该订单已有进行中的售后申请。",
    ),
    "error.order_refunded": (
        "This order was refunded, so it is closed: there is nothing to confirm or extend, and the shop is not "
        "paid for it.",
        "该订单已退款并关闭:无需确认收货或延长收货,也不会结算给商家。",
    ),
    "error.receipt_already_extended": (
        "Receipt can be extended only once per order, and this order has been extended already.",
        "每个订单只能延长收货一次,该订单已延长过。",
    ),
    "error.review_window_closed": ("The time to review this order has passed.", "该订单的评价期限已过。"),
    "error.already_reviewed": ("You have already reviewed this.", "您已经评价过了。"),
    "error.already_replied": ("You have already replied to this review.", "您已回复过这条评价。"),
    "error.shop_has_open_orders": (
        "This shop still has open orders. Close it with force to cancel and refund them.",
        "该店铺仍有未完成的订单。强制关店将取消这些订单并退款。",
    ),
    "error.cannot_remove_root_admin": (
        "Admins listed in the settings can't be removed here.",
        "配置文件中指定的管理员无法在此移除。",
    ),
    "error.user_unreachable": (
        "That user can't be reached: they have blocked the bot.",
        "无法联系该用户:对方已屏蔽机器人。",
    ),
    "error.agreement_required": (
        "Please read and accept the merchant agreement to continue.",
        "请阅读并同意商家入驻协议后继续。",
    ),
    "error.documents_required": (
        "Please send at least one document (business licence or ID photo).",
        "请至少上传一份资质文件(营业执照或身份证照片)。",
    ),
}
