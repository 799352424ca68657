"""What the admin console reads: the front page's counts, the application queue, shop lists and a shop's page.

Every function checks that the actor is an admin (listed in the settings or appointed) before reading anything:
the console's buttons carry plain ids that anyone could forge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.authorization import Action, authorize
from domain.events import Actor
from domain.orders import OPEN_STATES, Order
from domain.ports import UnitOfWork
from domain.services import Services
from domain.shops import Shop, ShopStatus
from domain.tickets import TicketStatus
from domain.usecases.catalog import Page
from domain.usecases.evaluation import ShopEvaluation, current_score, judge, shop_figures
from domain.usecases.orders_common import load_shop
from domain.users import User, name_of

MAX_PAGE = 20


@dataclass(frozen=True)
class Overview:
    pending_applications: int
    escalated_tickets: int
    active_shops: int
    suspended_shops: int


@dataclass(frozen=True)
class Application:
    shop: Shop
    applicant: User | None  # None only if the user row went missing
    decider: str = ""  # the admin who decided it, by name and @username ("" while it waits)


@dataclass(frozen=True)
class ApplicationPage:
    application: Application | None  # one application per page, oldest first
    page: Page


@dataclass(frozen=True)
class ShopList:
    shops: list[Shop]
    page: Page
    status: ShopStatus | None
    query: str
    scores: dict[int, int | None] = field(default_factory=dict)  # evaluation.current_score of each shop listed


@dataclass(frozen=True)
class ShopOverview:
    shop: Shop
    owner: User | None
    open_orders: int
    evaluation: ShopEvaluation
    # Possible self-dealing (刷单): the newest orders delivered to the merchant's own phone or address.
    self_dealing: tuple[Order, ...] = ()


SELF_DEALING_SHOWN = 5


async def admin_overview(svc: Services, *, actor: Actor) -> Overview:
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.VIEW_PLATFORM, actor)
        return Overview(
            pending_applications=await uow.shops.count(statuses=[ShopStatus.PENDING_REVIEW]),
            escalated_tickets=await uow.tickets.count(statuses=[TicketStatus.ESCALATED]),
            active_shops=await uow.shops.count(statuses=[ShopStatus.ACTIVE]),
            suspended_shops=await uow.shops.count(statuses=[ShopStatus.SUSPENDED]),
        )


async def application_queue(svc: Services, *, actor: Actor, offset: int = 0) -> ApplicationPage:
    """The ``offset``-th application waiting for review, oldest first."""
    pending = [ShopStatus.PENDING_REVIEW]
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.VIEW_PLATFORM, actor)
        total = await uow.shops.count(statuses=pending)
        offset = min(max(offset, 0), max(total - 1, 0))
        found = await uow.shops.list(statuses=pending, offset=offset, limit=1)
        application = await _application(uow, found[0]) if found else None
    return ApplicationPage(application, Page(offset, 1, total))


async def view_application(svc: Services, *, actor: Actor, shop_id: int) -> Application:
    """An application (or the shop it became) with its applicant, whatever its state now."""
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.VIEW_PLATFORM, actor)
        return await _application(uow, await load_shop(uow, shop_id))


async def list_shops(
    svc: Services, *, actor: Actor, status: ShopStatus | None = None, query: str = "", offset: int = 0, limit: int = 8
) -> ShopList:
    """Shops by status (all when None) and/or by a piece of their name, in the order they applied."""
    statuses = [status] if status is not None else []
    needle = " ".join(query.split())[:40]
    offset, limit = max(offset, 0), min(max(limit, 1), MAX_PAGE)
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.VIEW_PLATFORM, actor)
        total = await uow.shops.count(statuses=statuses, query=needle)
        shops = await uow.shops.list(statuses=statuses, query=needle, offset=offset, limit=limit)
        now, currency = svc.clock.now(), svc.policy.currency
        scores = {shop.id: await current_score(uow, shop.id, now, currency) for shop in shops}
    return ShopList(shops, Page(offset, limit, total), status, needle, scores)


async def shop_overview(svc: Services, *, actor: Actor, shop_id: int) -> ShopOverview:
    """A shop as an admin judges it: details, open orders, and its score with the figures behind it."""
    now = svc.clock.now()
    async with svc.uow(read_only=True) as uow:
        await authorize(uow, svc.policy, Action.VIEW_PLATFORM, actor)
        shop = await load_shop(uow, shop_id)
        owner = await uow.users.get(shop.owner_id)
        open_orders = await uow.orders.count_for_shop(shop.id, statuses=sorted(OPEN_STATES))
        figures = await shop_figures(uow, shop.id, now, svc.policy.currency)
        suspicious = await _self_dealing(uow, shop)
    return ShopOverview(shop, owner, open_orders, judge(shop, figures, now), suspicious)


async def _self_dealing(uow: UnitOfWork, shop: Shop) -> tuple[Order, ...]:
    """Orders of the shop sent to the merchant's contact phone, or a phone or address the merchant saved."""
    own = await uow.addresses.list_for(shop.owner_id)
    phones = sorted({shop.contact_phone, *(address.phone for address in own)} - {""})
    texts = sorted({address.text for address in own})
    found = await uow.orders.delivered_to(shop.id, phones=phones, texts=texts, limit=SELF_DEALING_SHOWN)
    return tuple(found)


async def _application(uow: UnitOfWork, shop: Shop) -> Application:
    decider = await name_of(uow.users, shop.decided_by) if shop.decided_by is not None else ""
    return Application(shop, await uow.users.get(shop.owner_id), decider)
