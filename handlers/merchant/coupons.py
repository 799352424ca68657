"""/coupons (and 🎟 Coupons on the dashboard): the shop's coupons (优惠券), issued and ended by its owner, on the
coupon screen shared with the admins' platform coupons (``handlers.shared._coupon_desk``)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.ext import Application

from domain.coupons import Coupon
from domain.events import Actor
from domain.routes import Route
from domain.services import Services
from domain.usecases.coupons import shop_coupons as shop_coupons_uc
from handlers.common.deps import Context, as_merchant
from handlers.common.reply import text
from handlers.shared._coupon_desk import CouponDesk


async def _listing(svc: Services, actor: Actor, context: Context) -> tuple[str, Sequence[Coupon]]:
    shop, coupons = await shop_coupons_uc(svc, actor=actor)
    return text(context, "coupons.card", shop=shop.name), coupons


DESK = CouponDesk(
    flow="m1.cpn",
    command="coupons",
    view=Route.MERCHANT_COUPONS,
    new=Route.MERCHANT_COUPON_NEW,
    create=Route.MERCHANT_COUPON_CREATE,
    end=Route.MERCHANT_COUPON_END,
    actor=as_merchant,
    listing=_listing,
)
FLOW = DESK.flow


async def show_coupons(update: Update, context: Context, *, note: str = "") -> None:
    await DESK.show(update, context, note=note)


def register(app: Application) -> None:
    DESK.register(app)
