"""The one-off move of every dict module of ``i18n/messages`` into the gettext catalogues (run once, kept in
history): hand-made plurals ("order(s)", "(1 reviews)") become real plural messages first, "Order No. 2" becomes
"Order #2" like everywhere else, then ``absorb`` does the rest (Chinese punctuation, .po, .mo)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from i18n.tools.absorb import absorb_messages, load_module

MESSAGES_DIR = Path(__file__).resolve().parent.parent / "messages"

# key -> (renamed placeholder or None, English one form, English other form); the count is always ``count``.
PLURALS: dict[str, tuple[str | None, str, str]] = {
    "admin.app.documents_missing": (
        None,
        "1 document of application #{shop_id} could not be shown; ask the applicant to send it again.",
        "{count} documents of application #{shop_id} could not be shown; ask the applicant to send them again.",
    ),
    "admin.shop.close_has_orders": (
        None,
        "This shop still has 1 open order. Close it anyway? If it is not yet shipped it is cancelled and its "
        "buyer refunded; if it is already shipped it completes as usual.",
        "This shop still has {count} open orders. Close it anyway? Orders not yet shipped are cancelled and "
        "their buyers refunded; orders already shipped complete as usual.",
    ),
    "admin.eval.unrated": (
        "orders",
        "📊 Score: not rated — 1 order in the last {days} days is too few to judge.",
        "📊 Score: not rated — {count} orders in the last {days} days are too few to judge.",
    ),
    "admin.eval.report": ("shops", "(s)", "(s)"),
    "aftersales.btn.photos_done": (None, "✅ Done (1 photo)", "✅ Done ({count} photos)"),
    "aftersales.page.photos": (None, "📷 1 photo attached", "📷 {count} photos attached"),
    "aftersales.open.summary": ("photos", "(s)", "(s)"),
    "aftersales.review.summary": ("photos", "(s)", "(s)"),
    "aftersales.notify.message.from_buyer_photos": ("photos", "(s)", "(s)"),
    "aftersales.notify.message.from_merchant_photos": ("photos", "(s)", "(s)"),
    "buyer.product.shop": (None, "🏪 {shop} · ⭐ {rating} (1 review)", "🏪 {shop} · ⭐ {rating} ({count} reviews)"),
    "buyer.checkout.to_pay": ("orders", "(s)", "(s)"),
    "buyer.checkout.placed_title": (None, "✅ <b>1 order placed</b>", "✅ <b>{count} orders placed</b>"),
    "buyer.checkout.pay_below": (
        None,
        "Pay with the invoice below. If it is not paid in time the order is cancelled automatically; "
        "nothing is charged.",
        "Pay with the invoices below. Unpaid orders are cancelled automatically; nothing is charged.",
    ),
    "notify.shop.applied.admin": ("documents", "(s)", "(s)"),
}
_HAND_PLURAL = re.compile(r"\{count\} ((?:\w+ )*?)(\w+)\(s\)")


def _forms(english: str, rename: str | None, one: str, other: str) -> tuple[str, str]:
    if one != "(s)":
        return one, other
    text = english.replace(f"{{{rename}}}", "{count}")
    return _HAND_PLURAL.sub(r"1 \1\2", text), _HAND_PLURAL.sub(r"{count} \1\2s", text)


def rewrite(messages: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    result: dict[str, tuple[str, str]] = {}
    for key, (english, chinese) in messages.items():
        english = re.sub(r"([Oo]rder) No\. \{order_id\}", r"\1 #{order_id}", english)
        english = english.replace("(No. {shop_id})", "(#{shop_id})")
        chinese = chinese.replace("订单 {order_id}", "订单 #{order_id}")
        if key in PLURALS:
            rename, one, other = PLURALS[key]
            if rename:
                chinese = chinese.replace(f"{{{rename}}}", "{count}")
            one, other = _forms(english, rename, one, other)
            result[f"{key}.one"], result[f"{key}.other"] = (one, chinese), (other, chinese)
        else:
            result[key] = (english, chinese)
    return result


def main() -> int:
    paths = sorted(path for path in MESSAGES_DIR.glob("*.py") if path.name != "__init__.py")
    modules = [(path.stem, rewrite(load_module(path))) for path in paths]
    missing = set(PLURALS) - {key.rpartition(".")[0] for _, messages in modules for key in messages}
    if missing:
        raise SystemExit(f"not found: {sorted(missing)}")
    absorb_messages(modules)
    for path in paths:
        path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
