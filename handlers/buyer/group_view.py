"""Group buys (拼团) for buyers: a group's page, a product's open groups, starting or joining one, sharing it.

A friend follows ``https://t.me/<bot>?start=g<id>`` (``/start`` calls ``show_group``) or the card posted through
inline mode (``@bot g<id>``), sees who is in, how many are missing and the time left, and joins by paying: the
address is chosen (or typed) in the flow ``g1.buy``, the order is placed at the price shown and its invoice sent
with the payload ``o:<order id>``, which handlers/buyer/payments.py settles through ``pay_order``.

Buttons (g1): ``view:<product>`` the product's open groups and "start a group"; ``start:<product>``;
``join:<group>``; ``grp:<group>`` the group's page; ``ad:<address>`` / ``adn`` / ``cx`` inside the flow.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import timedelta

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    Update,
)
from telegram.ext import Application, ApplicationHandlerStop, CallbackQueryHandler, InlineQueryHandler

from domain.errors import DomainError
from domain.group_buys import GroupBuyStatus
from domain.money import Money
from domain.usecases import addresses as addresses_uc
from domain.usecases.conversations import FlowState
from domain.usecases.group_buys import place_group_order
from domain.usecases.group_pages import GroupPage, ProductGroups, group_page, product_groups, quote_group_order
from domain.users import Address
from handlers.buyer.addresses import NAME, address_button_label, address_steps
from handlers.buyer.formatting import clip, join, label
from handlers.buyer.inline import link_card
from handlers.buyer.payments import send_order_invoice
from handlers.common import codec
from handlers.common.buttons import pressed_id, pressed_int
from handlers.common.deps import Context, as_buyer, lang, services, user_id
from handlers.common.flows import DONE, STAY, Flow, Step, active_flow, advance_flow, register_flow, start_flow
from handlers.common.reply import ButtonSpec, acknowledge, answer_error, keyboard, send, text
from i18n import t
from i18n.receipts import render_receipt

NS = "g1"
FLOW = "g1.buy"
CHOOSE = "choose"
PRODUCT_NS, ORDER_NS = "b1", "o1"
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


def page_text(language: str, page: GroupPage, link: str) -> str:
    group = page.group
    parts = [
        t(language, "group.page.title", group_id=group.id, title=page.product.title, shop=page.shop.name),
        _price_line(language, page.price, page.normal_price, group.size),
        render_receipt(language, page.receipt),
        t(
            language,
            "group.page.members",
            count=group.member_count,
            size=group.size,
            names=", ".join(page.members) or "—",
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


def _price_line(language: str, price: Money, normal: Money, size: int) -> str:
    if price < normal:
        return t(language, "group.price_vs_normal", price=price, normal=normal, saving=normal - price, size=size)
    return t(language, "group.price_only", price=price, size=size)


def page_keyboard(language: str, page: GroupPage) -> InlineKeyboardMarkup:
    group = page.group
    rows: list[list[InlineKeyboardButton]] = []
    if page.joinable:
        join_label = label(language, "group.btn.join", price=page.price)
        rows.append([InlineKeyboardButton(join_label, callback_data=codec.encode(NS, "join", group.id))])
    unpaid = page.viewer_unpaid
    if page.is_open and unpaid is not None:
        pay_label = label(language, "group.btn.pay", order_id=unpaid.id)
        rows.append([InlineKeyboardButton(pay_label, callback_data=codec.encode(ORDER_NS, "pay", unpaid.id))])
    if page.is_open:
        share = label(language, "group.btn.share")
        rows.append([InlineKeyboardButton(share, switch_inline_query=f"g{group.id}")])
    else:
        again = label(language, "group.btn.other_groups")
        rows.append([InlineKeyboardButton(again, callback_data=codec.encode(NS, "view", page.product.id))])
    product = label(language, "group.btn.product")
    rows.append([InlineKeyboardButton(product, callback_data=codec.encode(PRODUCT_NS, "p", page.product.id))])
    return InlineKeyboardMarkup(rows)


async def _send_group(update: Update, context: Context, group_id: int) -> None:
    page = await group_page(services(context), group_id=group_id, viewer_id=user_id(update))
    language = lang(context)
    link = group_link(context.bot.username, group_id)
    await send(update, context, page_text(language, page, link), page_keyboard(language, page))


async def show_group(update: Update, context: Context, group_id: int) -> None:
    """The group's page as a new message (the deep link ``g<id>`` from /start)."""
    try:
        await _send_group(update, context, group_id)
    except DomainError as error:
        await answer_error(update, context, error)


