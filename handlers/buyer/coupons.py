"""The buyer's coupons (优惠券): 🎟 Claim buttons on shop and product pages, ``/coupon CODE``, and /my_coupons.

Checkout uses the best claimed coupon by itself (``handlers.buyer.checkout`` lets the buyer change it).
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update
from telegram.ext import Application, CommandHandler

from domain.coupons import Coupon, normalise_code
from domain.routes import Press, Route
from domain.usecases import coupons as coupons_uc
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_buyer, lang, services
from handlers.common.reply import plain, send, text
from i18n.coupons import coupon_terms


def claim_buttons(language: str, coupons: Sequence[Coupon]) -> list[tuple[str, str]]:
    """(label, callback data) per claimable coupon: "🎟 Claim 5 ⭐ off over 50 ⭐", one row each."""
    return [
        (plain(language, "coupons.btn.claim", terms=coupon_terms(language, c)), Route.COUPON_CLAIM.with_id(c.id))
        for c in coupons
    ]


async def _claimed(update: Update, context: Context, coupon: Coupon) -> None:
    terms = coupon_terms(lang(context), coupon)
    await send(update, context, text(context, "coupons.claimed", terms=terms, code=coupon.code))


@on_button(Route.COUPON_CLAIM)
async def on_claim(update: Update, context: Context, press: Press) -> None:
    """🎟 Claim on a shop or product page (a coupon gone or a limit reached is the press's alert)."""
    coupon = await coupons_uc.claim_coupon(services(context), actor=as_buyer(update), coupon_id=press.id())
    await _claimed(update, context, coupon)


async def coupon_command(update: Update, context: Context) -> None:
    """/coupon CODE: claim a coupon by its code."""
    typed = " ".join(context.args or [])
    if not typed.strip():
        await send(update, context, text(context, "coupons.ask_code"))
        return
    code = normalise_code(typed)
    coupon = await coupons_uc.claim_coupon(services(context), actor=as_buyer(update), code=code)
    await _claimed(update, context, coupon)


async def my_coupons_command(update: Update, context: Context) -> None:
    """/my_coupons: what the buyer holds, newest first."""
    held = await coupons_uc.my_coupons(services(context), actor=as_buyer(update))
    language = lang(context)
    lines = [text(context, "coupons.mine.title")]
    for item in held:
        key = "coupons.mine.used" if item.used else "coupons.mine.item"
        terms = coupon_terms(language, item.coupon)
        shop = item.shop or text(context, "coupons.platform_shop")  # a platform coupon: any shop
        lines.append(text(context, key, code=item.coupon.code, terms=terms, shop=shop, ends=item.coupon.ends_at))
    if not held:
        lines.append(text(context, "coupons.mine.none"))
    await send(update, context, "\n".join(lines))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("coupon", coupon_command))
    app.add_handler(CommandHandler("my_coupons", my_coupons_command))
    add_buttons(app, on_claim)
