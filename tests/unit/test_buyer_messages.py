"""The buyer's texts: every key the screens use exists in both languages with the same blanks, and whatever a
buyer or merchant typed is shown literally, never as markup."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.events import Actor
from domain.usecases import catalog as catalog_uc
from domain.usecases.buyer_orders import my_order
from domain.users import Address, AddressSnapshot
from handlers.buyer.addresses import address_text
from handlers.buyer.orders import detail_text
from handlers.buyer.product import CAPTION_LIMIT, fitted_text
from i18n import catalog, t
from tests.fakes import BUYER, World
from tests.unit.message_checks import blanks

HANDLERS = Path(__file__).resolve().parents[2] / "handlers" / "buyer"
HOSTILE = '<b>Boss</b> <a href="http://evil">click</a> Tom & Jerry'
ESCAPED = '&lt;b&gt;Boss&lt;/b&gt; &lt;a href="http://evil"&gt;click&lt;/a&gt; Tom &amp; Jerry'


def _used_keys() -> set[str]:
    keys: set[str] = set()
    for path in HANDLERS.glob("*.py"):
        keys |= set(re.findall(r'"((?:buyer|error)\.[a-z_.]+)"', path.read_text()))
    return keys


def test_every_key_the_buyer_screens_use_exists() -> None:
    assert sorted(_used_keys() - set(catalog())) == []


@pytest.mark.parametrize("key", sorted(k for k in catalog() if k.startswith("buyer.")))
def test_english_and_chinese_fill_the_same_blanks(key: str) -> None:
    english, chinese = catalog()[key]
    assert blanks(english) == blanks(chinese)
    assert english.strip() and chinese.strip()


def test_an_address_with_markup_shows_literally() -> None:
    address = Address(1, BUYER, HOSTILE, "13800000000", HOSTILE, datetime(2026, 1, 1, tzinfo=UTC))
    for language in ("en", "zh"):
        rendered = address_text(language, address)
        assert rendered.count(ESCAPED) == 2 and "<b>" not in rendered and "<a " not in rendered


async def test_an_order_page_shows_a_hostile_address_and_title_literally() -> None:
    world = World()
    product = world.add_product(world.add_shop(name="Tea & Co"), title="<b>Tea</b>")
    world.db.tables["products"][product.id].title = "<b>Tea</b>"
    order = await world.buy(product)
    world.db.tables["orders"][order.id].address = AddressSnapshot(HOSTILE, "13800000000", HOSTILE)

    rendered = detail_text("en", await my_order(world.svc, actor=Actor.buyer(BUYER), order_id=order.id))

    assert ESCAPED in rendered and "&lt;b&gt;Tea&lt;/b&gt;" in rendered and "Tea &amp; Co" in rendered
    assert "<b>Boss" not in rendered and "<a href" not in rendered


async def test_a_long_product_page_still_fits_a_photo_caption() -> None:
    world = World()
    product = world.add_product(world.add_shop(), title="Green tea " * 10)
    world.db.tables["products"][product.id].description = "Lovely & fresh. " * 200

    page = await catalog_uc.product_page(world.svc, product_id=product.id)
    caption = fitted_text("zh", page, CAPTION_LIMIT)

    assert len(caption) <= CAPTION_LIMIT and "Lovely &amp; fresh" in caption


def test_user_text_is_escaped_by_the_catalogue() -> None:
    assert ESCAPED in t("en", "buyer.order.address", address=HOSTILE)
