"""Group buys (拼团) for buyers: a group's page, a product's open groups, starting or joining one, sharing it.

A friend follows ``https://t.me/<bot>?start=g<id>`` (``/start`` calls ``show_group``) or the card posted through
inline mode (``@bot g<id>``), sees who is in, how many are missing and the time left, and joins by paying: the
address is chosen (or typed) in the flow ``g1.buy``, the order is placed at the price shown and its invoice sent
with the payload ``o:<order id>``, which handlers/buyer/payments.py settles through ``pay_order``.

Buttons: a product's open groups and "start a group"; start; join; the group's page; an address, a new address
or cancel inside the flow.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import timedelta

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    Update,
)
from telegram.ext import Application, ApplicationHandlerStop, InlineQueryHandler

from domain.errors import DomainError
from domain.group_buys import GroupBuyStatus
from domain.money import Money
from domain.orders import OrderStatus
from domain.routes import Press, Route
from domain.usecases import addresses as addresses_uc
from domain.usecases.group_buys import place_group_from_draft
from domain.usecases.group_pages import GroupPage, ProductGroups, group_page, product_groups, quote_group_order
from domain.users import Address
from domain.variants import LABEL_JOIN
from handlers.buyer.addresses import NAME, address_choice, address_steps, ask_new_address
from handlers.buyer.formatting import clip, join
from handlers.buyer.inline import link_card
from handlers.buyer.payments import send_order_invoice
from handlers.buyer.variants import NONE, option_rows, picked_values
from handlers.common.buttons import add_buttons, on_button
from handlers.common.deps import Context, as_buyer, lang, services, user_id
from handlers.common.flows import (
    DONE,
    Flow,
    Step,
    active_flow,
    advance_flow,
    buttons_only,
    register_flow,
    start_flow,
)
from handlers.common.reply import ButtonSpec, acknowledge, answer_error, keyboard, plain, send, show, text
from i18n import Markup, t
from i18n.receipts import render_receipt

FLOW = "g1.buy"
CHOOSE = "choose"
# Inline queries "g<id>" are answered here, in a group before handlers/buyer/inline.py's catch-all (group 0),
# which then never sees them (ApplicationHandlerStop).
INLINE_GROUP = -1
INLINE_PATTERN = r"^\s*[gG]\d{1,18}\s*$"
INLINE_CACHE_SECONDS = 10


def group_link(bot_username: str, group_id: int) -> str:
    """The deep link that opens the group's page in the bot."""
    return f"https://t.me/{bot_username}?start=g{group_id}"


