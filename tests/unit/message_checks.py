"""What the catalogue tests share: the blanks a message template asks to be filled."""

from __future__ import annotations

import string


def blanks(template: str) -> set[str]:
    """The names of the ``{placeholders}`` in a template: English and Chinese must ask for the same ones."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
