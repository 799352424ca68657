"""Telegram's HTML subset: the parser that rejects what Telegram rejects, and a whitelist renderer.

``parse_html`` turns a ``parse_mode=HTML`` text into plain text plus message entities (offsets in
UTF-16 code units, as in the Bot API) or raises :class:`HtmlParseError` with Telegram's wording.
``render_html`` turns plain text plus entities back into HTML that is safe to put into a web page:
only whitelisted tags are produced and every piece of text is escaped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

# Tag -> entity type. Everything else is an "Unsupported start tag".
TAG_ENTITY_TYPES: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
SAFE_LINK_SCHEMES = ("http://", "https://", "tg://", "mailto:")

_ENTITY_RE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_ATTR_RE = re.compile(r"""\s*([a-zA-Z_-]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")


class HtmlParseError(ValueError):
    """Raised with the part of Telegram's message after ``can't parse entities: ``."""


@dataclass(frozen=True)
class FormattedText:
    text: str
    entities: tuple[dict[str, Any], ...] = ()


@dataclass
class _OpenTag:
    name: str
    utf16_start: int
    attrs: dict[str, str] = field(default_factory=dict)
    order: int = 0
    # <pre><code class="language-x"> is one "pre" entity with a language, not two entities.
    merged_into_pre: bool = False


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def _decode_entity(source: str, index: int) -> tuple[str, int] | None:
    """The character an HTML entity at ``index`` stands for and its length, or None (literal '&')."""
    match = _ENTITY_RE.match(source, index)
    if not match:
        return None
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        char = NAMED_ENTITIES.get(name)
        return (char, match.end() - index) if char else None
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end() - index


def _unescape_attr(value: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(value):
        decoded = _decode_entity(value, i) if value[i] == "&" else None
        if decoded:
            out.append(decoded[0])
            i += decoded[1]
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _parse_attrs(raw: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for match in _ATTR_RE.finditer(raw):
        name, dq, sq, bare = match.groups()
        value = dq if dq is not None else sq if sq is not None else bare if bare is not None else ""
        attrs[name.lower()] = _unescape_attr(value)
    return attrs


def _entity_for(tag: _OpenTag, offset: int, length: int) -> dict[str, Any]:
    kind = TAG_ENTITY_TYPES[tag.name]
    entity: dict[str, Any] = {"type": kind, "offset": offset, "length": length}
    if tag.name == "a":
        entity["url"] = tag.attrs.get("href", "")
    elif tag.name == "pre" and tag.attrs.get("language"):
        entity["language"] = tag.attrs["language"]
    elif tag.name == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.attrs.get("emoji-id", "")
    return entity


def _check_open_tag(tag: _OpenTag, stack: list[_OpenTag]) -> None:
    if tag.name == "span" and tag.attrs.get("class") != "tg-spoiler":
        raise HtmlParseError('Tag "span" must have class "tg-spoiler"')
    if tag.name == "tg-emoji" and not tag.attrs.get("emoji-id"):
        raise HtmlParseError('Tag "tg-emoji" must have attribute "emoji-id"')
    if tag.name == "code" and stack and stack[-1].name == "pre":
        language = tag.attrs.get("class", "")
        if language.startswith("language-"):
            stack[-1].attrs["language"] = language.removeprefix("language-")
            tag.merged_into_pre = True


def parse_html(source: str) -> FormattedText:
    """Parse Telegram-flavoured HTML into plain text and entities, rejecting malformed markup."""
    out: list[str] = []
    utf16_pos = 0
    stack: list[_OpenTag] = []
    entities: list[tuple[int, dict[str, Any]]] = []
    opened = 0
    i = 0
    n = len(source)
    while i < n:
        char = source[i]
        if char == "&":
            decoded = _decode_entity(source, i)
            text, step = decoded if decoded else ("&", 1)
            out.append(text)
            utf16_pos += utf16_len(text)
            i += step
            continue
        if char != "<":
            out.append(char)
            utf16_pos += 2 if ord(char) > 0xFFFF else 1
            i += 1
            continue
        start = i
        close = source.find(">", i)
        if source.startswith("</", i):
            if close == -1:
                raise HtmlParseError(f"Unclosed end tag at byte offset {_byte_offset(source, start)}")
            name = source[i + 2 : close].strip().lower()
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {_byte_offset(source, start)}")
            if name != stack[-1].name:
                raise HtmlParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(source, start)}, "
                    f'expected "</{stack[-1].name}>", found "</{name}>"'
                )
            tag = stack.pop()
            if utf16_pos > tag.utf16_start and not tag.merged_into_pre:
                entities.append((tag.order, _entity_for(tag, tag.utf16_start, utf16_pos - tag.utf16_start)))
            i = close + 1
            continue
        j = i + 1
        while j < n and not source[j].isspace() and source[j] != ">":
            j += 1
        name = source[i + 1 : j].lower()
        if name not in TAG_ENTITY_TYPES:
            raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {_byte_offset(source, start)}')
        if close == -1:
            raise HtmlParseError(f"Unclosed start tag at byte offset {_byte_offset(source, start)}")
        opened += 1
        tag = _OpenTag(name, utf16_pos, _parse_attrs(source[j:close]), order=opened)
        _check_open_tag(tag, stack)
        stack.append(tag)
        i = close + 1
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda item: (item[1]["offset"], -item[1]["length"], item[0]))
    return FormattedText("".join(out), tuple(entity for _, entity in entities))


