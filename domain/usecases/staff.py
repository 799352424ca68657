"""Staff (子账号) and the shop's group chat: the owner invites with a one-time link and removes at once; the invitee
sees the shop and role and accepts; a group chat is linked by the owner and unlinked when the bot leaves it.

Every change is audited with the person who made it; what staff may then do is the authorisation table's
(domain/authorization.py), checked again on every press.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole, StateChanged
from domain.notifications import label
from domain.ports import UnitOfWork
from domain.services import Services
from domain.shops import Shop
from domain.staff import INVITE_TTL, MAX_STAFF, ShopGroup, StaffInvite, StaffMember, StaffRole, new_token
from domain.usecases.menus import queue_menu_refresh
from domain.usecases.merchant_shop import own_shop_for
from domain.usecases.orders_common import tell

ENTITY = "shop_staff"
GROUP_ENTITY = "shop_group"


@dataclass(frozen=True)
class StaffScreen:
    shop: Shop
    members: tuple[StaffMember, ...]
    group: ShopGroup | None


@dataclass(frozen=True)
class InvitePreview:
    invite: StaffInvite
    shop: Shop


async def _audit(
    uow: UnitOfWork, svc: Services, actor: Actor, entity: str, shop_id: int, src: str, dst: str, **data: object
) -> None:
    event = StateChanged(entity, shop_id, src, dst, actor.user_id, actor.role, svc.clock.now(), data=dict(data))
    await uow.audit.append([event])


async def staff_screen(svc: Services, *, actor: Actor) -> StaffScreen:
    """The owner's 👥 Staff screen: who works for the shop, in which role, and its group chat."""
    async with svc.uow(read_only=True) as uow:
        shop = await own_shop_for(uow, svc.policy, actor, Action.MANAGE_STAFF)
        members = await uow.staff.members(shop.id)
        return StaffScreen(shop, tuple(members), await uow.staff.group_of_shop(shop.id))


async def invite_staff(svc: Services, *, actor: Actor, role: StaffRole | str) -> StaffInvite:
    """A one-time invitation for ``role``, valid for ``INVITE_TTL``; the owner forwards its link."""
    chosen = StaffRole(role) if role in StaffRole.__members__.values() else None
    if chosen is None:
        raise DomainError(ErrorCode.INVALID_TEXT, field="role")
    async with svc.uow() as uow:
        shop = await own_shop_for(uow, svc.policy, actor, Action.MANAGE_STAFF)
        if len(await uow.staff.members(shop.id)) >= MAX_STAFF:
            raise DomainError(ErrorCode.STAFF_FULL, limit=MAX_STAFF)
        now = svc.clock.now()
        assert actor.user_id is not None
        invite = StaffInvite(new_token(), shop.id, chosen, actor.user_id, now, now + INVITE_TTL)
        await uow.staff.add_invite(invite)
        await _audit(uow, svc, actor, ENTITY, shop.id, "", "invited", role=chosen.value)
        await uow.commit()
        return invite


async def _usable_invite(uow: UnitOfWork, svc: Services, actor: Actor, token: str) -> InvitePreview:
    await authorize(uow, svc.policy, Action.JOIN_STAFF, actor)
    invite = await uow.staff.invite(token)
    if invite is None or not invite.usable(svc.clock.now()):
        raise DomainError(ErrorCode.INVITE_INVALID)
    shop = await uow.shops.get(invite.shop_id)
    if shop is None or shop.status.value == "closed":
        raise DomainError(ErrorCode.INVITE_INVALID)
    if shop.owner_id == actor.user_id:
        raise DomainError(ErrorCode.OWN_SHOP_STAFF)
    return InvitePreview(invite, shop)


async def staff_invite(svc: Services, *, actor: Actor, token: str) -> InvitePreview:
    """What the invitee sees before accepting: the shop and the role (unknown, used or expired: INVITE_INVALID)."""
    async with svc.uow(read_only=True) as uow:
        return await _usable_invite(uow, svc, actor, token)


