"""The daily price-drop note: one message a day to each buyer who asked for it, naming their favourites that cost
less now than the price they were last told (the price when they favourited it, or in the last note).

Each buyer is handled in a unit of work of their own: the note is queued in the outbox with a dedupe key carrying
the day, and the prices it told become the new remembered prices, in the same transaction. So the job may run
twice or die half-way and still nobody hears twice in a day, and nobody is told again of a drop already told.
Products that can no longer be bought are left out of the note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.favourites import MAX_FAVOURITES, Favourite, dropped
from domain.money import Money
from domain.notifications import Button, Notification
from domain.ports import UnitOfWork
from domain.routes import Route
from domain.services import Services
from domain.usecases.favourites import current_prices

PAGE = 100
LISTED = 8  # drops with their own button; the count says how many there are in all
TITLE_CHARS = 32


@dataclass(frozen=True)
class PriceDrop:
    product_id: int
    title: str
    was: Money
    now: Money


@dataclass(frozen=True)
class PriceDropNote:
    user_id: int
    day: date
    drops: tuple[PriceDrop, ...]


async def queue_price_drop_notes(svc: Services) -> list[PriceDropNote]:
    """Queue today's note for every opted-in buyer whose favourites got cheaper; returns what was queued."""
    day = svc.clock.now().date()
    queued: list[PriceDropNote] = []
    after = 0
    while True:
        async with svc.uow(read_only=True) as uow:
            users = await uow.favourites.alert_users(after=after, limit=PAGE)
        for user_id in users:
            note = await _queue_note(svc, user_id, day)
            if note is not None:
                queued.append(note)
        if len(users) < PAGE:
            return queued
        after = users[-1]


async def _queue_note(svc: Services, user_id: int, day: date) -> PriceDropNote | None:
    async with svc.uow() as uow:
        if not await uow.favourites.alerts_on(user_id):  # switched off since the list was read
            return None
        kept = await uow.favourites.for_user(user_id, limit=MAX_FAVOURITES)
        drops = await _drops(uow, kept, svc)
        if not drops:
            return None
        note = PriceDropNote(user_id, day, drops)
        if not await uow.outbox.add(_notification(note)):
            return None  # told today already
        await uow.favourites.note_prices(user_id, {drop.product_id: drop.now for drop in drops})
        await uow.commit()
    return note


async def _drops(uow: UnitOfWork, kept: list[Favourite], svc: Services) -> tuple[PriceDrop, ...]:
    priced = await current_prices(uow, [f.product_id for f in kept], svc.clock.now())
    drops = []
    for favourite in kept:
        item = priced.get(favourite.product_id)
        if item is not None and item.price is not None and dropped(favourite.noted_price, item.price):
            drops.append(PriceDrop(item.product_id, item.title, favourite.noted_price, item.price))
    return tuple(drops)


def _clip(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


def _notification(note: PriceDropNote) -> Notification:
    rows = tuple(
        (
            Button(
                "favourites.drop.item",
                data=Route.PRODUCT_OPEN.with_id(drop.product_id),
                args={"title": _clip(drop.title), "was": drop.was, "now": drop.now},
            ),
        )
        for drop in note.drops[:LISTED]
    )
    return Notification(
        chat_id=note.user_id,
        key="favourites.drop.note",
        dedupe_key=f"price-drop:{note.user_id}:{note.day.isoformat()}",
        args={"count": len(note.drops)},
        buttons=(*rows, (Button("favourites.drop.open_list", data=Route.FAVOURITES_LIST.data(0)),)),
    )
