"""Who runs the platform: appointing and removing admins, and the audit trail of what admins did.

The admins listed in the settings (``policy.root_admin_ids``) are admins always and cannot be removed here; an admin
may appoint anyone who has talked to the bot, and remove any appointed admin (themselves included). Neither move is a
state machine's transition, so each is written to the audit trail as an ``admin`` event by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.authorization import Action, authorize
from domain.errors import DomainError, ErrorCode
from domain.events import Actor, ActorRole, StateChanged
from domain.platform_stats_ports import UserSummary
from domain.ports import UnitOfWork
from domain.services import Services
from domain.shops import Shop
from domain.usecases.menus import queue_menu_refresh
from domain.usecases.orders_common import tell
from domain.users import User, name_of

ENTITY = "admin"
APPOINTED, REMOVED = "admin", "user"  # the audit event's dst
MAX_CANDIDATES = 8
MAX_AUDIT_PAGE = 50
# The roles whose actions the audit list shows: people acting as admins (the system's deadlines are not theirs).
AUDITED_ROLES = (ActorRole.ADMIN.value,)


@dataclass(frozen=True)
class AdminEntry:
    user_id: int
    name: str  # "" when a settings admin never talked to the bot
    root: bool  # listed in the settings: cannot be removed here


@dataclass(frozen=True)
class AuditPage:
    events: list[StateChanged]
    offset: int
    limit: int
    has_more: bool
    people: dict[int, str] = field(default_factory=dict)  # who acted (and who was appointed): name (@username)
    shops: dict[int, str] = field(default_factory=dict)  # the shops the events are about, by name


def audit_subject(page: AuditPage, event: StateChanged) -> str:
    """What an audit event is about, in words: a shop by its name, a person by name, anything else by number."""
    if event.entity == Shop.ENTITY:
        return page.shops.get(event.entity_id, f"#{event.entity_id}")
    if event.entity == ENTITY:
        return page.people.get(event.entity_id, str(event.entity_id))
    return f"#{event.entity_id}"


async def list_admins(svc: Services, *, actor: Actor) -> list[AdminEntry]:
    """Settings admins first, then appointed ones, each by id."""
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.MANAGE_ADMINS, actor)
        roots = sorted(svc.policy.root_admin_ids)
        entries = []
        for user_id in roots:
            user = await uow.users.get(user_id)
            entries.append(AdminEntry(user_id, user.display_name if user else "", True))
        for user in await uow.users.appointed_admins():
            if user.id not in svc.policy.root_admin_ids:
                entries.append(AdminEntry(user.id, user.display_name, False))
        return entries


async def admin_candidates(svc: Services, *, actor: Actor, limit: int = MAX_CANDIDATES) -> list[UserSummary]:
    """The people who most recently started using the bot and are not admins yet: one tap to appoint."""
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.MANAGE_ADMINS, actor)
        recent = await uow.platform_stats.recent_users(limit + len(svc.policy.root_admin_ids) + 1)
    eligible = [user for user in recent if not user.is_admin and user.id not in svc.policy.root_admin_ids]
    return [user for user in eligible if user.id != actor.user_id][:limit]


async def appoint_admin(svc: Services, *, actor: Actor, user_id: int) -> User:
    """Make someone who has talked to the bot an admin; they are told and get the admin's command menu."""
    return await _set_admin(svc, actor, user_id, admin=True)


async def remove_admin(svc: Services, *, actor: Actor, user_id: int) -> User:
    """Take an appointed admin's rights away; the admins listed in the settings stay admins."""
    return await _set_admin(svc, actor, user_id, admin=False)


async def _set_admin(svc: Services, actor: Actor, user_id: int, *, admin: bool) -> User:
    async with svc.uow() as uow:
        await authorize(uow, svc.policy, Action.MANAGE_ADMINS, actor)
        root = user_id in svc.policy.root_admin_ids
        if root and not admin:
            raise DomainError(ErrorCode.CANNOT_REMOVE_ROOT_ADMIN, user_id=user_id)
        user = await uow.users.get(user_id)
        if user is None:
            raise DomainError(ErrorCode.NOT_FOUND, user_id=user_id)
        if root or user.is_admin is admin:
            raise DomainError(ErrorCode.ALREADY_DONE, user_id=user_id)
        user.is_admin = admin
        await uow.users.save(user)
        await _record(uow, svc, actor, user, APPOINTED if admin else REMOVED)
        await uow.commit()
        return user


async def audit_log(svc: Services, *, actor: Actor, offset: int = 0, limit: int = 10) -> AuditPage:
    """What admins did, newest first."""
    offset, limit = max(offset, 0), min(max(limit, 1), MAX_AUDIT_PAGE)
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.VIEW_PLATFORM, actor)
        found = await uow.audit.recent(actor_roles=AUDITED_ROLES, offset=offset, limit=limit + 1)
        events = found[:limit]
        people_ids = {e.actor_id for e in events if e.actor_id is not None}
        people_ids |= {e.entity_id for e in events if e.entity == ENTITY}
        people = {user_id: await name_of(uow.users, user_id) for user_id in sorted(people_ids)}
        shop_ids = sorted({e.entity_id for e in events if e.entity == Shop.ENTITY})
        shops = {shop_id: shop.name for shop_id, shop in (await uow.shops.get_many(shop_ids)).items()}
    return AuditPage(events, offset, limit, len(found) > limit, people, shops)


async def _record(uow: UnitOfWork, svc: Services, actor: Actor, user: User, dst: str) -> None:
    """Audit the change, tell the person, and give them the command menu of the roles they now hold."""
    now = svc.clock.now()
    src = REMOVED if dst == APPOINTED else APPOINTED
    await uow.audit.append(
        [
            StateChanged(
                entity=ENTITY,
                entity_id=user.id,
                src=src,
                dst=dst,
                actor_id=actor.user_id,
                actor_role=actor.role,
                at=now,
                reason="appointed" if dst == APPOINTED else "removed",
            )
        ]
    )
    appointed = dst == APPOINTED
    await tell(
        uow,
        user.id,
        "admin.notify.appointed" if appointed else "admin.notify.removed",
        f"admin:{user.id}:{dst}:{user.version}",
        by=actor.user_id,
    )
    await queue_menu_refresh(uow, svc.policy, user.id, because=f"admin:{dst}:{user.version}")