async def on_group(update: Update, context: Context) -> None:
    """g1:grp:<group> — the group's page (e.g. from a group notification)."""
    group_id = pressed_int(update)
    await _answered(update, context, _send_group(update, context, group_id) if group_id is not None else None)


async def _answered(update: Update, context: Context, work: Awaitable[None] | None) -> None:
    """Do a button's work, then answer the press: quietly, or with an alert saying why a rule refused it
    (Telegram keeps only the first answer, so an alert cannot follow an early acknowledge)."""
    try:
        if work is not None:
            await work
    except DomainError as error:
        await answer_error(update, context, error)
        return
    await acknowledge(update)


# ---- a product's open groups ------------------------------------------------------------------------------


def groups_text(language: str, listing: ProductGroups) -> str:
    product = listing.product
    parts = [t(language, "group.list.title", title=product.title)]
    if listing.start_price is not None and product.group_size is not None:
        parts.append(_price_line(language, listing.start_price, listing.normal_price, product.group_size))
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
            yours = label(language, "group.btn.yours", group_id=card.group_id)
            rows.append([(yours, codec.encode(NS, "grp", card.group_id))])
        else:
            join_label = label(language, "group.btn.join_leader", leader=clip(card.leader, 20), missing=card.missing)
            rows.append([(join_label, codec.encode(NS, "join", card.group_id))])
    if listing.start_price is not None:
        start = label(language, "group.btn.start", price=listing.start_price)
        rows.append([(start, codec.encode(NS, "start", listing.product.id))])
    rows.append([(label(language, "group.btn.product"), codec.encode(PRODUCT_NS, "p", listing.product.id))])
    return keyboard(rows)


async def on_view(update: Update, context: Context) -> None:
    """g1:view:<product> — the 👥 button of a product page."""
    product_id = pressed_int(update)
    await _answered(update, context, _send_groups(update, context, product_id) if product_id is not None else None)


async def _send_groups(update: Update, context: Context, product_id: int) -> None:
    listing = await product_groups(services(context), product_id=product_id, viewer_id=user_id(update))
    language = lang(context)
    await send(update, context, groups_text(language, listing), groups_keyboard(language, listing))


# ---- starting or joining: address, then order and invoice -------------------------------------------------


async def on_start(update: Update, context: Context) -> None:
    """g1:start:<product> — open a new group (it opens once paid)."""
    product_id = await pressed_id(update)
    if product_id is not None:
        await _begin(update, context, product_id=product_id)


async def on_join(update: Update, context: Context) -> None:
    """g1:join:<group> — take a seat (it is taken once paid)."""
    group_id = await pressed_id(update)
    if group_id is not None:
        await _begin(update, context, group_id=group_id)


async def _begin(
    update: Update, context: Context, *, product_id: int | None = None, group_id: int | None = None
) -> None:
    """Check the buyer may start/join now (an alert says why not), then ask where to deliver."""
    svc, actor = services(context), as_buyer(update)
    try:
        quote = await quote_group_order(svc, actor=actor, product_id=product_id, group_id=group_id)
        saved = await addresses_uc.list_addresses(svc, actor=actor)
    except DomainError as error:
        await answer_error(update, context, error)
        return
    await acknowledge(update)
    data = {"product_id": quote.product_id, "group_id": quote.group_id, "expected": quote.total.amount}
    intro_key = "group.buy.intro_join" if group_id is not None else "group.buy.intro_start"
    receipt = render_receipt(lang(context), quote.receipt)  # what the invoice will charge, itemised
    intro = join([text(context, intro_key, title=quote.title, price=quote.total, group_id=group_id), receipt])
    if not saved:
        await start_flow(update, context, FLOW, NAME, data)
        await send(update, context, join([intro, text(context, "buyer.checkout.first_address")]))
        return
    await start_flow(update, context, FLOW, CHOOSE, data)
    language = lang(context)
    rows: list[list[ButtonSpec]] = [[(address_button_label(a), codec.encode(NS, "ad", a.id))] for a in saved]
    rows.append([(label(language, "group.btn.new_address"), codec.encode(NS, "adn"))])
    rows.append([(label(language, "group.btn.cancel"), codec.encode(NS, "cx"))])
    await send(update, context, join([intro, text(context, "group.buy.choose_address")]), keyboard(rows))


