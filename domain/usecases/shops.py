"""A shop's life: apply (申请开店) → admin review → deposit (保证金) → open; suspension, reinstatement, closing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from domain.authorization import Action, admin_ids, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor
from domain.group_buys import GroupBuyStatus
from domain.ledger import deposit_paid
from domain.money import Money
from domain.notifications import Button, Notification, label
from domain.orders import OPEN_STATES, CancelReason, OrderStatus
from domain.ports import UnitOfWork
from domain.routes import Route
from domain.services import Services
from domain.shops import Shop, ShopStatus, ShopType
from domain.usecases.menus import queue_menu_refresh, queue_staff_menus
from domain.usecases.merchant_money.deposits import DepositCharge, record_deposit_charge, refund_deposit_charge
from domain.usecases.orders_common import (
    button,
    cancel_in,
    claim_deadline,
    load_group,
    load_order,
    load_shop,
    retrying,
    tell,
    tell_admins,
)
from domain.users import name_of
from domain.validation import check_file_ids, clean_text, parse_phone

MAX_NAME = 40
MAX_SCOPE = 200
MAX_REASON = 500
MAX_DOCUMENTS = 10
MAX_FILE_ID = 200
# Orders a forced close cancels; shipped ones are already on their way and complete as usual.
# The open shop's next steps, as buttons on the "deposit received" message: list a product, or import many.
OPEN_SHOP_NEXT_STEPS = (
    Button("notify.btn.add_product", data=Route.MERCHANT_ADD_PRODUCT.data()),
    Button("notify.btn.import_csv", data=Route.MERCHANT_IMPORT_START.data()),
)
_ADMIN_MOVE_KEYS = {ShopStatus.SUSPENDED: "notify.shop.suspended", ShopStatus.ACTIVE: "notify.shop.reinstated"}
# What the other admins' copies of an application alert become once one admin decided.
_DECIDED_KEYS = {
    ShopStatus.AWAITING_DEPOSIT: "notify.shop.decided.awaiting_deposit.admin",
    ShopStatus.REJECTED: "notify.shop.decided.rejected.admin",
}
_CANCELLABLE = (OrderStatus.PENDING_PAYMENT, OrderStatus.GROUPING, OrderStatus.PAID, OrderStatus.ACCEPTED)


async def apply_for_shop(
    svc: Services,
    *,
    actor: Actor,
    name: str,
    business_scope: str,
    shop_type: ShopType,
    contact_phone: str,
    documents: Sequence[str],
    agreement_accepted: bool,
) -> Shop:
    """Submit (or, after a rejection or an expired approval, resubmit) an application; every admin is asked."""
    clean_name = clean_text(name, MAX_NAME, "name")
    scope = clean_text(business_scope, MAX_SCOPE, "business_scope")
    phone = parse_phone(contact_phone)
    files = _documents(documents)
    if not isinstance(shop_type, ShopType):
        raise DomainError(ErrorCode.INVALID_TEXT, field="shop_type")
    if agreement_accepted is not True:
        raise DomainError(ErrorCode.AGREEMENT_REQUIRED)
    now = svc.clock.now()
    async with svc.uow() as uow:
        await authorize(uow, svc.policy, Action.APPLY_FOR_SHOP, actor)
        assert actor.user_id is not None
        live = await uow.shops.live_for_owner(actor.user_id)
        if live is not None:
            raise DomainError(ErrorCode.SHOP_ALREADY_EXISTS, shop_id=live.id, name=live.name)
        previous = await uow.shops.latest_for_owner(actor.user_id)
        reapplying = previous is not None and previous.status in (ShopStatus.REJECTED, ShopStatus.EXPIRED)
        shop = previous if reapplying and previous is not None else _blank_shop(actor.user_id, now)
        shop.name, shop.business_scope, shop.shop_type = clean_name, scope, shop_type
        shop.contact_phone, shop.documents = phone, files
        shop.deposit = svc.policy.deposit_for(shop_type)
        shop.agreement_accepted_at = now
        if reapplying:
            shop.transition_to(ShopStatus.PENDING_REVIEW, actor=actor, at=now, reason="reapplied")
            shop.reject_reason, shop.decided_at, shop.decided_by, shop.deadline_at = "", None, None, None
            await uow.shops.save(shop)
        else:
            await uow.shops.add(shop)
        await _ask_admins(uow, svc, shop)
        await uow.commit()
        return shop


async def _ask_admins(uow: UnitOfWork, svc: Services, shop: Shop) -> None:
    """Every admin is asked to approve or reject the application."""
    await tell_admins(
        uow,
        svc,
        "notify.shop.applied.admin",
        _alert_key(shop.id, shop.version),
        buttons=[
            [
                button("notify.btn.approve", Route.ADMIN_APPROVE, shop.id),
                button("notify.btn.reject", Route.ADMIN_REJECT, shop.id),
            ]
        ],
        shop_id=shop.id,
        name=shop.name,
        shop_type=label(f"admin.shop_type.{shop.shop_type.value}"),
        business_scope=shop.business_scope,
        phone=shop.contact_phone,
        owner_id=shop.owner_id,
        applicant=await name_of(uow.users, shop.owner_id),
        count=len(shop.documents),
    )


def _alert_key(shop_id: int, version: int) -> str:
    """The dedupe key of the application alert every admin got (``tell_admins`` adds ``:admin:<id>``)."""
    return f"shop:{shop_id}:applied:{version}"


async def _close_other_alerts(uow: UnitOfWork, svc: Services, shop: Shop, actor: Actor, applied_version: int) -> None:
    """The other admins' copies of the application alert are edited to say who decided, their buttons gone."""
    decider = await name_of(uow.users, actor.user_id)
    key = _DECIDED_KEYS[shop.status]
    alert = _alert_key(shop.id, applied_version)
    for admin in await admin_ids(uow, svc.policy):
        if admin == actor.user_id:
            continue
        await uow.outbox.add(
            Notification(
                chat_id=admin,
                key=key,
                dedupe_key=f"shop:{shop.id}:decided:{shop.version}:admin:{admin}",
                edits=f"{alert}:admin:{admin}",
                args={"shop_id": shop.id, "name": shop.name, "decider": decider, "reason": shop.reject_reason},
            )
        )


