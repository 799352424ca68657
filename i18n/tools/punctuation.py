"""Chinese punctuation in zh texts: ASCII ``, : ; ! ? ( ) "`` that belong to a Chinese sentence become
``，：；！？（）“”``. HTML tags, entities, ``<code>`` and ``{placeholders}`` are left alone, as are digits'
separators (``12:30``, ``1,000``).

``fix(text)`` rewrites a template; ``offences(text)`` lists what the catalogue test refuses: an ASCII mark with a
CJK character next to it (spaces skipped).
"""

from __future__ import annotations

import re

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
_PROTECTED = re.compile(r"<(code|pre)>.*?</\1>|<[^>]*>|\{[^{}]*\}|&#?\w+;", re.S)
_MARKS = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
CHECKED = ",:;!?()"


def _protected_mask(text: str) -> list[bool]:
    mask = [False] * len(text)
    for match in _PROTECTED.finditer(text):
        for index in range(match.start(), match.end()):
            mask[index] = True
    return mask


def _neighbour(text: str, index: int, step: int) -> str:
    index += step
    while 0 <= index < len(text) and text[index] == " ":
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _chinese_side(char: str) -> bool:
    """A neighbour that makes a mark Chinese: a CJK character, or a placeholder/tag ending next to it."""
    return bool(CJK.match(char)) or char in "}>"


def fix(text: str) -> str:
    if not CJK.search(text):
        return text
    chars = list(text)
    mask = _protected_mask(text)
    converted: set[int] = set()
    for index, char in enumerate(text):
        if mask[index] or char not in _MARKS:
            continue
        before, after = _neighbour(text, index, -1), _neighbour(text, index, 1)
        if before.isdigit() and after.isdigit():
            continue
        if char in ":?" and after == "/" and before.isascii() and before.isalnum():
            continue
        if (
            CJK.match(before)
            or CJK.match(after)
            or before == "”"
            or (before in "}>" and (after in "{\n" or _chinese_side(after)))
        ):
            chars[index] = _MARKS[char]
            converted.add(index)
    for opening, closing, pair in _pairs(text, mask):
        inside = text[opening + 1 : closing]
        if CJK.search(inside) or CJK.match(_neighbour(text, opening, -1)) or CJK.match(_neighbour(text, closing, 1)):
            chars[opening], chars[closing] = pair
            converted.update((opening, closing))
    return _tighten(chars, converted)


def _pairs(text: str, mask: list[bool]) -> list[tuple[int, int, tuple[str, str]]]:
    pairs = []
    stack: list[int] = []
    for index, char in enumerate(text):
        if mask[index]:
            continue
        if char == "(":
            stack.append(index)
        elif char == ")" and stack:
            pairs.append((stack.pop(), index, ("（", "）")))
    quotes = [index for index, char in enumerate(text) if char == '"' and not mask[index]]
    pairs.extend((quotes[i], quotes[i + 1], ("“", "”")) for i in range(0, len(quotes) - 1, 2))
    return pairs


def _tighten(chars: list[str], converted: set[int]) -> str:
    """No spaces around a converted full-width mark (Chinese sets none), line breaks kept."""
    drop: set[int] = set()
    for index in converted:
        if chars[index] in "“”":
            continue
        for step in (-1, 1):
            if (chars[index] == "（" and step == 1) or (chars[index] == "）" and step == -1):
                continue
            other = index + step
            while 0 <= other < len(chars) and chars[other] == " ":
                drop.add(other)
                other += step
    return "".join(char for index, char in enumerate(chars) if index not in drop)


def offences(text: str) -> list[str]:
    """Each ASCII mark of ``CHECKED`` with a CJK character beside it (outside markup, entities and ``<code>``),
    shown in its context."""
    found = []
    mask = _protected_mask(text)
    for index, char in enumerate(text):
        if (
            char in CHECKED
            and not mask[index]
            and (CJK.match(_neighbour(text, index, -1)) or CJK.match(_neighbour(text, index, 1)))
        ):
            found.append(text[max(0, index - 8) : index + 9])
    return found
