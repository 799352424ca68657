"""A shop's score as every screen shows it (the admins' shop list and shop page, the merchant's dashboard)."""

from __future__ import annotations

from handlers.common.deps import Context
from handlers.common.reply import text
from i18n import Markup


def score_text(context: Context, score: int | None) -> Markup:
    """ "94/100", or "not rated" while the shop has too few paid orders to judge (``evaluation.MIN_ORDERS``)."""
    if score is None:
        return Markup(text(context, "shop.score.unrated"))
    return Markup(text(context, "shop.score.rated", score=score))