@retrying
async def approve_shop(svc: Services, *, actor: Actor, shop_id: int) -> Shop:
    """Approve an application: the merchant has the deposit deadline to pay the deposit for their shop type."""
    async with svc.uow() as uow:
        shop = await _deciding(uow, svc, actor, shop_id)
        applied_version, now = shop.version, svc.clock.now()
        shop.transition_to(ShopStatus.AWAITING_DEPOSIT, actor=actor, at=now)
        shop.decided_at, shop.decided_by = now, actor.user_id
        shop.deposit = svc.policy.deposit_for(shop.shop_type)
        shop.deadline_at = now + svc.policy.deadlines.deposit
        await uow.shops.save(shop)
        await tell(
            uow,
            shop.owner_id,
            "notify.shop.approved",
            f"shop:{shop.id}:approved:{shop.version}",
            buttons=[[button("notify.btn.pay_deposit", Route.MERCHANT_PAY_DEPOSIT, shop.id)]],
            name=shop.name,
            deposit=shop.deposit,
            deadline=shop.deadline_at,
        )
        await _close_other_alerts(uow, svc, shop, actor, applied_version)
        await uow.commit()
        return shop


@retrying
async def reject_shop(svc: Services, *, actor: Actor, shop_id: int, reason: str) -> Shop:
    """Turn an application down with a reason the applicant sees; they may apply again."""
    note = clean_text(reason, MAX_REASON, "reason")
    async with svc.uow() as uow:
        shop = await _deciding(uow, svc, actor, shop_id)
        applied_version, now = shop.version, svc.clock.now()
        shop.transition_to(ShopStatus.REJECTED, actor=actor, at=now, reason=note)
        shop.decided_at, shop.decided_by, shop.reject_reason = now, actor.user_id, note
        await uow.shops.save(shop)
        await tell(
            uow,
            shop.owner_id,
            "notify.shop.rejected",
            f"shop:{shop.id}:rejected:{shop.version}",
            buttons=[[Button("notify.btn.apply_again", data=Route.MERCHANT_APPLY_AGAIN.data())]],
            name=shop.name,
            reason=note,
        )
        await _close_other_alerts(uow, svc, shop, actor, applied_version)
        await uow.commit()
        return shop


async def validate_deposit_payment(svc: Services, *, shop_id: int, payer_id: int, amount: int, currency: str) -> Shop:
    """Answer a deposit invoice's pre_checkout_query: raise why it must not go ahead, else return the shop."""
    async with svc.uow(read_only=True) as uow:
        shop = await load_shop(uow, shop_id)
        await authorize(uow, svc.policy, Action.PAY_DEPOSIT, Actor.merchant(payer_id), shop=shop)
        if shop.status is not ShopStatus.AWAITING_DEPOSIT:
            raise DomainError(ErrorCode.ORDER_NOT_PAYABLE, shop_id=shop.id, status=shop.status.value)
        if shop.deadline_at is not None and shop.deadline_at <= svc.clock.now():
            raise DomainError(ErrorCode.PAYMENT_EXPIRED, shop_id=shop.id)
        if (amount, currency) != (shop.deposit.amount, shop.deposit.currency):
            raise DomainError(ErrorCode.PAYMENT_MISMATCH, shop_id=shop.id, expected=shop.deposit.format())
        return shop


