"""What every Bot API method and user action works on: the world, flood control and options."""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.faults import Faults
from sandbox.rate_limit import RateLimiter
from sandbox.state import World


@dataclass
class SandboxOptions:
    # Telegram refuses to message a user who never wrote to the bot ("bot can't initiate conversation").
    strict_first_contact: bool = False
    # How long a user waits for the bot to answer a pre-checkout or inline query (Telegram: 10 s).
    query_answer_timeout: float = 10.0
    # BotFather's /setinlinefeedback: the bot gets a chosen_inline_result update for each result posted.
    inline_feedback: bool = False


@dataclass
class SandboxContext:
    world: World
    limiter: RateLimiter
    token: str
    options: SandboxOptions = field(default_factory=SandboxOptions)
    faults: Faults = field(default_factory=Faults)
