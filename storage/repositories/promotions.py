"""Promotions a shop runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, select

from domain.money import Money
from domain.promotions import Promotion, PromotionStatus, SpendTier
from storage.models import PromotionRow
from storage.repositories.base import AggregateRepository
from storage.repositories.mapping import RowMapper, Stored


def _tier_json(tier: SpendTier) -> dict[str, Any]:
    return {"threshold": tier.threshold.amount, "off": tier.off.amount, "currency": tier.threshold.currency}


def _tier(data: dict[str, Any]) -> SpendTier:
    return SpendTier(threshold=Money(data["threshold"], data["currency"]), off=Money(data["off"], data["currency"]))


PROMOTION = RowMapper(
    Promotion,
    PromotionRow,
    stored={
        "tiers": Stored(
            read=lambda row: [_tier(t) for t in row.tiers],
            write=lambda promotion: {"tiers": [_tier_json(t) for t in promotion.tiers]},
        )
    },
)


_NOT_ENDED = PromotionRow.status != str(PromotionStatus.ENDED)
# Every price shown asks for its shops' promotions: built once, not per call (its cache key included).
_NOT_ENDED_FOR_SHOPS = (
    select(*PromotionRow.__table__.c)
    .where(PromotionRow.shop_id.in_(bindparam("shop_ids", expanding=True)), _NOT_ENDED)
    .order_by(PromotionRow.id)
)


class SqlPromotionRepository(AggregateRepository):
    async def get(self, promotion_id: int) -> Promotion | None:
        return await self.first_entity(PROMOTION, select(PromotionRow).where(PromotionRow.id == promotion_id))

    async def add(self, promotion: Promotion) -> Promotion:
        await self.add_aggregate(PROMOTION, promotion)
        return promotion

    async def save(self, promotion: Promotion) -> None:
        await self.save_aggregate(PROMOTION, promotion)

    async def for_shop(self, shop_id: int, *, include_ended: bool = False) -> list[Promotion]:
        stmt = select(PromotionRow).where(PromotionRow.shop_id == shop_id)
        if not include_ended:
            stmt = stmt.where(_NOT_ENDED)
        return [PROMOTION.entity(row) for row in await self.all(stmt.order_by(PromotionRow.id))]

    async def for_shops(self, shop_ids: Sequence[int]) -> dict[int, list[Promotion]]:
        """Every asked-for shop is a key, with an empty list when it runs nothing."""
        found: dict[int, list[Promotion]] = {shop_id: [] for shop_id in shop_ids}
        if found:
            for row in (await self.session.execute(_NOT_ENDED_FOR_SHOPS, {"shop_ids": list(found)})).all():
                found[row.shop_id].append(PROMOTION.entity(row))
        return found
