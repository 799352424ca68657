"""/platform_coupons (and 🎟 Platform coupons on /admin): coupons issued by admins and funded by the platform, usable
at any shop (rule 10 of ``domain/pricing.py``), on the coupon screen shared with the merchants'
(``handlers.shared._coupon_desk``)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram.ext import Application

from domain.coupons import Coupon
from domain.events import Actor
from domain.routes import Route
from domain.services import Services
from domain.usecases.coupons import platform_coupons
from handlers.common.deps import Context, as_admin
from handlers.common.reply import text
from handlers.shared._coupon_desk import CouponDesk


async def _listing(svc: Services, actor: Actor, context: Context) -> tuple[str, Sequence[Coupon]]:
    return text(context, "platform_coupons.card"), await platform_coupons(svc, actor=actor)


DESK = CouponDesk(
    flow="a1.pcn",
    command="platform_coupons",
    view=Route.ADMIN_PLATFORM_COUPONS,
    new=Route.ADMIN_PLATFORM_COUPON_NEW,
    create=Route.ADMIN_PLATFORM_COUPON_CREATE,
    end=Route.ADMIN_PLATFORM_COUPON_END,
    actor=as_admin,
    listing=_listing,
    platform=True,
    back=("admin.btn.menu", Route.ADMIN_MENU),
)


def register(app: Application) -> None:
    DESK.register(app)
