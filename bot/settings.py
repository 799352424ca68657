"""Settings from the environment and ``.env`` (prefix ``SHOPBOT_``); invalid ones fail in one clear line."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.money import MINOR_DIGITS, Money
from domain.policy import Deadlines, Policy
from domain.shops import ShopType
from handlers.common.context import HandlerSettings
from storage.transaction_guard import GuardMode

_DURATION = re.compile(r"^\s*(\d+)\s*(s|m|h|d)?\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}


def parse_duration(value: object) -> timedelta:
    """``90`` (seconds), ``30s``, ``30m``, ``48h`` or ``10d``."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError(f"{value!r} is not a duration; use e.g. 90, 30s, 30m, 48h or 10d")
        seconds = int(match.group(1)) * _UNITS[match.group(2)]
    if seconds <= 0:
        raise ValueError("a duration must be positive")
    return timedelta(seconds=seconds)


Duration = Annotated[timedelta, NoDecode]


SMTP_SCHEMES = {"smtp": "auto", "smtp+starttls": "starttls", "smtps": "tls", "smtp+plain": "none"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHOPBOT_", env_file=".env", extra="ignore")

    bot_token: str = ""
    api_base_url: str = "https://api.telegram.org/bot"
    api_file_url: str = ""  # defaults to the base URL's host with /file/bot
    database_url: str = "sqlite+aiosqlite:///./shopbot.db"
    admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    currency: str = "XTR"
    default_language: Literal["en", "zh"] = "en"
    payment_provider_token: str = ""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    pay_deadline: Duration = timedelta(minutes=30)
    group_fill_deadline: Duration = timedelta(hours=24)
    ship_deadline: Duration = timedelta(hours=48)
    confirm_receipt_deadline: Duration = timedelta(days=10)
    ticket_answer_deadline: Duration = timedelta(hours=48)
    return_ship_deadline: Duration = timedelta(days=7)
    return_receive_deadline: Duration = timedelta(days=10)
    review_window: Duration = timedelta(days=15)
    deposit_deadline: Duration = timedelta(days=7)
    after_sale_window: Duration = timedelta(days=15)
    receipt_extension: Duration = timedelta(days=3)
    remind_pay_before: Duration = timedelta(minutes=10)
    remind_ship_before: Duration = timedelta(hours=12)
    remind_group_before: Duration = timedelta(hours=2)
    alert_fallback_after: Duration = timedelta(hours=2)  # a paid order not accepted by then: alert by e-mail/SMS too
    evaluation_time: str = "03:00"  # nightly shop evaluation, UTC HH:MM
    digest_time: str = "08:00"  # merchants' daily digest of what is due tomorrow, UTC HH:MM
    price_drop_time: str = "10:00"  # buyers' daily note of favourites that got cheaper, UTC HH:MM

    deposit_individual: int = Field(1000, ge=0)  # minor units of the currency
    deposit_enterprise: int = Field(5000, ge=0)
    deposit_flagship: int = Field(10000, ge=0)

    sweep_interval: float = Field(1.0, gt=0)
    outbox_interval: float = Field(0.2, gt=0)
    outbox_rate: float = Field(30.0, gt=0)  # messages per second overall
    outbox_chat_rate: float = Field(1.0, gt=0)  # messages per second to one chat
    outbox_max_attempts: int = Field(8, ge=1)
    sandbox_carrier_step: Duration = timedelta(hours=6)
    reconcile_every: Duration = timedelta(minutes=10)  # Telegram's Stars record checked against ours (and at start-up)
    user_rate_limit: int = Field(20, ge=1)  # updates one user may send per window before only they are slowed
    user_rate_window: float = Field(10.0, gt=0)  # seconds
    import_interval: float = Field(1.0, gt=0)  # seconds between two looks for product imports to run
    import_batch_rows: int = Field(500, ge=1, le=5000)  # CSV rows added per committed transaction
    # seconds between two batches of one import: leaves the database to other writers (SQLite has one at a time)
    import_batch_pause: float = Field(0.0, ge=0, le=5)
    # A Bot API call while a database transaction is open: off, warn (the sandbox's default) or raise (the tests).
    transaction_guard: GuardMode = GuardMode.OFF
    update_max_attempts: int = Field(3, ge=1)  # tries of a failing update before it is given up (dead-lettered)

    # Merchant alerts by e-mail (README "Alerts"): SMTP_URL, or host/port/user/password; no host means no e-mail.
    smtp_url: str = ""  # smtp://user:pass@host:587 (STARTTLS when offered), smtp+starttls://…, smtps://… (TLS)
    smtp_host: str = ""
    smtp_port: int = Field(0, ge=0, le=65535)  # 0: 25, or 465 with TLS
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "shopbot <shopbot@localhost>"
    smtp_security: Literal["auto", "starttls", "tls", "none"] = "auto"
    public_url: str = "http://localhost:8080"  # where the webhook server is reached: unsubscribe links point there
    unsubscribe_secret: str = ""  # signs unsubscribe links; empty: derived from the bot token

    # Merchant alerts by SMS (README "Alerts"): "log" writes them to the log, "http" posts them to a provider.
    sms_provider: Literal["log", "http"] = "log"
    sms_url: str = ""  # https://api.twilio.com/2010-04-01/Accounts/<sid>/Messages.json
    sms_auth: Literal["none", "basic", "bearer"] = "none"
    sms_user: str = ""  # basic auth's user (Twilio: the account SID)
    sms_secret: str = ""  # basic auth's password or the bearer token (Twilio: the auth token)
    sms_body: dict[str, Any] = Field(default_factory=lambda: {"to": "{to}", "text": "{text}"})  # JSON in the env
    sms_format: Literal["form", "json"] = "form"
    sms_timeout: float = Field(15.0, gt=0)

    @field_validator(
        "pay_deadline",
        "group_fill_deadline",
        "ship_deadline",
        "confirm_receipt_deadline",
        "ticket_answer_deadline",
        "return_ship_deadline",
        "return_receive_deadline",
        "review_window",
        "deposit_deadline",
        "after_sale_window",
        "receipt_extension",
        "remind_pay_before",
        "remind_ship_before",
        "remind_group_before",
        "alert_fallback_after",
        "sandbox_carrier_step",
        "reconcile_every",
        mode="before",
    )
    @classmethod
    def _duration(cls, value: object) -> timedelta:
        return parse_duration(value)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> tuple[int, ...]:
        if isinstance(value, list | tuple):
            return tuple(int(v) for v in value)
        parts = [p.strip() for p in str(value or "").split(",") if p.strip()]
        for part in parts:
            if not part.lstrip("-").isdigit():
                raise ValueError(f"{part!r} is not a Telegram user id; use comma-separated numbers")
        return tuple(int(p) for p in parts)

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in SMTP_SCHEMES:
            raise ValueError(f"use one of {', '.join(sorted(SMTP_SCHEMES))}://user:password@host:port")
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        value = value.upper()
        if value not in MINOR_DIGITS:
            raise ValueError(f"unsupported currency {value!r}; one of {', '.join(sorted(MINOR_DIGITS))}")
        return value

    @field_validator("database_url")
    @classmethod
    def _db(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///path.db or postgresql+asyncpg://user@host/db")
        return value

    @field_validator("evaluation_time", "digest_time", "price_drop_time")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise ValueError("use HH:MM (24-hour, UTC)")
        return value

    @property
    def file_url(self) -> str:
        if self.api_file_url:
            return self.api_file_url
        base = self.api_base_url.rstrip("/")
        return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file/bot"

    def handler_settings(self) -> HandlerSettings:
        return HandlerSettings(
            default_language=self.default_language,
            payment_provider_token=self.payment_provider_token,
            sandbox_carrier_step=self.sandbox_carrier_step,
            user_rate_limit=self.user_rate_limit,
            user_rate_window=self.user_rate_window,
            update_max_attempts=self.update_max_attempts,
        )

    def policy(self) -> Policy:
        return Policy(
            currency=self.currency,
            default_language=self.default_language,
            deadlines=Deadlines(
                pay=self.pay_deadline,
                group_fill=self.group_fill_deadline,
                ship=self.ship_deadline,
                confirm_receipt=self.confirm_receipt_deadline,
                ticket_answer=self.ticket_answer_deadline,
                return_ship=self.return_ship_deadline,
                return_receive=self.return_receive_deadline,
                review_window=self.review_window,
                deposit=self.deposit_deadline,
                after_sale_window=self.after_sale_window,
                receipt_extension=self.receipt_extension,
                remind_pay=self.remind_pay_before,
                remind_ship=self.remind_ship_before,
                remind_group=self.remind_group_before,
                alert_fallback=self.alert_fallback_after,
            ),
            deposits={
                ShopType.INDIVIDUAL: Money(self.deposit_individual, self.currency),
                ShopType.ENTERPRISE: Money(self.deposit_enterprise, self.currency),
                ShopType.FLAGSHIP: Money(self.deposit_flagship, self.currency),
            },
            root_admin_ids=frozenset(self.admin_ids),
        )


class SettingsError(Exception):
    """Raised with one human line naming the bad setting."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "SHOPBOT_" + str(first["loc"][0]).upper() if first.get("loc") else "settings"
        message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        raise SettingsError(f"invalid setting {name}: {message}") from None
