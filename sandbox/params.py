"""Bot API request parameters, whichever way they arrived.

Telegram accepts query strings, ``application/x-www-form-urlencoded``, ``multipart/form-data`` and JSON.
In the form encodings every value is a string and objects/arrays are JSON-encoded strings, so values are
decoded by the type the method expects, never guessed: ``text="[1]"`` stays a string.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sandbox.errors import bad_request

N = TypeVar("N", int, float)


@dataclass(frozen=True)
class Upload:
    """A file that came in a multipart request."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes


class Params:
    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload] | None = None) -> None:
        self._values = values
        self.uploads = uploads or {}

    def __contains__(self, name: str) -> bool:
        return self._values.get(name) not in (None, "")

    def _given(self, name: str, *, required: bool = False) -> Any:
        """The parameter's value, or None when it is missing or empty (refused if ``required``)."""
        value = self._values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return None
        return value

    def raw(self, name: str) -> Any:
        return self._values.get(name)

    def str(self, name: str, default: str | None = None, *, required: bool = False) -> str | None:
        value = self._given(name, required=required)
        if value is None:
            return default
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def req_str(self, name: str) -> str:
        value = self.str(name, required=True)
        assert value is not None
        return value

    def _number(self, name: str, convert: Callable[[Any], N], *, required: bool = False) -> N | None:
        """The parameter converted to a number, None when it is missing or empty; refused when it is not a number."""
        value = self._given(name, required=required)
        if value is None:
            return None
        try:
            return convert(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def int(self, name: str, default: int | None = None, *, required: bool = False) -> int | None:
        value = self._number(name, int, required=required)
        return default if value is None else value

    def req_int(self, name: str) -> int:
        value = self.int(name, required=True)
        assert value is not None
        return value

    def float(self, name: str, default: float = 0.0) -> float:
        value = self._number(name, float)
        return default if value is None else value

    def bool(self, name: str, default: bool = False) -> bool:
        value = self._given(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in ("true", "1", "yes")

    def json(self, name: str, default: Any = None) -> Any:
        """An object/array parameter: JSON-decoded if it arrived as a string."""
        value = self._given(name)
        if value is None:
            return default
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
        return value

    def upload(self, name: str) -> Upload | None:
        return self.uploads.get(name)
