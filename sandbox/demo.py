"""The demo marketplace ``shopbot sandbox`` starts with: an approved shop, a dozen products with pictures (the
earbuds with variants: colour × edition, one SKU sold out, sold in groups at an amount off every SKU), an open group
buy and promotions. Everything is made through the same use cases the bot uses."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from builders.journeys import list_product, open_shop
from domain.alerts import AlertPreferences
from domain.events import Actor
from domain.money import Money
from domain.promotions import SpendTier
from domain.services import Services
from domain.shipping import ShippingTemplate
from domain.shops import Shop, ShopType
from domain.usecases import variants
from domain.usecases.coupons import CouponTerms, issue_coupon
from domain.usecases.group_buys import place_group_order
from domain.usecases.orders_paying import pay_order
from domain.usecases.products import set_group_buy
from domain.usecases.promotions_admin import create_limited_time, create_spend_off
from domain.usecases.shipping import set_shipping
from domain.usecases.users import register_user
from domain.users import AddressSnapshot
from sandbox.demo_images import product_picture

log = logging.getLogger(__name__)

# Put a picture somewhere the bot can send it from; returns its Telegram file id.
PhotoStore = Callable[[str, bytes], str]


@dataclass(frozen=True)
class DemoProduct:
    title: str
    category: str
    brand: str
    description: str
    price: int  # in the marketplace currency's minor units (Stars have none)
    stock: int
    colour: tuple[int, int, int]
    emblem: str = "circle"
    # (group price, group size); for a product with options, (amount off every SKU's price, group size), as the
    # merchant's /group_buy asks for it (pricing.sku_group_price)
    group: tuple[int, int] | None = None
    options: str = ""  # variants, as a merchant types them (domain/variants.py)
    skus: str = ""  # the SKU lines, as a merchant types them


PRODUCTS = (
    DemoProduct(
        "Hainan mango 海南芒果",
        "Fruit 水果",
        "Hainan Farms",
        "Sun-ripened mangoes, 2.5 kg box. 香甜多汁。",
        89,
        120,
        (250, 176, 5),
        group=(59, 3),
    ),
    DemoProduct(
        "Fuji apples 红富士苹果",
        "Fruit 水果",
        "Yantai",
        "Crisp Yantai Fuji apples, 12 pieces. 脆甜可口。",
        69,
        200,
        (214, 48, 49),
    ),
    DemoProduct(
        "Kiwi fruit 猕猴桃", "Fruit 水果", "Zhouzhi", "Green kiwis from Shaanxi, 20 pieces.", 49, 80, (106, 176, 76)
    ),
    DemoProduct(
        "Durian 榴莲",
        "Fruit 水果",
        "Musang King",
        "Thai Monthong durian, about 3 kg.",
        299,
        15,
        (201, 160, 30),
        "triangle",
        group=(239, 2),
    ),
    DemoProduct(
        "Spicy strips 辣条",
        "Snacks 零食",
        "Weilong",
        "The classic latiao snack, 20 packs. 麻辣过瘾。",
        25,
        500,
        (230, 80, 40),
        "square",
    ),
    DemoProduct(
        "Sunflower seeds 瓜子",
        "Snacks 零食",
        "ChaCheer",
        "Caramel sunflower seeds, 500 g.",
        19,
        300,
        (120, 90, 60),
        "square",
    ),
    DemoProduct(
        "Mixed nuts 每日坚果",
        "Snacks 零食",
        "Three Squirrels",
        "30 daily packs of mixed nuts.",
        99,
        150,
        (160, 110, 60),
        "square",
    ),
    DemoProduct(
        "Paper towels 抽纸",
        "Home 家居",
        "Vinda",
        "24 packs of 3-ply tissues. 家庭装。",
        45,
        400,
        (120, 180, 230),
        "square",
        group=(35, 5),
    ),
    DemoProduct(
        "Laundry pods 洗衣凝珠",
        "Home 家居",
        "Blue Moon",
        "52 laundry pods, fresh scent.",
        59,
        250,
        (60, 120, 220),
        "circle",
    ),
    DemoProduct(
        "Phone charger 快充充电器",
        "Electronics 数码",
        "Anker",
        "65 W USB-C fast charger, GaN.",
        139,
        60,
        (60, 60, 70),
        "square",
    ),
    DemoProduct(
        "Wireless earbuds 蓝牙耳机",
        "Electronics 数码",
        "Edifier",
        "Bluetooth 5.3 earbuds, 30 h battery.",
        199,
        40,
        (240, 240, 245),
        "circle",
        options="Colour 颜色: White 白, Black 黑\nEdition 版本: Standard 标准, Pro",
        skus="* = 199 10\nWhite 白 / Pro = 249 5\nBlack 黑 / Pro = 249 0",
        group=(30, 2),  # 30 off each SKU: from 169 (Standard), 219 (Pro)
    ),
    DemoProduct(
        "Power bank 充电宝",
        "Electronics 数码",
        "Xiaomi",
        "20 000 mAh power bank, 22.5 W.",
        119,
        70,
        (90, 90, 200),
        "square",
    ),
)

MERCHANT_NAME = "Bob"
DEMO_EMAIL = "bob@orchard.example"  # Bob's verified alert e-mail (his inbox on the page shows what goes there)
# Bob's shipping template (运费模板): 10 a parcel, 25 to Xinjiang or Tibet, 2 per extra item, free from 300 of goods.
DEMO_SHIPPING = ShippingTemplate(fee=10, free_over=300, per_extra_item=2, regions={"xinjiang": 25, "xizang": 25})
# One claimable coupon (优惠券): 5 off over 50 of goods, 100 copies, one per buyer, for 30 days.
DEMO_COUPON = CouponTerms(amount_off=5, percent_off=None, cap=None, min_spend=50, total=100, per_user=1, days=30)


async def seed_demo(svc: Services, store_photo: PhotoStore, *, merchant_id: int, admin_id: int, leader_id: int) -> bool:
    """Seed once: False when the merchant already has a shop (a kept database)."""
    async with svc.uow(read_only=True) as uow:
        if await uow.shops.latest_for_owner(merchant_id) is not None:
            return False
    licence = store_photo("demo-licence", product_picture("Business licence", (200, 200, 200), "square"))
    shop = await open_shop(
        svc,
        merchant_id,
        admin_id=admin_id,
        name="Bob's Orchard 鲍勃果园",
        business_scope="Fresh fruit, snacks, home goods and gadgets",
        shop_type=ShopType.ENTERPRISE,
        contact_phone="+8613800138000",
        documents=[licence],
        owner_name=MERCHANT_NAME,
        owner_username="bob_orchard",
        deposit_charge_id="demo-deposit",
    )
    await register_user(svc, user_id=leader_id, first_name="小明", username="xiaoming", language_code="zh")
    merchant = Actor.merchant(merchant_id)
    product_ids, group_product_id = await _list_products(svc, shop, store_photo)
    if group_product_id is not None:
        await _lead_group(svc, leader_id, group_product_id)
    await seed_promotions(svc, merchant=merchant, shop_id=shop.id, apples_id=product_ids[1])
    await set_shipping(svc, actor=merchant, template=DEMO_SHIPPING)
    await issue_coupon(svc, actor=merchant, terms=DEMO_COUPON)
    await _verified_contacts(svc, merchant_id, shop.contact_phone)
    log.info("demo marketplace seeded: shop %s with %s products", shop.id, len(PRODUCTS))
    return True


async def _verified_contacts(svc: Services, merchant_id: int, phone: str) -> None:
    """Bob's e-mail and phone, verified as if he had typed their codes: his alerts show in his pane's inbox (e-mail
    for every group; SMS when he blocks the bot, or turns it on in /notifications)."""
    async with svc.uow() as uow:
        await uow.alerts.save(AlertPreferences(user_id=merchant_id, email=DEMO_EMAIL, phone=phone))
        await uow.commit()


async def _list_products(svc: Services, shop: Shop, store_photo: PhotoStore) -> tuple[list[int], int | None]:
    """Every demo product with its picture (its variants, then its group buy, as the merchant sets them from ✏️ Edit
    and /group_buy); returns their ids and the first one sold as a group buy."""
    currency = svc.policy.currency
    group_product_id = None
    product_ids: list[int] = []
    for index, item in enumerate(PRODUCTS):
        photo = store_photo(
            f"demo-product-{index}",
            product_picture(item.title.split(" ")[0] + " " + item.title.split(" ")[1], item.colour, item.emblem),
        )
        product = await list_product(
            svc,
            shop,
            title=item.title,
            price=item.price,
            stock=item.stock,
            description=item.description,
            category=item.category,
            brand=item.brand,
            photos=[photo],
        )
        product_ids.append(product.id)
        if item.options:
            await _give_variants(svc, Actor.merchant(shop.owner_id), product.id, item)
        if item.group:
            amount = Money(item.group[0], currency)
            await set_group_buy(
                svc,
                actor=Actor.merchant(shop.owner_id),
                product_id=product.id,
                group_price=None if item.options else amount,
                group_off=amount if item.options else None,
                group_size=item.group[1],
            )
            group_product_id = group_product_id or product.id
    return product_ids, group_product_id


async def _give_variants(svc: Services, merchant: Actor, product_id: int, item: DemoProduct) -> None:
    """The product's options and SKUs, as the merchant would save them from ✏️ Edit."""
    async with svc.uow() as uow:
        await variants.set_options(uow, svc, merchant, product_id, item.options)
        await uow.commit()
    async with svc.uow() as uow:
        await variants.set_skus(uow, svc, merchant, product_id, item.skus)
        await uow.commit()


