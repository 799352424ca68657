"""Descriptions of the commands in each role's menu (handlers/shared/commands.py); at most 256 characters."""

MESSAGES: dict[str, tuple[str, str]] = {
    "menu.buyer.start": ("Home: browse and shop", "首页:逛逛、购物"),
    "menu.buyer.search": ("Search products", "搜索商品"),
    "menu.buyer.cart": ("Your cart", "购物车"),
    "menu.buyer.orders": ("Your orders and parcels", "我的订单与物流"),
    "menu.buyer.help": ("How this shop works", "使用帮助"),
    "menu.buyer.language": ("Language / 语言", "语言 / Language"),
    "menu.buyer.open_shop": ("Open your own shop", "我要开店"),
    "menu.merchant.shop": ("Your shop's dashboard", "店铺工作台"),
    "menu.merchant.products": ("Your products: price, stock, photos", "商品管理:价格、库存、图片"),
    "menu.merchant.add_product": ("List a new product", "发布新商品"),
    "menu.merchant.import_products": ("Import products from a CSV file", "从 CSV 文件批量导入商品"),
    "menu.merchant.imports": ("Your CSV imports: progress and refused rows", "导入记录:进度与未导入的行"),
    "menu.merchant.orders": (
        "Shop orders to accept and ship (/orders mine: your purchases)",
        "店铺订单:接单、发货(/orders mine 查看我买的)",
    ),
    "menu.merchant.tickets": ("After-sales tickets to answer", "待处理的售后工单"),
    "menu.merchant.stats": ("Sales, ratings and a chart", "销售数据、评分与图表"),
    "menu.merchant.promotions": ("Discounts and spend-and-save offers", "限时折扣与满减活动"),
    "menu.buyer.tickets": ("Your after-sales requests", "我的售后"),
    "menu.merchant.reviews": ("Reviews of your products; reply to them", "商品评价与回复"),
    "menu.merchant.group_buy": ("Group buys: group price and size per product", "拼团设置:每件商品的拼团价和人数"),
    "menu.admin.admin": ("Admin: applications, shops, disputes", "管理后台:开店审核、店铺、纠纷"),
}
