"""Well-known identities of the sandbox world, so settings and tests can refer to them."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_BOT_TOKEN = "123456789:SANDBOX-token-not-a-secret"
DEFAULT_BOT_USERNAME = "shopbot_sandbox_bot"
DEFAULT_BOT_NAME = "Shopbot Sandbox"

BUYER_ALICE_ID = 1001
BUYER_XIAOMING_ID = 1002
MERCHANT_BOB_ID = 2001
ADMIN_ADA_ID = 9001

# Ids handed out to users created without an explicit id (the "add user" button).
FIRST_GENERATED_USER_ID = 5001


@dataclass(frozen=True)
class UserSeed:
    id: int
    first_name: str
    username: str | None
    language_code: str


DEFAULT_USERS: tuple[UserSeed, ...] = (
    UserSeed(BUYER_ALICE_ID, "Buyer Alice", "alice", "en"),
    UserSeed(BUYER_XIAOMING_ID, "Buyer 小明", "xiaoming", "zh"),
    UserSeed(MERCHANT_BOB_ID, "Merchant Bob", "bob_shop", "en"),
    UserSeed(ADMIN_ADA_ID, "Admin Ada", "ada_admin", "en"),
)
