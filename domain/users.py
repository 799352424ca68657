"""Users, their language and roles, and their saved delivery addresses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from domain.regions import region_of

if TYPE_CHECKING:
    from domain.ports import UserRepository


class Language(StrEnum):
    EN = "en"
    ZH = "zh"

    @classmethod
    def from_telegram(cls, code: str | None, default: Language) -> Language:
        if not code:
            return default
        code = code.lower()
        if code.startswith("zh"):
            return cls.ZH
        if code.startswith("en"):
            return cls.EN
        return default


class Role(StrEnum):
    BUYER = "buyer"
    MERCHANT = "merchant"
    ADMIN = "admin"


@dataclass
class User:
    id: int  # the Telegram user id; private chat id is the same number
    first_name: str
    username: str | None
    language: Language
    created_at: datetime
    language_chosen: bool = False  # set by /language; then Telegram's code no longer overrides it
    time_zone: str | None = None  # an IANA name set in /timezone; None: the language's default (zh: Asia/Shanghai)
    is_admin: bool = False  # appointed by another admin (the settings list is admin regardless)
    unreachable: bool = False  # blocked the bot; the outbox stops sending
    default_address_id: int | None = None  # offered first at checkout; the first saved address until changed
    welcomed_at: datetime | None = None  # first greeted (with the menu keyboard); deep links greet until then
    version: int = 0

    @property
    def display_name(self) -> str:
        return self.first_name or (f"@{self.username}" if self.username else str(self.id))

    @property
    def name_and_handle(self) -> str:
        """How admins see a person: "Bob (@bob)", or the name alone when there is no @username."""
        if self.first_name and self.username:
            return f"{self.first_name} (@{self.username})"
        return self.display_name


async def name_of(users: UserRepository, user_id: int | None) -> str:
    """A person's ``name_and_handle`` by id; the bare id for someone the bot never met (or "—" for nobody)."""
    if user_id is None:
        return "—"
    user = await users.get(user_id)
    return user.name_and_handle if user is not None else str(user_id)


@dataclass
class Address:
    id: int
    user_id: int
    name: str
    phone: str
    text: str
    created_at: datetime = field(compare=False)
    region: str | None = None  # the delivery region the buyer picked (domain.regions); None: read from the text

    @property
    def delivery_region(self) -> str:
        """Where shipping fees are priced to: the region picked, else the one the text names (older addresses)."""
        return self.region or region_of(self.text)

    def snapshot(self) -> AddressSnapshot:
        return AddressSnapshot(self.name, self.phone, self.text, self.region)


@dataclass(frozen=True)
class AddressSnapshot:
    """The address as it was at checkout; later edits of the saved address do not move parcels."""

    name: str
    phone: str
    text: str
    region: str | None = field(default=None, compare=False)  # picked by the buyer; orders keep their fee, not this

    @property
    def delivery_region(self) -> str:
        return self.region or region_of(self.text)

    def one_line(self) -> str:
        return f"{self.name}, {self.phone}, {self.text}"