async def join_staff(svc: Services, *, actor: Actor, token: str) -> StaffMember:
    """✅ Accept: the invitee becomes staff in the invitation's role, works in this shop from now on (staff of
    several shops switch on their /shop) and gets their role's command menu; the invitation is used up, the owner
    told. Pressed again (or twice at once) by the same person: the same answer, nothing more happens."""
    async with svc.uow() as uow:
        again = await _joined_with(uow, actor, token)
        if again is not None:
            return again
        preview = await _usable_invite(uow, svc, actor, token)
        invite, shop = preview.invite, preview.shop
        assert actor.user_id is not None
        member_already = await uow.staff.role_of(shop.id, actor.user_id) is not None
        if member_already or not await uow.staff.use_invite(invite.token, actor.user_id, svc.clock.now()):
            # The other press of a double press may have won since the first look (read committed): same answer.
            again = await _joined_with(uow, actor, token)
            if again is not None:
                return again
            if member_already:
                raise DomainError(ErrorCode.ALREADY_DONE, shop_id=shop.id)
            raise DomainError(ErrorCode.INVITE_INVALID)
        member = StaffMember(shop.id, actor.user_id, invite.role, invite.created_by, svc.clock.now(), working=True)
        await uow.staff.add(member)
        await uow.staff.choose(shop.id, actor.user_id)  # a shop just joined is the one they work in
        await _audit(uow, svc, actor, ENTITY, shop.id, "invited", invite.role.value, user_id=actor.user_id)
        user = await uow.users.get(actor.user_id)
        await queue_menu_refresh(uow, svc.policy, actor.user_id, because=f"staff:{shop.id}:joined:{invite.token}")
        await tell(
            uow,
            shop.owner_id,
            "staff.notify.joined",
            f"staff:{shop.id}:joined:{actor.user_id}:{invite.token}",
            name=user.display_name if user else str(actor.user_id),
            role=label(f"staff.role.{invite.role.value}"),
        )
        await uow.commit()
        return member


async def _joined_with(uow: UnitOfWork, actor: Actor, token: str) -> StaffMember | None:
    """The membership this invitation already gave the actor (None if it gave them none, or they were removed)."""
    invite = await uow.staff.invite(token)
    if invite is None or actor.user_id is None or invite.used_by != actor.user_id:
        return None
    role = await uow.staff.role_of(invite.shop_id, actor.user_id)
    if role is None:
        return None
    return StaffMember(invite.shop_id, actor.user_id, role, invite.created_by, invite.used_at or invite.created_at)


async def remove_staff(svc: Services, *, actor: Actor, user_id: int) -> bool:
    """The owner removes a member at once: from the next press on, the table refuses them. False: not staff."""
    async with svc.uow() as uow:
        shop = await own_shop_for(uow, svc.policy, actor, Action.MANAGE_STAFF)
        role = await uow.staff.role_of(shop.id, user_id)
        if role is None or not await uow.staff.remove(shop.id, user_id):
            return False
        await _audit(uow, svc, actor, ENTITY, shop.id, role.value, "removed", user_id=user_id)
        removal = f"staff:{shop.id}:removed:{user_id}:{svc.clock.now().isoformat()}"
        await tell(uow, user_id, "staff.notify.removed", removal, shop=shop.name)
        await queue_menu_refresh(uow, svc.policy, user_id, because=removal)
        await uow.commit()
        return True


@dataclass(frozen=True)
class WorkingShop:
    """One shop a staff member works for, in their role there."""

    shop: Shop
    role: StaffRole


async def working_shops(svc: Services, *, actor: Actor) -> tuple[WorkingShop, ...]:
    """The shops the actor is staff of (not closed), the one they work in now first: their staff /shop offers a
    button for each of the others."""
    if actor.user_id is None:
        raise DomainError(ErrorCode.FORBIDDEN)
    async with svc.uow(read_only=True) as uow:
        found = []
        for member in await uow.staff.working_for(actor.user_id):
            shop = await uow.shops.get(member.shop_id)
            if shop is not None:
                found.append(WorkingShop(shop, member.role))
        return tuple(found)