def time_left(language: str, left: timedelta | None) -> str:
    if left is None:
        return "—"
    minutes = max(int(left.total_seconds()) // 60, 0)
    return t(language, "group.time_left", hours=minutes // 60, minutes=minutes % 60)


# ---- a group's page ---------------------------------------------------------------------------------------


def _member_names(language: str, page: GroupPage) -> Markup:
    """The seated members' first names, each with the SKU they picked in a group of SKUs (all escaped)."""
    if not page.member_skus:
        return Markup(html.escape(", ".join(page.members), quote=False) or "—")
    picks = [
        t(language, "group.page.member_pick", name=name, pick=pick)
        for name, pick in zip(page.members, page.member_skus, strict=True)
    ]
    return Markup(", ".join(picks) or "—")


def page_text(language: str, page: GroupPage, link: str) -> str:
    group = page.group
    if page.group.of_skus:  # each joiner picks a SKU: the price is the cheapest SKU's, "from" when they differ
        price = [_price_line(language, page.price, page.normal_price, group.size, from_price=page.from_price)]
    else:
        price = [
            _price_line(language, page.price, page.normal_price, group.size),
            render_receipt(language, page.receipt),
        ]
    parts = [
        t(language, "group.page.title", group_id=group.id, title=page.product.title, shop=page.shop.name),
        *price,
        t(
            language,
            "group.page.members",
            count=group.member_count,
            size=group.size,
            names=_member_names(language, page),
        ),
    ]
    if group.status is GroupBuyStatus.COMPLETE:
        parts.append(t(language, "group.page.complete"))
    elif not page.is_open:
        parts.append(t(language, "group.page.closed"))
    else:
        parts.append(t(language, "group.page.missing", missing=group.missing, left=time_left(language, page.time_left)))
        unpaid = page.viewer_unpaid
        if page.viewer_in:
            parts.append(t(language, "group.page.you_are_in", missing=group.missing))
        elif unpaid is not None:
            parts.append(t(language, "group.page.you_have_unpaid", order_id=unpaid.id))
        elif not page.for_sale:
            parts.append(t(language, "group.page.not_for_sale"))
        parts.append(t(language, "group.page.share", link=link))
    return join(parts)


def _price_line(language: str, price: Money, normal: Money, size: int, *, from_price: bool = False) -> str:
    """The group price against the single price (``from_price``: the lowest of a product's options)."""
    if from_price:
        return t(language, "group.price_from", price=price, size=size)
    if price < normal:
        return t(language, "group.price_vs_normal", price=price, normal=normal, saving=normal - price, size=size)
    return t(language, "group.price_only", price=price, size=size)


def page_keyboard(language: str, page: GroupPage) -> InlineKeyboardMarkup:
    group = page.group
    rows: list[list[InlineKeyboardButton]] = []
    if page.joinable:
        join_key = "group.btn.join_pick" if group.of_skus else "group.btn.join"
        join_label = plain(language, join_key, price=page.price)
        rows.append([InlineKeyboardButton(join_label, callback_data=Route.GROUP_JOIN.with_id(group.id))])
    unpaid = page.viewer_unpaid
    if page.is_open and unpaid is not None:
        pay_label = plain(language, "group.btn.pay", order_id=unpaid.id)
        rows.append([InlineKeyboardButton(pay_label, callback_data=Route.ORDER_PAY.with_id(unpaid.id))])
    if page.is_open:
        share = plain(language, "group.btn.share")
        rows.append([InlineKeyboardButton(share, switch_inline_query=f"g{group.id}")])
    else:
        again = plain(language, "group.btn.other_groups")
        rows.append([InlineKeyboardButton(again, callback_data=Route.GROUP_LIST.with_id(page.product.id))])
    product = plain(language, "group.btn.product")
    rows.append([InlineKeyboardButton(product, callback_data=Route.PRODUCT_OPEN.with_id(page.product.id))])
    return InlineKeyboardMarkup(rows)


async def show_group(update: Update, context: Context, group_id: int) -> None:
    """The group's page as a new message (also the deep link ``g<id>`` from /start)."""
    page = await group_page(services(context), group_id=group_id, viewer_id=user_id(update))
    language = lang(context)
    link = group_link(context.bot.username, group_id)
    await send(update, context, page_text(language, page, link), page_keyboard(language, page))


@on_button(Route.GROUP_PAGE)
async def on_group(update: Update, context: Context, press: Press) -> None:
    """The group's page (e.g. from a group notification)."""
    await show_group(update, context, press.id())


# ---- a product's open groups ------------------------------------------------------------------------------


def groups_text(language: str, listing: ProductGroups) -> str:
    product = listing.product
    parts = [t(language, "group.list.title", title=product.title)]
    if listing.start_price is not None and product.group_size is not None:
        from_price = product.has_options
        parts.append(
            _price_line(language, listing.start_price, listing.normal_price, product.group_size, from_price=from_price)
        )
    if listing.groups:
        parts.append(t(language, "group.list.open_groups"))
        parts += [
            t(
                language,
                "group.list.card",
                group_id=card.group_id,
                leader=card.leader,
                missing=card.missing,
                left=time_left(language, card.deadline_at - listing.now if card.deadline_at else None),
            )
            for card in listing.groups
        ]
    else:
        parts.append(t(language, "group.list.none"))
    if listing.start_price is None:
        parts.append(t(language, "group.list.no_new_groups"))
    return join(parts)


def groups_keyboard(language: str, listing: ProductGroups) -> InlineKeyboardMarkup | None:
    rows: list[list[ButtonSpec]] = []
    for card in listing.groups:
        if card.viewer_in:
            yours = plain(language, "group.btn.yours", group_id=card.group_id)
            rows.append([(yours, Route.GROUP_PAGE.with_id(card.group_id))])
        else:
            join_label = plain(language, "group.btn.join_leader", leader=clip(card.leader, 20), missing=card.missing)
            rows.append([(join_label, Route.GROUP_JOIN.with_id(card.group_id))])
    if listing.start_price is not None and listing.product.has_options:  # a SKU is picked first, on the picker
        start = plain(language, "group.btn.start_pick", price=listing.start_price)
        rows.append([(start, Route.PRODUCT_PICK.data(listing.product.id, *[NONE] * len(listing.product.options)))])
    elif listing.start_price is not None:
        start = plain(language, "group.btn.start", price=listing.start_price)
        rows.append([(start, Route.GROUP_START.with_id(listing.product.id))])
    rows.append([(plain(language, "group.btn.product"), Route.PRODUCT_OPEN.with_id(listing.product.id))])
    return keyboard(rows)


@on_button(Route.GROUP_LIST)
async def on_view(update: Update, context: Context, press: Press) -> None:
    """The 👥 button of a product page."""
    listing = await product_groups(services(context), product_id=press.id(), viewer_id=user_id(update))
    language = lang(context)
    await send(update, context, groups_text(language, listing), groups_keyboard(language, listing))


# ---- starting or joining: address, then order and invoice -------------------------------------------------


@on_button(Route.GROUP_START)
async def on_start(update: Update, context: Context, press: Press) -> None:
    """Open a new group (it opens once paid)."""
    await _begin(update, context, product_id=press.id())


@on_button(Route.GROUP_JOIN)
async def on_join(update: Update, context: Context, press: Press) -> None:
    """Take a seat (it is taken once paid); in a group of a product with options, pick a SKU first."""
    group_id = press.id()
    page = await group_page(services(context), group_id=group_id, viewer_id=user_id(update))
    if not page.group.of_skus:
        await _begin(update, context, group_id=group_id)
        return
    # Refused now (closed, full, already in) rather than after picking: the same check joining makes (with every
    # SKU sold out there is nothing to check with, and the picker says so on every combination).
    any_sku = _any_sku(page)
    if any_sku is not None:
        await quote_group_order(services(context), actor=as_buyer(update), group_id=group_id, product_id=any_sku)
    await acknowledge(update)
    body, markup = sku_picker(lang(context), page, [])
    await send(update, context, body, markup)


def _any_sku(page: GroupPage) -> int | None:
    """A SKU in stock to check joining with before the joiner picks (None: none left, refused as sold out)."""
    in_stock = [offer.sku.id for offer in page.skus if not offer.sold_out]
    return in_stock[0] if in_stock else None


def sku_picker(language: str, page: GroupPage, picks: Sequence[int]) -> tuple[str, InlineKeyboardMarkup]:
    """The joiner's SKU picker for a group of a product with options: a button per value (sold-out combinations
    marked), and once every option has one, that SKU's group price with a button to join with it."""
    group, product = page.group, page.product
    rows = option_rows(page, language, picks, route=Route.GROUP_PICK, target=group.id)
    picked = picked_values(product, picks)
    lines = [t(language, "group.pick.title", group_id=group.id, title=product.title)]
    for option, value in zip(product.options, picked, strict=True):
        lines.append(t(language, "buyer.variants.option", name=option["name"], value=value or "—"))
    if all(value is not None for value in picked):
        label = LABEL_JOIN.join(value for value in picked if value)
        offer = page.sku([value for value in picked if value])
        if offer is None or offer.sold_out:
            lines.append(t(language, "buyer.variants.sold_out", label=label))
        else:
            lines.append(t(language, "group.pick.offer", label=label, price=offer.price, stock=offer.sku.stock))
            join_label = plain(language, "group.btn.join_sku", label=label, price=offer.price)
            rows.append(
                [InlineKeyboardButton(join_label, callback_data=Route.GROUP_JOIN_SKU.data(group.id, offer.sku.id))]
            )
    else:
        lines.append(t(language, "buyer.variants.pick"))
    rows.append(
        [InlineKeyboardButton(plain(language, "group.btn.open"), callback_data=Route.GROUP_PAGE.with_id(group.id))]
    )
    return "\n".join(lines), InlineKeyboardMarkup(rows)


@on_button(Route.GROUP_PICK)
async def on_pick(update: Update, context: Context, press: Press) -> None:
    """A value pressed on the joiner's picker: redrawn in place with it."""
    page = await group_page(services(context), group_id=press.id(), viewer_id=user_id(update))
    await acknowledge(update)
    picks = [press.number(index) or NONE for index in range(1, 1 + len(page.product.options))]
    body, markup = sku_picker(lang(context), page, picks)
    await show(update, context, body, markup)


@on_button(Route.GROUP_JOIN_SKU)
async def on_join_sku(update: Update, context: Context, press: Press) -> None:
    """Join with the SKU picked (a sold-out one is refused with the stock left), at its group price."""
    await _begin(update, context, group_id=press.id(), product_id=press.id(1))


async def _begin(
    update: Update, context: Context, *, product_id: int | None = None, group_id: int | None = None
) -> None:
    """Check the buyer may start/join now (an alert says why not), then ask where to deliver."""
    svc, actor = services(context), as_buyer(update)
    quote = await quote_group_order(svc, actor=actor, product_id=product_id, group_id=group_id)
    saved = await addresses_uc.list_addresses(svc, actor=actor)
    data = {
        "product_id": quote.product_id,
        "group_id": quote.group_id,
        "expected": quote.total.amount,
        "credit": quote.credit.amount,
    }
    intro_key = "group.buy.intro_join" if group_id is not None else "group.buy.intro_start"
    receipt = render_receipt(lang(context), quote.receipt)  # what the invoice will charge, itemised
    intro = join([text(context, intro_key, title=quote.title, price=quote.total, group_id=group_id), receipt])
    if not saved:
        await start_flow(update, context, FLOW, NAME, data)
        await send(update, context, join([intro, text(context, "buyer.checkout.first_address")]))
        return
    await start_flow(update, context, FLOW, CHOOSE, data)
    more = [("group.btn.new_address", Route.GROUP_NEW_ADDRESS), ("group.btn.cancel", Route.GROUP_CANCEL)]
    markup = address_choice(context, saved, Route.GROUP_ADDRESS, more)
    await send(update, context, join([intro, text(context, "group.buy.choose_address")]), markup)


@on_button(Route.GROUP_ADDRESS)
async def on_address(update: Update, context: Context, press: Press) -> None:
    """Deliver there: place the order and send its invoice (a refusal is the press's alert)."""
    address_id = press.number()
    if address_id is None or not await _place(update, context, address_id, steps=(CHOOSE,)):
        await send(update, context, text(context, "buyer.stale"))


@on_button(Route.GROUP_NEW_ADDRESS, answer_first=True)
async def on_new_address(update: Update, context: Context, press: Press) -> None:
    """Type a new address (name → phone → address)."""
    state = await active_flow(update, context, FLOW)
    if state is None or state.step != CHOOSE:
        await send(update, context, text(context, "buyer.stale"))
        return
    await ask_new_address(update, context, state)


@on_button(Route.GROUP_CANCEL, answer_first=True)
async def on_cancel(update: Update, context: Context, press: Press) -> None:
    state = await active_flow(update, context, FLOW)
    if state is not None:
        await advance_flow(update, context, state, DONE)
    await send(update, context, text(context, "group.buy.cancelled"))


async def _address_saved(step: Step, address: Address) -> str:
    """The new address is saved; use it for this order (refused or not, the address stays and the flow ends)."""
    try:
        await _place(step.update, step.context, address.id, steps=(step.state.step,))
    except DomainError as error:
        await answer_error(step.update, step.context, error)
    return DONE


async def _place(update: Update, context: Context, address_id: int, *, steps: tuple[str, ...]) -> bool:
    """Place the order of the buyer's draft at the price and store credit they were shown (a moved price or
    balance is refused, not charged) and invoice what is left to pay (nothing when the credit paid it all); once
    per draft: a press again (or a replay) gets the same order and its invoice again.
    False: no draft waiting at ``steps`` (a finished or cancelled one)."""
    svc = services(context)
    placed = await place_group_from_draft(svc, actor=as_buyer(update), flow=FLOW, steps=steps, address_id=address_id)
    if placed is None:
        return False
    order, _ = placed
    await acknowledge(update)  # after the commit: however slow Telegram is, the order stands
    if not order.to_pay.amount:
        await send(update, context, text(context, "checkout.paid_by_credit", order_id=order.id, amount=order.total))
        return True
    minutes = int(svc.policy.deadlines.pay.total_seconds() // 60)
    key = "group.buy.placed_start" if order.starts_group else "group.buy.placed_join"
    await send(update, context, text(context, key, order_id=order.id, total=order.to_pay, minutes=minutes))
    if order.status is OrderStatus.PENDING_PAYMENT:
        await send_order_invoice(context, user_id(update), order, lang(context))
    return True


# ---- inline mode: post a group into any chat --------------------------------------------------------------


def _group_article(language: str, bot_username: str, page: GroupPage) -> InlineQueryResultArticle:
    group = page.group
    link = group_link(bot_username, group.id)
    left = time_left(language, page.time_left)
    facts = {"title": page.product.title, "price": page.price, "missing": group.missing, "size": group.size}
    if page.from_price:  # each friend picks an option: the cheapest one's group price, "from"
        body = t(language, "group.inline.card_from", left=left, **facts)
        description = plain(
            language, "group.inline.description_from", price=page.price, missing=group.missing, left=left
        )
    else:
        body = t(language, "group.inline.card", normal=page.normal_price, left=left, **facts)
        description = plain(language, "group.inline.description", price=page.price, missing=group.missing, left=left)
    return link_card(
        f"g{group.id}",
        title=plain(language, "group.inline.title", title=page.product.title),
        description=description,
        body=body,
        link=link,
        button=plain(language, "group.inline.open"),
    )


async def on_inline_group(update: Update, context: Context) -> None:
    """``@bot g<id>``: the group as a card to post (nothing once it has closed); other queries go on to inline.py."""
    query = update.inline_query
    if query is None:
        return
    group_id = int(query.query.strip()[1:])
    try:
        page = await group_page(services(context), group_id=group_id)
    except DomainError:
        page = None
    results = [_group_article(lang(context), context.bot.username, page)] if page and page.is_open else []
    await query.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=True)
    raise ApplicationHandlerStop


def register(app: Application) -> None:
    steps = {CHOOSE: buttons_only("group.buy.use_buttons"), **address_steps(FLOW, _address_saved)}
    register_flow(Flow(FLOW, steps, restart_step=CHOOSE, cancel_key="group.buy.cancelled"))
    add_buttons(app, on_view, on_start, on_join, on_pick, on_join_sku, on_group, on_address, on_new_address, on_cancel)
    app.add_handler(InlineQueryHandler(on_inline_group, pattern=INLINE_PATTERN), group=INLINE_GROUP)