def plain(text: str) -> FormattedText:
    return FormattedText(text, ())


# ---- rendering for the web page -------------------------------------------------------------------

_RENDER_TAGS: dict[str, tuple[str, str]] = {
    "bold": ("<b>", "</b>"),
    "italic": ("<i>", "</i>"),
    "underline": ("<u>", "</u>"),
    "strikethrough": ("<s>", "</s>"),
    "spoiler": ('<span class="tg-spoiler">', "</span>"),
    "code": ("<code>", "</code>"),
    "pre": ("<pre>", "</pre>"),
    "blockquote": ("<blockquote>", "</blockquote>"),
    "expandable_blockquote": ('<blockquote class="expandable">', "</blockquote>"),
    "bot_command": ('<span class="bot-command">', "</span>"),
}


def _open_close(entity: dict[str, Any]) -> tuple[str, str]:
    kind = entity.get("type", "")
    if kind == "text_link":
        url = str(entity.get("url", ""))
        if url.lower().startswith(SAFE_LINK_SCHEMES):
            return (
                f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">',
                "</a>",
            )
        return '<span class="link">', "</span>"
    return _RENDER_TAGS.get(kind, ("", ""))


def render_html(formatted: FormattedText) -> str:
    """Whitelisted HTML for plain text plus entities; all text is escaped."""
    text = formatted.text
    # Map UTF-16 offsets to string indices.
    index_of: dict[int, int] = {}
    pos = 0
    for idx, char in enumerate(text):
        index_of[pos] = idx
        pos += 2 if ord(char) > 0xFFFF else 1
    index_of[pos] = len(text)

    spans: list[tuple[int, int, str, str]] = []
    for entity in formatted.entities:
        start = index_of.get(int(entity.get("offset", 0)))
        end = index_of.get(int(entity.get("offset", 0)) + int(entity.get("length", 0)))
        if start is None or end is None or end <= start:
            continue
        opening, closing = _open_close(entity)
        if opening:
            spans.append((start, end, opening, closing))
    spans.sort(key=lambda s: (s[0], -s[1]))

    out: list[str] = []
    stack: list[tuple[int, str]] = []
    cursor = 0
    for start, end, opening, closing in spans:
        while stack and stack[-1][0] <= start:
            out.append(html.escape(text[cursor : stack[-1][0]]))
            cursor = stack[-1][0]
            out.append(stack.pop()[1])
        out.append(html.escape(text[cursor:start]))
        cursor = start
        out.append(opening)
        # Clip to the enclosing span so tags always nest.
        stack.append((min(end, stack[-1][0]) if stack else end, closing))
    while stack:
        out.append(html.escape(text[cursor : stack[-1][0]]))
        cursor = stack[-1][0]
        out.append(stack.pop()[1])
    out.append(html.escape(text[cursor:]))
    return "".join(out)
