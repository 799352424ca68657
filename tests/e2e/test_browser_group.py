"""A shop's group chat on the play page, in chromium, through its buttons: Bob makes a group with the "➕ Group" form
(his staff member Sam and 小明 in it, and the bot), links it with /link_shop typed in the group's pane; Alice's paid
order is announced there; acting as 小明, the Accept press is refused and the pane shows the alert the bot gave him
(in his language), the order stays paid; acting as Sam, it is accepted. Sam may not remove the bot (only the
group's admin may); Bob removes it (the group is unlinked, the next alert is not posted there) and adds it back."""

from __future__ import annotations

import pytest
from playwright.async_api import Locator, Page, async_playwright, expect

from domain.orders import OrderStatus
from tests.e2e import merchant_steps as steps
from tests.e2e import staff_steps
from tests.e2e.harness import Stack
from tests.e2e.merchant_steps import ALICE, BOB
from tests.e2e.test_browser_order import SCREENSHOTS, WAIT, bot_says, type_in
from tests.sandbox.test_browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

pytestmark = pytest.mark.usefixtures("machine_speed")

SAM = 3001  # Bob's orders staff
XIAOMING = 1002  # in the group, but nobody's staff; reads Chinese


async def create_group(page: Page, title: str, by: int, members: list[int]) -> Locator:
    """The "➕ Group" form: title, creator, members ticked, the bot in it; returns the new group's pane."""
    await page.locator("#add-group summary").click()
    await page.locator("#new-group-title").fill(title)
    await page.locator("#new-group-by").select_option(str(by))
    for member in members:
        await page.locator(f'#new-group-members input[data-user-id="{member}"]').check()
    await expect(page.locator("#new-group-bot")).to_be_checked()
    await page.locator("#create-group").click()
    group = page.locator(".group-pane", has_text=title)
    await expect(group).to_be_visible(timeout=WAIT)
    await expect(page.locator("#add-group-form")).to_be_hidden()
    return group


async def act_as(group: Locator, user_id: int) -> None:
    await group.locator(".act-as").select_option(str(user_id))


def accept_button(group: Locator, order_id: int) -> Locator:
    return group.locator(f'.inline-btn[data-callback-data="o1:acc:{order_id}"]').last


async def linked(stack: Stack) -> bool:
    groups = await stack.driver.groups()
    async with stack.svc.uow(read_only=True) as uow:
        return await uow.staff.group(groups[0]["id"]) is not None


@pytest.mark.browser
async def test_group_pane_alert_buttons_refuse_an_outsider_work_for_staff_and_follow_the_bot(stack: Stack) -> None:
    require_chromium()
    bobs = await steps.shop(stack)
    tea = await steps.product(stack, bobs, stock=20)
    await stack.driver.create_user(SAM, "Sam", username="sam", language_code="en")
    await staff_steps.joined(stack, BOB, SAM, "➕ Invite: 📦 Orders")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1440, "height": 900})
            await page.goto(stack.sandbox.url + "/")
            await expect(page.locator(f'.pane[data-user-id="{SAM}"]')).to_be_visible(timeout=WAIT)

            # Bob makes the group with the bot in it; acting as its creator, he links it
            group = await create_group(page, "Bob's Tea <team>", BOB, [SAM, XIAOMING])
            await expect(group.locator(".group-title")).to_have_text("Bob's Tea <team>")  # shown as typed
            assert await page.locator("team").count() == 0  # no element made of the title
            await expect(page.locator("#pane-picker button[data-group-id]")).to_have_text("👥 Bob's Tea <team>")
            await expect(group.locator(".act-as")).to_have_value(str(BOB))
            await expect(bot_says(group, "send /link_shop here")).to_be_visible(timeout=WAIT)
            await expect(group.locator(".system", has_text="Merchant Bob added @")).to_be_visible()
            await type_in(group, "/link_shop")
            await expect(bot_says(group, "now the chat of the shop")).to_be_visible(timeout=WAIT)
            await expect(group.locator('.msg[data-sender="user"]', has_text="/link_shop")).to_be_visible()
            await stack.settle()

            # Alice's paid order is announced in the group
            first = await steps.paid_order(stack, tea, ALICE)
            await expect(bot_says(group, "New paid order")).to_be_visible(timeout=WAIT)

            # 小明 presses Accept: refused, the alert he got shows in the pane (in his language); nothing changes
            await act_as(group, XIAOMING)
            await expect(group.locator(".act-as-label")).to_have_text("身份", timeout=WAIT)
            await accept_button(group, first.id).click(timeout=WAIT)
            refused = group.locator(".system.told.alert").last
            await expect(refused).to_contain_text("无权", timeout=WAIT)
            await expect(refused).to_contain_text("小明")
            await stack.settle()
            assert (await steps.order_now(stack, first.id)).status is OrderStatus.PAID
            await page.screenshot(path=str(SCREENSHOTS / "group-refused-1440x900.png"))

            # Sam, Bob's staff, presses it: accepted
            await act_as(group, SAM)
            await expect(group.locator(".act-as-label")).to_have_text("Act as", timeout=WAIT)
            await accept_button(group, first.id).click(timeout=WAIT)
            await stack.settle()
            assert (await steps.order_now(stack, first.id)).status is OrderStatus.ACCEPTED
            await expect(group.locator(".system.told.alert")).to_have_count(1)

            # Sam may not remove the bot; Bob, the group's admin, does: the group is unlinked
            await group.locator(".bot-btn").click()
            await expect(group.locator(".toast.alert", has_text="admin")).to_contain_text("Merchant Bob", timeout=WAIT)
            await act_as(group, BOB)
            await expect(group.locator(".bot-btn")).to_have_text("Remove bot")
            await group.locator(".bot-btn").click()
            await expect(group.locator(".bot-btn")).to_have_text("Add bot", timeout=WAIT)
            await expect(group.locator(".system", has_text="Merchant Bob removed @")).to_be_visible()
            await stack.settle()
            assert not await linked(stack)

            # the next order's alert is not posted in the group (Bob gets it himself)
            posted = await group.locator('.msg[data-sender="bot"]').count()
            second = await steps.paid_order(stack, tea, ALICE)
            await steps.with_button(stack, BOB, f"o1:acc:{second.id}")
            await expect(accept_button(group, second.id)).to_have_count(0)
            await expect(group.locator('.msg[data-sender="bot"]')).to_have_count(posted)

            # Bob adds the bot back and links the group again: the alerts come back
            await group.locator(".bot-btn").click()
            await expect(group.locator(".bot-btn")).to_have_text("Remove bot", timeout=WAIT)
            await expect(group.locator('.msg[data-sender="bot"]', has_text="send /link_shop here")).to_have_count(
                2, timeout=WAIT
            )
            await type_in(group, "/link_shop")
            await expect(group.locator('.msg[data-sender="bot"]', has_text="now the chat of the shop")).to_have_count(
                2, timeout=WAIT
            )
            await stack.settle()
            assert await linked(stack)
            third = await steps.paid_order(stack, tea, ALICE)
            await expect(accept_button(group, third.id)).to_be_visible(timeout=WAIT)
            await page.screenshot(path=str(SCREENSHOTS / "group-1440x900.png"))
        finally:
            await browser.close()
