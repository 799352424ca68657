"""Shop coupons and the copies buyers claimed."""

from __future__ import annotations

from sqlalchemy import select, update

from domain.coupons import Coupon, CouponClaim, CouponStatus
from storage.models import CouponClaimRow, CouponRow
from storage.repositories.base import AggregateRepository
from storage.repositories.mapping import RowMapper

COUPON = RowMapper(Coupon, CouponRow)
CLAIM = RowMapper(CouponClaim, CouponClaimRow)


class SqlCouponRepository(AggregateRepository):
    async def get(self, coupon_id: int) -> Coupon | None:
        return await self.first_entity(COUPON, select(CouponRow).where(CouponRow.id == coupon_id))

    async def by_code(self, code: str) -> Coupon | None:
        return await self.first_entity(COUPON, select(CouponRow).where(CouponRow.code == code))

    async def add(self, coupon: Coupon) -> Coupon:
        await self.add_aggregate(COUPON, coupon)
        return coupon

    async def save(self, coupon: Coupon) -> None:
        await self.save_aggregate(COUPON, coupon)

    async def for_shop(self, shop_id: int | None, *, include_ended: bool = False) -> list[Coupon]:
        of_shop = CouponRow.shop_id.is_(None) if shop_id is None else CouponRow.shop_id == shop_id
        stmt = select(CouponRow).where(of_shop)
        if not include_ended:
            stmt = stmt.where(CouponRow.status != str(CouponStatus.ENDED))
        return [COUPON.entity(row) for row in await self.all(stmt.order_by(CouponRow.id))]

    async def take_copy(self, coupon_id: int) -> bool:
        stmt = (
            update(CouponRow)
            .where(
                CouponRow.id == coupon_id,
                CouponRow.claimed < CouponRow.total,
                CouponRow.status == str(CouponStatus.ACTIVE),
            )
            .values(claimed=CouponRow.claimed + 1, version=CouponRow.version + 1)
        )
        return (await self.session.execute(stmt)).rowcount == 1  # type: ignore[attr-defined]

    async def add_claim(self, claim: CouponClaim) -> CouponClaim:
        claim.id = await self.insert_returning_id(CouponClaimRow, CLAIM.values(claim))
        return claim

    async def claims_of(self, user_id: int, coupon_id: int | None = None) -> list[CouponClaim]:
        stmt = select(CouponClaimRow).where(CouponClaimRow.user_id == user_id)
        if coupon_id is not None:
            stmt = stmt.where(CouponClaimRow.coupon_id == coupon_id)
        return [CLAIM.entity(row) for row in await self.all(stmt.order_by(CouponClaimRow.id))]

    async def use_claim(self, claim_id: int, order_id: int) -> bool:
        stmt = (
            update(CouponClaimRow)
            .where(CouponClaimRow.id == claim_id, CouponClaimRow.order_id.is_(None))
            .values(order_id=order_id)
        )
        return (await self.session.execute(stmt)).rowcount == 1  # type: ignore[attr-defined]

    async def release(self, order_id: int) -> list[int]:
        stmt = (
            update(CouponClaimRow)
            .where(CouponClaimRow.order_id == order_id)
            .values(order_id=None)
            .returning(CouponClaimRow.coupon_id)
        )
        return list((await self.session.execute(stmt)).scalars().all())
