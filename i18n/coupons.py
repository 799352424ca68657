"""A coupon's terms in the reader's language ("5 ⭐ off over 50 ⭐" / "满 50 ⭐ 减 5 ⭐"): one wording for the
merchant's list, the claim buttons, /my_coupons and the checkout choice."""

from __future__ import annotations

from domain.coupons import Coupon
from i18n import t


def coupon_terms(lang: str, coupon: Coupon) -> str:
    over = "_over" if coupon.min_spend.amount else ""
    if coupon.amount_off is not None:
        return t(lang, f"coupon.amount{over}", off=coupon.amount_off, min_spend=coupon.min_spend)
    return t(lang, f"coupon.percent{over}", percent=coupon.percent_off, cap=coupon.cap, min_spend=coupon.min_spend)