async def choose_working_shop(svc: Services, *, actor: Actor, shop_id: int) -> WorkingShop:
    """🔀 Work in <shop>: from now on their /shop, /shop_orders, /tickets, /stats… are that shop's (remembered).
    Not its staff (any more): refused by the table. Pressed twice: the same shop, chosen again."""
    async with svc.uow() as uow:
        shop = await uow.shops.get(shop_id)
        if shop is None:
            raise DomainError(ErrorCode.NOT_FOUND, shop_id=shop_id)
        await authorize(uow, svc.policy, Action.CHOOSE_SHOP, actor, shop=shop)
        assert actor.user_id is not None
        role = await uow.staff.role_of(shop.id, actor.user_id)
        if role is None or not await uow.staff.choose(shop.id, actor.user_id):
            raise DomainError(ErrorCode.FORBIDDEN, action=Action.CHOOSE_SHOP.value)
        await uow.commit()
        return WorkingShop(shop, role)


async def done_by_staff(svc: Services, *, actor: Actor, order_id: int) -> list[tuple[str, str]]:
    """What staff did to an order, for its card: (the state it reached, who) from the order's audit trail, for each
    step someone other than the owner took for the shop."""
    async with svc.uow(read_only=True) as uow:
        order = await uow.orders.get(order_id)
        shop = await uow.shops.get(order.shop_id) if order is not None else None
        if order is None or shop is None:
            raise DomainError(ErrorCode.NOT_FOUND, order_id=order_id)
        await authorize(uow, svc.policy, Action.VIEW_ORDER, actor, order=order, shop=shop)
        done = []
        for event in await uow.audit.for_entity("order", order.id):
            if event.actor_role is ActorRole.MERCHANT and event.actor_id not in (None, shop.owner_id):
                person = await uow.users.get(event.actor_id or 0)
                done.append((event.dst, person.display_name if person else str(event.actor_id)))
        return done


# --- the shop's group chat ---------------------------------------------------------------------------------------


async def link_group(svc: Services, *, actor: Actor, chat_id: int, title: str) -> Shop:
    """``/link_shop`` in a group by the shop's owner: the group gets the shop's order and ticket alerts (the shop
    linked is returned)."""
    async with svc.uow() as uow:
        shop = await own_shop_for(uow, svc.policy, actor, Action.LINK_GROUP)
        current = await uow.staff.group(chat_id)
        if current is not None and current.shop_id == shop.id:
            return shop
        assert actor.user_id is not None
        group = ShopGroup(chat_id, shop.id, title[:128], actor.user_id, svc.clock.now())
        await uow.staff.link_group(group)
        await _audit(uow, svc, actor, GROUP_ENTITY, shop.id, "", "linked", chat_id=chat_id)
        await uow.commit()
        return shop


async def set_group_alerts(svc: Services, *, actor: Actor, on: bool) -> ShopGroup:
    """The owner turns the group chat's alerts on or off (from the 👥 Staff screen)."""
    async with svc.uow() as uow:
        shop = await own_shop_for(uow, svc.policy, actor, Action.LINK_GROUP)
        group = await uow.staff.group_of_shop(shop.id)
        if group is None:
            raise DomainError(ErrorCode.NOT_FOUND, shop_id=shop.id)
        if group.alerts != on:
            await uow.staff.set_group_alerts(group.chat_id, on)
            await _audit(uow, svc, actor, GROUP_ENTITY, shop.id, str(group.alerts), str(on), chat_id=group.chat_id)
            group.alerts = on
        await uow.commit()
        return group


async def group_left(svc: Services, *, chat_id: int) -> bool:
    """The bot was removed from (or left) a group: whatever shop it was linked to is unlinked."""
    async with svc.uow() as uow:
        group = await uow.staff.group(chat_id)
        if group is None:
            return False
        await uow.staff.unlink_group(chat_id)
        await _audit(uow, svc, Actor.system(), GROUP_ENTITY, group.shop_id, "linked", "unlinked", chat_id=chat_id)
        await uow.commit()
        return True
