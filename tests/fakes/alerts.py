"""In-memory merchants' alert preferences, behaving like storage/ does (versioned, no row = Telegram only)."""

from __future__ import annotations

from collections.abc import Sequence

from domain.alerts import AlertPreferences, UnreachableMerchant
from domain.errors import DomainError, ErrorCode
from tests.fakes.repositories import _Repo


class FakeAlerts(_Repo):
    async def get(self, user_id: int, *, for_update: bool = False) -> AlertPreferences | None:
        return await self.uow.read("alert_preferences", user_id, for_update=for_update)

    async def save(self, prefs: AlertPreferences) -> None:
        if prefs.version == 0:
            if self.uow.visible("alert_preferences", prefs.user_id) is not None:
                raise DomainError(ErrorCode.CONFLICT, entity="alert_preferences", id=prefs.user_id)
            prefs.version = 1
            await self.uow.insert("alert_preferences", prefs, key=prefs.user_id)
        else:
            await self.uow.update("alert_preferences", prefs, key=prefs.user_id)

    async def unreachable_merchants(self, statuses: Sequence[str], *, limit: int) -> list[UnreachableMerchant]:
        wanted = {str(s) for s in statuses}
        found = []
        for user in self.uow.select("users", lambda user: user.unreachable):
            for shop in self.uow.select("shops", lambda shop, owner=user.id: shop.owner_id == owner):
                orders = self.uow.select("orders", lambda o, s=shop.id: o.shop_id == s and str(o.status) in wanted)
                if orders:
                    prefs = self.uow.visible("alert_preferences", user.id)
                    phone, email = (prefs.phone, prefs.email) if prefs is not None else ("", "")
                    merchant = (user.id, user.first_name, user.username, shop.id, shop.name, len(orders), phone, email)
                    found.append(UnreachableMerchant(*merchant))
        return sorted(found, key=lambda m: (-m.open_orders, m.shop_id))[:limit]
