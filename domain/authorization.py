"""Who may do what: the one table every use case checks (callback data can be forged, so every press is re-checked).

Parties:
- ``SELF``: a person acting for themselves (placing an order, applying for a shop);
- ``BUYER``: the buyer of this order;
- ``MERCHANT``: the owner of this shop (or of the order's shop);
- ``STAFF_ORDERS`` / ``STAFF_SERVICE`` / ``STAFF_VIEWER``: someone the owner made staff of this shop (子账号) with
  that role (domain/staff.py), acting in their merchant hat;
- ``ADMIN``: acting as admin and listed in the settings or appointed by another admin;
- ``SYSTEM``: the scheduler (deadlines, reminders).

The actor's role must match the hat the action needs: a merchant buying in another shop acts as a buyer.
A merchant may not buy from, join the group buys of, or review their own shop (``ARM_LENGTH``: self-dealing,
刷单, inflates sales and scores). A merchant may not touch a closed shop at all (except to see its money and
ask for it to be paid out), and may only take new business (list products, open group buys) while the shop is active.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from types import MappingProxyType

from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole
from domain.notifications import Button
from domain.orders import Order
from domain.policy import Policy
from domain.ports import UnitOfWork
from domain.routes import Route, decode
from domain.shops import Shop, ShopStatus
from domain.staff import StaffRole


class Party(StrEnum):
    SELF = "self"
    BUYER = "buyer"
    MERCHANT = "merchant"
    ADMIN = "admin"
    SYSTEM = "system"
    STAFF_ORDERS = "staff_orders"
    STAFF_SERVICE = "staff_service"
    STAFF_VIEWER = "staff_viewer"


class Action(StrEnum):
    APPLY_FOR_SHOP = "apply_for_shop"
    DECIDE_SHOP = "decide_shop"  # approve or reject an application
    PAY_DEPOSIT = "pay_deposit"
    EXPIRE_SHOP_DEPOSIT = "expire_shop_deposit"
    SUSPEND_SHOP = "suspend_shop"
    REINSTATE_SHOP = "reinstate_shop"
    CLOSE_SHOP = "close_shop"
    ADD_PRODUCT = "add_product"
    UPDATE_PRODUCT = "update_product"
    LIST_PRODUCT = "list_product"  # put on sale again
    UNLIST_PRODUCT = "unlist_product"
    SET_GROUP_BUY = "set_group_buy"
    SET_SHIPPING = "set_shipping"  # the shop's shipping template (运费模板)
    MANAGE_COUPONS = "manage_coupons"  # issue or end the shop's coupons (优惠券)
    PLACE_ORDER = "place_order"
    VIEW_ORDER = "view_order"
    PAY_ORDER = "pay_order"
    CANCEL_ORDER = "cancel_order"
    ACCEPT_ORDER = "accept_order"
    DECLINE_ORDER = "decline_order"
    SHIP_ORDER = "ship_order"
    ADD_TRACKING = "add_tracking"
    CONFIRM_RECEIPT = "confirm_receipt"
    EXTEND_RECEIPT = "extend_receipt"  # 延长收货: more time before the order confirms itself
    EXPIRE_ORDER = "expire_order"
    EXPIRE_GROUP_BUY = "expire_group_buy"
    SEND_REMINDER = "send_reminder"
    # after-sales and reviews
    OPEN_TICKET = "open_ticket"
    VIEW_TICKET = "view_ticket"
    MESSAGE_TICKET = "message_ticket"
    ANSWER_TICKET = "answer_ticket"  # approve, reject, confirm the returned parcel, ship a replacement
    SHIP_RETURN = "ship_return"
    CONFIRM_REPLACEMENT = "confirm_replacement"  # the buyer has an exchange's replacement
    WITHDRAW_TICKET = "withdraw_ticket"
    ESCALATE_TICKET = "escalate_ticket"
    RULE_TICKET = "rule_ticket"
    EXPIRE_TICKET = "expire_ticket"
    LEAVE_REVIEW = "leave_review"
    KEEP_FAVOURITES = "keep_favourites"  # favourites, their price-drop note, the recently viewed list
    REPLY_REVIEW = "reply_review"
    # the admin console and shop evaluation
    VIEW_PLATFORM = "view_platform"  # read the admin screens: applications, shops, stats, audit trail
    MANAGE_ADMINS = "manage_admins"  # appoint or remove admins
    EVALUATE_SHOPS = "evaluate_shops"  # score every active shop now (nightly, or an admin on demand)
    AUTO_SUSPEND_SHOP = "auto_suspend_shop"  # the evaluation suspends a shop below the suspension line
    # money
    FINISH_PROVIDER_REFUND = "finish_provider_refund"  # an admin says the payment provider refunded a payment
    # promotions
    RUN_PROMOTION = "run_promotion"  # create one, or resume a paused one
    STOP_PROMOTION = "stop_promotion"  # pause or end one
    # merchant money
    VIEW_BALANCE = "view_balance"  # pending, available, deposit, payouts and their history
    REQUEST_PAYOUT = "request_payout"  # of the available balance
    MANAGE_ALERTS = "manage_alerts"  # the shop's alert channels: a verified e-mail, channels per event group
    TOP_UP_DEPOSIT = "top_up_deposit"  # pay what a deduction took out of the deposit
    PAY_OUT = "pay_out"  # mark a payout paid, with the bank or transfer reference
    MANAGE_PLATFORM_COUPONS = "manage_platform_coupons"  # issue or end platform coupons (funded by the platform)
    RELEASE_MONEY = "release_money"  # a completed order's after-sales window is over: pending → available
    RETURN_DEPOSIT = "return_deposit"  # a closed shop's after-sales are over: its deposit becomes a payout
    # staff and the shop's group chat
    VIEW_STATS = "view_stats"  # the shop's numbers (/stats)
    MANAGE_STAFF = "manage_staff"  # invite staff, remove them
    JOIN_STAFF = "join_staff"  # accept an invitation
    LINK_GROUP = "link_group"  # link a group chat to the shop, unlink it, turn its alerts on or off
    CHOOSE_SHOP = "choose_shop"  # staff of several shops: the one they work in now


_S, _B, _M, _A, _Y = Party.SELF, Party.BUYER, Party.MERCHANT, Party.ADMIN, Party.SYSTEM
_SO, _SS, _SV = Party.STAFF_ORDERS, Party.STAFF_SERVICE, Party.STAFF_VIEWER

PERMISSIONS: MappingProxyType[Action, frozenset[Party]] = MappingProxyType(
    {
        Action.APPLY_FOR_SHOP: frozenset({_S}),
        Action.DECIDE_SHOP: frozenset({_A}),
        Action.PAY_DEPOSIT: frozenset({_M}),
        Action.EXPIRE_SHOP_DEPOSIT: frozenset({_Y}),
        Action.SUSPEND_SHOP: frozenset({_A}),
        Action.REINSTATE_SHOP: frozenset({_A}),
        Action.CLOSE_SHOP: frozenset({_A}),
        Action.ADD_PRODUCT: frozenset({_M}),
        Action.UPDATE_PRODUCT: frozenset({_M}),
        Action.LIST_PRODUCT: frozenset({_M}),
        Action.UNLIST_PRODUCT: frozenset({_M}),
        Action.SET_GROUP_BUY: frozenset({_M}),
        Action.SET_SHIPPING: frozenset({_M}),
        Action.MANAGE_COUPONS: frozenset({_M}),
        Action.PLACE_ORDER: frozenset({_S}),
        Action.VIEW_ORDER: frozenset({_B, _M, _A, _SO, _SS}),
        Action.PAY_ORDER: frozenset({_B}),
        Action.CANCEL_ORDER: frozenset({_B}),
        Action.ACCEPT_ORDER: frozenset({_M, _SO}),
        Action.DECLINE_ORDER: frozenset({_M}),
        Action.SHIP_ORDER: frozenset({_M, _SO}),
        Action.ADD_TRACKING: frozenset({_M, _SO}),
        Action.CONFIRM_RECEIPT: frozenset({_B}),
        Action.EXTEND_RECEIPT: frozenset({_B}),
        Action.EXPIRE_ORDER: frozenset({_Y}),
        Action.EXPIRE_GROUP_BUY: frozenset({_Y}),
        Action.SEND_REMINDER: frozenset({_Y}),
        Action.OPEN_TICKET: frozenset({_B}),
        Action.VIEW_TICKET: frozenset({_B, _M, _A, _SS}),
        Action.MESSAGE_TICKET: frozenset({_B, _M, _A, _SS}),
        Action.ANSWER_TICKET: frozenset({_M, _SS}),
        Action.SHIP_RETURN: frozenset({_B}),
        Action.CONFIRM_REPLACEMENT: frozenset({_B}),
        Action.WITHDRAW_TICKET: frozenset({_B}),
        Action.ESCALATE_TICKET: frozenset({_B}),
        Action.RULE_TICKET: frozenset({_A}),
        Action.EXPIRE_TICKET: frozenset({_Y}),
        Action.LEAVE_REVIEW: frozenset({_B}),
        Action.KEEP_FAVOURITES: frozenset({_S}),
        Action.REPLY_REVIEW: frozenset({_M, _SS}),
        Action.VIEW_PLATFORM: frozenset({_A}),
        Action.MANAGE_ADMINS: frozenset({_A}),
        Action.EVALUATE_SHOPS: frozenset({_A, _Y}),
        Action.AUTO_SUSPEND_SHOP: frozenset({_Y}),
        Action.FINISH_PROVIDER_REFUND: frozenset({_A}),
        Action.RUN_PROMOTION: frozenset({_M}),
        Action.STOP_PROMOTION: frozenset({_M}),
        Action.VIEW_BALANCE: frozenset({_M}),
        Action.REQUEST_PAYOUT: frozenset({_M}),
        Action.MANAGE_ALERTS: frozenset({_M}),
        Action.TOP_UP_DEPOSIT: frozenset({_M}),
        Action.PAY_OUT: frozenset({_A}),
        Action.MANAGE_PLATFORM_COUPONS: frozenset({_A}),
        Action.RELEASE_MONEY: frozenset({_Y}),
        Action.RETURN_DEPOSIT: frozenset({_Y}),
        Action.VIEW_STATS: frozenset({_M, _SO, _SS, _SV}),
        Action.MANAGE_STAFF: frozenset({_M}),
        Action.JOIN_STAFF: frozenset({_S}),
        Action.LINK_GROUP: frozenset({_M}),
        Action.CHOOSE_SHOP: frozenset({_SO, _SS, _SV}),
    }
)

# Merchant actions that bring in new business: refused unless the shop is active (not suspended or closed).
NEW_BUSINESS: frozenset[Action] = frozenset(
    {Action.ADD_PRODUCT, Action.LIST_PRODUCT, Action.SET_GROUP_BUY, Action.RUN_PROMOTION}
)
# Merchant actions still allowed once the shop is closed: its money is still theirs.
AFTER_CLOSING: frozenset[Action] = frozenset({Action.VIEW_BALANCE, Action.REQUEST_PAYOUT})

# Actions a person may only take at arm's length from the shop: refused to its owner (self-dealing, 刷单).
ARM_LENGTH: frozenset[Action] = frozenset({Action.PLACE_ORDER, Action.LEAVE_REVIEW})

_PARTY_ROLES: MappingProxyType[Party, frozenset[ActorRole]] = MappingProxyType(
    {
        Party.SELF: frozenset({ActorRole.BUYER, ActorRole.MERCHANT}),
        Party.BUYER: frozenset({ActorRole.BUYER}),
        Party.MERCHANT: frozenset({ActorRole.MERCHANT}),
        Party.ADMIN: frozenset({ActorRole.ADMIN}),
        Party.SYSTEM: frozenset({ActorRole.SYSTEM}),
        Party.STAFF_ORDERS: frozenset({ActorRole.MERCHANT}),
        Party.STAFF_SERVICE: frozenset({ActorRole.MERCHANT}),
        Party.STAFF_VIEWER: frozenset({ActorRole.MERCHANT}),
    }
)
# The staff role each staff party stands for; these parties, like the owner, act for the shop (its status counts).
STAFF_PARTIES: MappingProxyType[Party, StaffRole] = MappingProxyType(
    {Party.STAFF_ORDERS: StaffRole.ORDERS, Party.STAFF_SERVICE: StaffRole.SERVICE, Party.STAFF_VIEWER: StaffRole.VIEWER}
)
_SHOP_SIDE = frozenset({Party.MERCHANT, *STAFF_PARTIES})
_STAFF_PARTY: MappingProxyType[StaffRole, Party] = MappingProxyType({r: p for p, r in STAFF_PARTIES.items()})

# What pressing a button of a shop's alert (or of a staff member's screens) does, as an action of the table: a
# staff member is shown only the buttons whose action the table lets their role take (``staff_buttons``). A button
# of a route not listed here is the owner's only.
BUTTON_ACTIONS: MappingProxyType[Route, Action] = MappingProxyType(
    {
        Route.ORDER_ACCEPT: Action.ACCEPT_ORDER,
        Route.ORDER_DECLINE: Action.DECLINE_ORDER,
        Route.ORDER_SHIP: Action.SHIP_ORDER,
        Route.MERCHANT_SHIP_CARRIER: Action.SHIP_ORDER,
        Route.MERCHANT_TRACKING_UPDATE: Action.ADD_TRACKING,
        Route.MERCHANT_ORDERS: Action.VIEW_ORDER,
        Route.MERCHANT_ORDER: Action.VIEW_ORDER,
        Route.MERCHANT_DASHBOARD: Action.VIEW_STATS,
        Route.MERCHANT_STATS: Action.VIEW_STATS,
        Route.MERCHANT_BALANCE: Action.VIEW_BALANCE,
        Route.TICKET_LIST_MERCHANT: Action.VIEW_TICKET,
        Route.TICKET_VIEW: Action.VIEW_TICKET,
        Route.TICKET_MESSAGE: Action.MESSAGE_TICKET,
        Route.TICKET_APPROVE: Action.ANSWER_TICKET,
        Route.TICKET_REJECT: Action.ANSWER_TICKET,
        Route.TICKET_RECEIVED: Action.ANSWER_TICKET,
        Route.TICKET_REPLACEMENT: Action.ANSWER_TICKET,
        Route.REVIEW_REPLY: Action.REPLY_REVIEW,
        Route.REVIEW_LIST: Action.REPLY_REVIEW,
        Route.STAFF_WORK_IN: Action.CHOOSE_SHOP,
    }
)


def staff_may(role: StaffRole, action: Action) -> bool:
    """Whether the table lets a staff member of ``role`` take ``action`` for their shop (its status aside)."""
    return _STAFF_PARTY[role] in PERMISSIONS[action]


def staff_may_press(role: StaffRole, data: str) -> bool:
    """Whether a button carrying callback ``data`` is one a staff member of ``role`` may use (``BUTTON_ACTIONS``)."""
    press = decode(data)
    action = BUTTON_ACTIONS.get(press.route) if press is not None else None
    return action is not None and staff_may(role, action)


def staff_buttons(role: StaffRole, rows: Sequence[Sequence[Button]]) -> tuple[tuple[Button, ...], ...]:
    """A message's buttons as a staff member of ``role`` gets them: only those they may use (links stay); a row
    left empty goes."""
    kept = (tuple(b for b in row if b.url or staff_may_press(role, b.data)) for row in rows)
    return tuple(row for row in kept if row)


def plays(
    actor: Actor,
    party: Party,
    *,
    order: Order | None,
    shop: Shop | None,
    admin: bool,
    staff: StaffRole | None = None,
) -> bool:
    """Whether ``actor`` is ``party`` for this order/shop (``admin``: the actor is a confirmed admin; ``staff``:
    their staff role in this shop, None if they are none)."""
    if actor.role not in _PARTY_ROLES[party]:
        return False
    if party is Party.SYSTEM:
        return actor.user_id is None
    if actor.user_id is None:
        return False
    if party is Party.SELF:
        return True
    if party is Party.BUYER:
        return order is not None and order.buyer_id == actor.user_id
    if party is Party.MERCHANT:
        owns = shop is not None and shop.owner_id == actor.user_id
        return owns and (order is None or order.shop_id == shop.id)
    if party in STAFF_PARTIES:
        works = shop is not None and staff is STAFF_PARTIES[party] and shop.owner_id != actor.user_id
        return works and shop is not None and (order is None or order.shop_id == shop.id)
    return admin


def check(
    action: Action,
    actor: Actor,
    *,
    order: Order | None = None,
    shop: Shop | None = None,
    admin: bool = False,
    staff: StaffRole | None = None,
) -> None:
    """Raise FORBIDDEN unless the table lets ``actor`` do ``action`` (pure; see ``authorize`` for the admin and
    staff look-ups)."""
    parties = PERMISSIONS[action]
    matched = [party for party in parties if plays(actor, party, order=order, shop=shop, admin=admin, staff=staff)]
    if not matched:
        raise DomainError(ErrorCode.FORBIDDEN, action=action.value, role=actor.role.value)
    if action in ARM_LENGTH and shop is not None and actor.user_id is not None and shop.owner_id == actor.user_id:
        raise DomainError(ErrorCode.SELF_DEALING, action=action.value, shop=shop.name, shop_id=shop.id)
    if not set(matched) <= _SHOP_SIDE or shop is None:
        return
    closed = shop.status is ShopStatus.CLOSED and action not in AFTER_CLOSING
    if closed or (action in NEW_BUSINESS and shop.status is not ShopStatus.ACTIVE):
        raise DomainError(ErrorCode.SHOP_NOT_ACTIVE, shop_id=shop.id, status=shop.status.value)


async def is_admin(uow: UnitOfWork, policy: Policy, user_id: int | None) -> bool:
    """Listed in the settings (always admin) or appointed by another admin."""
    if user_id is None:
        return False
    if user_id in policy.root_admin_ids:
        return True
    user = await uow.users.get(user_id)
    return user is not None and user.is_admin


async def authorize(
    uow: UnitOfWork,
    policy: Policy,
    action: Action,
    actor: Actor,
    *,
    order: Order | None = None,
    shop: Shop | None = None,
) -> None:
    """``check`` with the admin status looked up when the actor claims to act as admin, and the actor's staff role
    in the shop when they act for a shop that is not theirs (looked up now: a removed member is refused at once)."""
    admin = actor.role is ActorRole.ADMIN and Party.ADMIN in PERMISSIONS[action]
    staff = None
    if (
        actor.role is ActorRole.MERCHANT
        and actor.user_id is not None
        and shop is not None
        and shop.owner_id != actor.user_id
        and not PERMISSIONS[action].isdisjoint(STAFF_PARTIES)
    ):
        staff = await uow.staff.role_of(shop.id, actor.user_id)
    admin = admin and await is_admin(uow, policy, actor.user_id)
    check(action, actor, order=order, shop=shop, admin=admin, staff=staff)


async def admin_ids(uow: UnitOfWork, policy: Policy) -> list[int]:
    """Everyone who reviews shop applications: settings admins and appointed ones, each once."""
    appointed = {user.id for user in await uow.users.appointed_admins()}
    return sorted(set(policy.root_admin_ids) | appointed)
