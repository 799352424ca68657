"""Every notification the core use cases queue has a text in both languages, and every such text is used.

The fake outbox also renders each queued message in English and Chinese (tests/fakes/repositories.py), so
every behaviour test doubles as a check that its messages render with the arguments actually passed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from domain.events import Actor
from domain.money import Money
from domain.usecases.orders import accept_order, confirm_receipt
from i18n import area_messages, catalog, has, t
from tests.fakes import ADMIN, BUYER, MERCHANT, World

USECASES = Path(__file__).resolve().parents[2] / "domain" / "usecases"
CORE_MODULES = ["shops.py", "products.py", "group_buys.py", *(p.name for p in USECASES.glob("orders*.py"))]
KEY = re.compile(r"\"(notify\.[a-z_.]+)\"")


def emitted_keys() -> set[str]:
    return {key for name in CORE_MODULES for key in KEY.findall((USECASES / name).read_text(encoding="utf-8"))}


def test_the_scan_finds_the_keys() -> None:
    assert {"notify.order.paid.merchant", "notify.shop.applied.admin", "notify.btn.accept"} <= emitted_keys()


@pytest.mark.parametrize("key", sorted(emitted_keys()))
def test_every_key_a_use_case_emits_is_in_the_catalogue(key: str) -> None:
    assert has(key)
    english, chinese = catalog()[key]
    assert english.strip() and chinese.strip() and english != chinese


def test_no_text_is_left_unused() -> None:
    assert set(area_messages("notifications_core")) == emitted_keys()


def test_merchant_and_buyer_text_is_escaped_in_notifications() -> None:
    text = t("en", "notify.shop.rejected", name="<script>", reason="a & b")
    assert "&lt;script&gt;" in text and "a &amp; b" in text and "<b>" in text


async def test_a_journey_from_application_to_review_queues_renderable_messages_once_each() -> None:
    world = World()
    shop = world.add_shop()
    tea = world.add_product(shop, title="<b>Tea</b> & co", price=1000)
    order = await world.shipped_order(tea)
    await confirm_receipt(world.svc, actor=Actor.buyer(BUYER), order_id=order.id)
    other = await world.paid_order(tea)
    await accept_order(world.svc, actor=Actor.merchant(MERCHANT), order_id=other.id)

    keys = [message.dedupe_key for message in world.messages()]
    assert len(keys) == len(set(keys))
    assert world.sent(BUYER) == [
        "notify.order.paid.buyer",
        "notify.order.shipped",
        "notify.order.completed.buyer",
        "notify.order.paid.buyer",
        "notify.order.accepted",
    ]
    alert = world.messages(MERCHANT)[0]
    rendered = t("zh", alert.key, **alert.args)
    assert "&lt;b&gt;Tea&lt;/b&gt; &amp; co" in rendered and Money(1000, "XTR").format() in rendered
    assert world.sent(ADMIN) == []