@retrying
async def pay_deposit(
    svc: Services,
    *,
    shop_id: int,
    payer_id: int,
    charge_id: str,
    amount: int,
    currency: str,
    provider_charge_id: str = "",
) -> Shop:
    """The deposit arrived: the shop opens. Recorded once per charge id; money that cannot open it is refunded."""
    now = svc.clock.now()
    charge = DepositCharge(payer_id, charge_id, Money(amount, currency), provider_charge_id)
    async with svc.uow() as uow:
        shop = await load_shop(uow, shop_id, for_update=True)
        payment = await record_deposit_charge(uow, shop, charge, now)
        if payment is None:
            return shop  # a redelivered payment
        due = shop.status is ShopStatus.AWAITING_DEPOSIT and payment.amount == shop.deposit
        if shop.owner_id != payer_id or not due:
            await refund_deposit_charge(uow, shop, payment, now)
            await uow.commit()
            return shop
        owner = Actor.merchant(payer_id)
        await authorize(uow, svc.policy, Action.PAY_DEPOSIT, owner, shop=shop)
        shop.transition_to(ShopStatus.ACTIVE, actor=owner, at=now, charge_id=charge_id)
        shop.deposit_paid_at = now
        shop.deposit_balance = payment.amount
        shop.deadline_at = None
        await uow.shops.save(shop)
        await uow.ledger.post(deposit_paid(payment))
        await tell(
            uow,
            shop.owner_id,
            "notify.shop.active",
            f"shop:{shop.id}:active",
            buttons=[OPEN_SHOP_NEXT_STEPS],
            name=shop.name,
        )
        await queue_menu_refresh(uow, svc.policy, shop.owner_id, because=f"shop:{shop.id}:active")
        await uow.commit()
        return shop


@retrying
async def expire_shop_deposit(svc: Services, shop_id: int) -> bool:
    """The deposit deadline passed unpaid: the approval lapses (the owner may apply again)."""
    now = svc.clock.now()
    system = Actor.system()
    async with svc.uow() as uow:
        shop = await claim_deadline(
            uow, svc, uow.shops, shop_id, now, waits_in=ShopStatus.AWAITING_DEPOSIT, action=Action.EXPIRE_SHOP_DEPOSIT
        )
        if shop is None:
            return False
        shop.transition_to(ShopStatus.EXPIRED, actor=system, at=now, reason="deposit_deadline")
        shop.deadline_at = None
        await uow.shops.save(shop)
        await tell(uow, shop.owner_id, "notify.shop.expired", f"shop:{shop.id}:expired:{shop.version}", name=shop.name)
        await uow.commit()
        return True


async def suspend_shop(svc: Services, *, actor: Actor, shop_id: int, reason: str) -> Shop:
    """Stop a shop taking new business (its products leave the catalogue); open orders must still be handled."""
    return await _admin_move(svc, actor, shop_id, reason, Action.SUSPEND_SHOP, ShopStatus.SUSPENDED)


async def reinstate_shop(svc: Services, *, actor: Actor, shop_id: int, reason: str) -> Shop:
    return await _admin_move(svc, actor, shop_id, reason, Action.REINSTATE_SHOP, ShopStatus.ACTIVE)


@retrying
async def close_shop(svc: Services, *, actor: Actor, shop_id: int, reason: str, force: bool = False) -> Shop:
    """Close for good. With open orders, refuse unless ``force``: then cancel and refund them first. The deposit
    goes back once the shop's after-sales are over (``return_deposit``, swept from ``deposit_return_at``)."""
    note = clean_text(reason, MAX_REASON, "reason")
    async with svc.uow() as uow:
        shop = await _closable(uow, svc, actor, shop_id, for_update=False)
        open_orders = await uow.orders.count_for_shop(shop.id, statuses=sorted(OPEN_STATES))
        if open_orders and not force:
            raise DomainError(ErrorCode.SHOP_HAS_OPEN_ORDERS, shop_id=shop.id, count=open_orders)
        now = svc.clock.now()
        if open_orders:
            await _cancel_open_orders(uow, svc, shop, actor=actor, now=now)
        # The shop's row is locked last (groups, orders, products, shop: the order every use case locks in).
        shop = await _closable(uow, svc, actor, shop_id, for_update=True)
        shop.transition_to(ShopStatus.CLOSED, actor=actor, at=now, reason=note)
        shop.deadline_at = None
        shop.deposit_return_at = now if shop.deposit_paid_at is not None else None  # once its after-sales are over
        await uow.shops.save(shop)
        await tell(uow, shop.owner_id, "notify.shop.closed", f"shop:{shop.id}:closed", name=shop.name, reason=note)
        await queue_menu_refresh(uow, svc.policy, shop.owner_id, because=f"shop:{shop.id}:closed")
        await queue_staff_menus(uow, svc.policy, shop.id, because=f"shop:{shop.id}:closed")
        await uow.commit()
        return shop