async def on_address(update: Update, context: Context) -> None:
    """g1:ad:<address> — deliver there: place the order and send its invoice (answered once placed, so that a
    refusal can be the press's alert)."""
    address_id = pressed_int(update)
    state = await active_flow(update, context, FLOW)
    if state is None or state.step != CHOOSE or address_id is None:
        await acknowledge(update)
        await send(update, context, text(context, "buyer.stale"))
        return
    await advance_flow(update, context, state, DONE)
    await _place(update, context, state, address_id)


async def on_new_address(update: Update, context: Context) -> None:
    """g1:adn — type a new address (name → phone → address)."""
    await acknowledge(update)
    state = await active_flow(update, context, FLOW)
    if state is None or state.step != CHOOSE:
        await send(update, context, text(context, "buyer.stale"))
        return
    await advance_flow(update, context, state, NAME)
    await send(update, context, text(context, "buyer.address.ask_name"))


async def on_cancel(update: Update, context: Context) -> None:
    await acknowledge(update)
    state = await active_flow(update, context, FLOW)
    if state is not None:
        await advance_flow(update, context, state, DONE)
    await send(update, context, text(context, "group.buy.cancelled"))


async def _address_saved(step: Step, address: Address) -> str:
    """The new address is saved; use it for this order."""
    await _place(step.update, step.context, step.state, address.id)
    return DONE


async def use_buttons_step(step: Step) -> str:
    """Text while the address buttons are waiting."""
    await step.say("group.buy.use_buttons")
    return STAY


async def _place(update: Update, context: Context, state: FlowState, address_id: int) -> None:
    """Place the order at the price the buyer was shown (a moved price is refused, not charged) and invoice it."""
    svc = services(context)
    group_id = state.data.get("group_id")
    try:
        order = await place_group_order(
            svc,
            actor=as_buyer(update),
            product_id=int(state.data["product_id"]),
            group_buy_id=int(group_id) if group_id is not None else None,
            address_id=address_id,
            expected_total=Money(int(state.data["expected"]), svc.policy.currency),
        )
    except DomainError as error:
        await answer_error(update, context, error)
        return
    await acknowledge(update)
    minutes = int(svc.policy.deadlines.pay.total_seconds() // 60)
    key = "group.buy.placed_join" if group_id is not None else "group.buy.placed_start"
    await send(update, context, text(context, key, order_id=order.id, total=order.total, minutes=minutes))
    await send_order_invoice(context, user_id(update), order, lang(context))


# ---- inline mode: post a group into any chat --------------------------------------------------------------


def _group_article(language: str, bot_username: str, page: GroupPage) -> InlineQueryResultArticle:
    group = page.group
    link = group_link(bot_username, group.id)
    left = time_left(language, page.time_left)
    body = t(
        language,
        "group.inline.card",
        title=page.product.title,
        price=page.price,
        normal=page.normal_price,
        missing=group.missing,
        size=group.size,
        left=left,
    )
    return link_card(
        f"g{group.id}",
        title=label(language, "group.inline.title", title=page.product.title),
        description=label(language, "group.inline.description", price=page.price, missing=group.missing, left=left),
        body=body,
        link=link,
        button=label(language, "group.inline.open"),
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
    steps = {CHOOSE: use_buttons_step, **address_steps(_address_saved)}
    register_flow(Flow(FLOW, steps, restart_step=CHOOSE, cancel_key="group.buy.cancelled"))
    app.add_handler(CallbackQueryHandler(on_view, pattern=codec.pattern(NS, "view")))
    app.add_handler(CallbackQueryHandler(on_start, pattern=codec.pattern(NS, "start")))
    app.add_handler(CallbackQueryHandler(on_join, pattern=codec.pattern(NS, "join")))
    app.add_handler(CallbackQueryHandler(on_group, pattern=codec.pattern(NS, "grp")))
    app.add_handler(CallbackQueryHandler(on_address, pattern=codec.pattern(NS, "ad")))
    app.add_handler(CallbackQueryHandler(on_new_address, pattern=codec.pattern(NS, "adn")))
    app.add_handler(CallbackQueryHandler(on_cancel, pattern=codec.pattern(NS, "cx")))
    app.add_handler(InlineQueryHandler(on_inline_group, pattern=INLINE_PATTERN), group=INLINE_GROUP)
