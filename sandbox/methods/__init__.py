"""Bot API methods, one module per area; importing this package registers them all."""

from sandbox.methods import commands, core, media, messages, payments, queries, updates
from sandbox.methods.registry import api_method, find_method, method_names

__all__ = [
    "api_method",
    "commands",
    "core",
    "find_method",
    "media",
    "messages",
    "method_names",
    "payments",
    "queries",
    "updates",
]
