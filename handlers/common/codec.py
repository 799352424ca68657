"""The one callback_data codec: ``<ns><version>:<action>[:arg...]``, e.g. ``o1:acc:123``; ≤ 64 bytes.

A client can forge callback data, so decoding only checks the shape; every use case re-checks who may act.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
_PART = re.compile(r"^[A-Za-z0-9_.\-]*$")


@dataclass(frozen=True)
class Callback:
    ns: str
    action: str
    args: tuple[str, ...]

    def int_arg(self, index: int) -> int | None:
        """The argument as a strict non-negative int, or None when missing or not a number."""
        try:
            value = self.args[index]
        except IndexError:
            return None
        return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def encode(ns: str, action: str, *args: int | str) -> str:
    parts = [ns, action, *(str(a) for a in args)]
    for part in parts:
        if ":" in part or not _PART.match(part):
            raise ValueError(f"callback part {part!r} must be [A-Za-z0-9_.-]")
    data = ":".join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data {data!r} is over {MAX_BYTES} bytes")
    return data


def decode(data: str | None) -> Callback | None:
    """Parse callback data; None for anything malformed."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(":")
    if len(parts) < 2 or not all(_PART.match(p) for p in parts):
        return None
    return Callback(parts[0], parts[1], tuple(parts[2:]))


def pattern(ns: str, *actions: str) -> str:
    """A CallbackQueryHandler pattern for a namespace (and optionally some of its actions)."""
    if actions:
        return rf"^{re.escape(ns)}:({'|'.join(re.escape(a) for a in actions)})(:|$)"
    return rf"^{re.escape(ns)}:"