async def _lead_group(svc: Services, leader_id: int, product_id: int) -> None:
    """小明 opens a group buy and pays, so the demo has a group waiting for members."""
    order = await place_group_order(
        svc,
        actor=Actor.buyer(leader_id),
        product_id=product_id,
        address=AddressSnapshot("小明", "+8613900139000", "上海市浦东新区世纪大道 100 号"),
    )
    await pay_order(
        svc,
        order_id=order.id,
        payer_id=leader_id,
        charge_id="demo-group-leader",
        amount=order.total.amount,
        currency=order.total.currency,
    )


async def seed_promotions(svc: Services, *, merchant: Actor, shop_id: int, apples_id: int) -> None:
    """A week of 20% off the apples, and 满减 for the whole shop: spend 200 get 20 off, spend 500 get 60 off."""
    now = svc.clock.now()
    currency = svc.policy.currency
    await create_limited_time(
        svc,
        actor=merchant,
        name="Apple week 苹果周",
        starts_at=now,
        ends_at=now + timedelta(days=7),
        percent_off=20,
        product_id=apples_id,
    )
    await create_spend_off(
        svc,
        actor=merchant,
        name="Spend & save 满减",
        tiers=[
            SpendTier(Money(200, currency), Money(20, currency)),
            SpendTier(Money(500, currency), Money(60, currency)),
        ],
        starts_at=now,
        ends_at=now + timedelta(days=30),
    )