async def _closable(uow: UnitOfWork, svc: Services, actor: Actor, shop_id: int, *, for_update: bool) -> Shop:
    shop = await load_shop(uow, shop_id, for_update=for_update)
    await authorize(uow, svc.policy, Action.CLOSE_SHOP, actor, shop=shop)
    if shop.status is ShopStatus.CLOSED:
        raise DomainError(ErrorCode.ALREADY_DONE, shop_id=shop.id)
    shop.MACHINE.check(shop.status, ShopStatus.CLOSED)
    return shop


async def _cancel_open_orders(uow: UnitOfWork, svc: Services, shop: Shop, *, actor: Actor, now: datetime) -> None:
    listed = await uow.orders.for_shop(shop.id, statuses=_CANCELLABLE, limit=1_000_000)
    groups = sorted({order.group_buy_id for order in listed if order.group_buy_id is not None})
    for group_id in groups:
        group = await load_group(uow, group_id, for_update=True)
        if group.status is GroupBuyStatus.OPEN:
            group.end(GroupBuyStatus.FAILED, actor=actor, at=now, reason=CancelReason.SHOP_CLOSED.value)
            await uow.group_buys.save(group)
    for order_id in sorted(order.id for order in listed):
        order = await load_order(uow, order_id, for_update=True)
        if order.status not in _CANCELLABLE:
            continue
        refund = await cancel_in(uow, svc, order, actor=actor, reason=CancelReason.SHOP_CLOSED)
        await tell(
            uow,
            order.buyer_id,
            "notify.order.cancelled.shop_closed" if refund else "notify.order.cancelled.shop_closed_unpaid",
            f"order:{order.id}:cancelled:shop_closed",
            order_id=order.id,
            shop=shop.name,
            amount=refund.amount if refund is not None else order.total,
        )


async def _deciding(uow: UnitOfWork, svc: Services, actor: Actor, shop_id: int) -> Shop:
    """The application an admin is deciding; the second of two admins deciding at once gets ALREADY_DONE, with who
    decided (``decided_by``, their ``decider`` name; ``mine`` when it was this admin) and the state now."""
    shop = await load_shop(uow, shop_id, for_update=True)
    await authorize(uow, svc.policy, Action.DECIDE_SHOP, actor, shop=shop)
    if shop.status is not ShopStatus.PENDING_REVIEW:
        raise DomainError(
            ErrorCode.ALREADY_DONE,
            shop_id=shop.id,
            name=shop.name,
            status=shop.status.value,
            decided_by=shop.decided_by,
            decider=await name_of(uow.users, shop.decided_by),
            mine=shop.decided_by is not None and shop.decided_by == actor.user_id,
        )
    return shop


@retrying
async def _admin_move(
    svc: Services, actor: Actor, shop_id: int, reason: str, action: Action, target: ShopStatus
) -> Shop:
    note = clean_text(reason, MAX_REASON, "reason")
    async with svc.uow() as uow:
        shop = await load_shop(uow, shop_id, for_update=True)
        await authorize(uow, svc.policy, action, actor, shop=shop)
        if shop.status is target:
            raise DomainError(ErrorCode.ALREADY_DONE, shop_id=shop.id)
        shop.transition_to(target, actor=actor, at=svc.clock.now(), reason=note)
        shop.suspend_reason = note if target is ShopStatus.SUSPENDED else ""
        await uow.shops.save(shop)
        await tell(
            uow,
            shop.owner_id,
            _ADMIN_MOVE_KEYS[target],
            f"shop:{shop.id}:{target.value}:{shop.version}",
            name=shop.name,
            reason=note,
        )
        await uow.commit()
        return shop


def _blank_shop(owner_id: int, now: datetime) -> Shop:
    return Shop(
        id=0,
        owner_id=owner_id,
        name="",
        business_scope="",
        shop_type=ShopType.INDIVIDUAL,
        contact_phone="",
        documents=[],
        status=ShopStatus.PENDING_REVIEW,
        created_at=now,
        deposit=Money(0, "XTR"),
    )


def _documents(documents: Sequence[str]) -> list[str]:
    if isinstance(documents, str) or not documents:
        raise DomainError(ErrorCode.DOCUMENTS_REQUIRED, min=1)
    return check_file_ids(documents, MAX_DOCUMENTS, longest=MAX_FILE_ID)
