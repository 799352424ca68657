"""A merchant edits a listed product field by field: ✏️ Edit → the field → the new value → read back → Save.
Bad values are explained and change nothing, a second Save press changes nothing more, every change is listed
under the product and for admins, another merchant is refused, and an order placed before keeps its title."""

from __future__ import annotations

import pytest

from domain.events import Actor
from domain.usecases.product_edits import product_history
from tests.e2e import merchant_steps as steps
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import ADA, ALICE, BOB, CAROL

pytestmark = pytest.mark.usefixtures("machine_speed")


async def _edit(stack: Stack, button: str, *typed_and_answers: tuple[str, str], edit: str = "Edit") -> str:
    """``edit`` → ``button``; each typed value gets its answer (the last one is the read-back). The question."""
    await stack.press(BOB, edit)
    await stack.press(BOB, button)
    question = await stack.last_text(BOB)
    for typed, answer in typed_and_answers:
        assert answer in await stack.answer(BOB, typed), typed
    return question


async def _save(stack: Stack, save: str = "Save the change") -> str:
    await stack.press(BOB, save)
    return await stack.last_text(BOB)


async def test_each_field_is_edited_read_back_saved_once_and_audited(stack: Stack) -> None:
    bobs = await steps.shop(stack)
    tea = await steps.product(
        stack, bobs, title="Oolong", price=50, stock=5, category="Tea", brand="Wuyi", description="Roasted"
    )
    order = await steps.paid_order(stack, tea, ALICE)  # sold as "Oolong"

    await stack.say(BOB, "/products")
    await stack.press(BOB, "Oolong")

    # the title: two lines and too long are explained; the read-back shows old and new
    await _edit(
        stack,
        "Title",
        ("Jasmine\nPearl", "keep it to one line"),
        ("x" * 81, "at most 80 characters"),
        ("Jasmine <b>Pearl</b>", "Now: Oolong"),
    )
    assert "New: Jasmine <b>Pearl</b>" in await stack.last_text(BOB)
    saved = await _save(stack)
    assert "Saved" in saved and "Latest changes" in saved
    assert "title: Oolong → Jasmine <b>Pearl</b>" in saved

    # Save pressed again (a client replaying the press): the same answer, nothing more saved
    await steps.forge_press(stack, BOB, f"m1:pey:{tea.id}")
    assert "Saved" in await stack.last_text(BOB) and "title: Oolong → Jasmine <b>Pearl</b>" in await stack.last_text(
        BOB
    )
    history = await product_history(stack.svc, actor=Actor.merchant(BOB), product_id=tea.id, limit=50)
    assert [c.field.value for c in history.changes] == ["title"]

    # the description (several lines are fine), cleared with "-"; the category; the brand
    await _edit(stack, "Description", ("Spring tea\nfrom Fujian", "New: Spring tea"))
    await _save(stack)
    assert "Send - to leave it empty" in await _edit(stack, "Description", ("-", "New: —"))
    await _save(stack)
    await _edit(stack, "Brand", ("-", "New: —"))
    await _save(stack)
    await _edit(stack, "Category", ("C" * 41, "at most 40 characters"), ("Green tea", "New: Green tea"))
    await _save(stack)

    # the price and the stock: nonsense explained, the read-back in money
    await _edit(stack, "Price", ("abc", "“abc” is not a price"), ("-5", "is not a price"), ("65", "Now: 50"))
    await _save(stack)
    await _edit(stack, "Stock", ("lots", "is not a whole number"), ("12", "New: 12"))
    card = await _save(stack)
    assert "Price: 65" in card and "Stock: 12" in card and "Brand: —" in card and "Category: Green tea" in card

    [now] = await steps.products_of(stack, bobs.id)
    assert (now.title, now.description, now.brand, now.category, now.price.amount, now.stock) == (
        "Jasmine <b>Pearl</b>",
        "",
        "",
        "Green tea",
        65,
        12,
    )
    history = await product_history(stack.svc, actor=Actor.merchant(BOB), product_id=tea.id, limit=50)
    assert [c.field.value for c in history.changes] == [
        "stock",
        "price",
        "category",
        "brand",
        "description",
        "description",
        "title",
    ]
    assert [(c.old, c.new) for c in history.changes][:2] == [(4, 12), (50, 65)]  # one was sold before

    # the order placed before still says what was sold
    await stack.say(ALICE, "/orders")
    await stack.press(ALICE, f"Order #{order.id}")
    receipt = await stack.last_text(ALICE)
    assert "Oolong" in receipt and "Jasmine" not in receipt
    assert (await steps.order_now(stack, order.id)).lines[0].title == "Oolong"

    # admins read every change; another merchant cannot even open the editor
    changes = await stack.answer(ADA, f"/product_changes {tea.id}")
    assert "Changes to “Jasmine <b>Pearl</b>”" in changes and "title: Oolong → Jasmine <b>Pearl</b>" in changes
    assert f"by user {BOB}" in changes and "price: 50" in changes
    await stack.driver.create_user(CAROL, "Carol", language_code="en")
    await steps.shop(stack, CAROL, "Carol's Cups")
    assert "not allowed" in await stack.answer(CAROL, f"/product_changes {tea.id}")
    for forged in (f"m1:pem:{tea.id}", f"m1:pe:{tea.id}:title"):
        before = len(await stack.driver.toasts(CAROL))
        await steps.forge_press(stack, CAROL, forged)
        toasts = await stack.driver.toasts(CAROL)
        assert len(toasts) == before + 1 and "not allowed" in toasts[-1]["text"], forged


async def test_a_merchant_edits_in_chinese(stack: Stack) -> None:
    bobs = await steps.shop(stack)
    await steps.product(stack, bobs, title="Oolong", price=50)
    await stack.say(BOB, "/language")
    await stack.press(BOB, "中文")

    await stack.say(BOB, "/products")
    await stack.press(BOB, "Oolong")
    price = ("60", "改为：60")
    await _edit(stack, "💰 改价格", ("abc", "“abc”不是有效价格"), price, edit="✏️ 修改")
    readback = await stack.last_text(BOB)
    assert "确认修改Oolong的价格？" in readback and "当前：50" in readback
    saved = await _save(stack, "✅ 保存修改")
    assert "✅ 已保存。" in saved and "最近修改" in saved and "价格：50" in saved

    title = ("武夷乌龙", "改为：武夷乌龙")
    await _edit(stack, "📝 改标题", ("乌龙\n茶", "请只写一行。"), title, edit="✏️ 修改")
    assert "标题：Oolong → 武夷乌龙" in await _save(stack, "✅ 保存修改")
