"""Variants (规格): a product's options, and the SKUs their combinations make.

- **Options.** At most two, each a name and its values in the merchant's words, typed one option a line:
  ``Colour: Red, Blue`` / ``Size: S, M, L`` (``:`` or ``：``; values split by ``,``, ``，`` or ``、``). A value
  appears once per option, case aside ("Red" and "red" are one value, written as first typed; typing it in another
  case later re-spells it and keeps its SKU); at most ``MAX_SKUS`` combinations in all. Names and values cannot hold
  ``/``, ``=`` or ``*`` (the SKU lines' separators).
- **SKUs.** One per combination, each with its own price, stock and optional code (and photo). Typed in bulk, one
  line per SKU, ``Red / S = 99 10 RS-01`` (values in the options' order, then price, stock, code); ``* = 99 10``
  sets every SKU. A line of values that are not a combination is refused; SKUs not named keep what they had.
- A product without options is sold as itself, exactly as before.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.errors import DomainError, ErrorCode
from domain.money import Money, minor_digits
from domain.validation import clean_text, parse_price, parse_stock

MAX_OPTIONS = 2
MAX_SKUS = 50
MAX_NAME = 20  # an option's name or value
MAX_CODE = 64
EVERY = "*"
LABEL_JOIN = " · "

_OPTION_LINE = re.compile(r"^(?P<name>[^:：]+)[:：](?P<values>.*)$")
_VALUE_SPLIT = re.compile(r"[,，、]")
_SKU_LINE = re.compile(r"^(?P<values>[^=]+)=(?P<rest>.*)$")
_SKU_VALUES = re.compile(r"[/／]")


@dataclass(frozen=True)
class SkuSpec:
    """What one SKU is to be: its values (one per option), price, stock and code."""

    values: tuple[str, ...]
    price: Money
    stock: int
    code: str = ""

    @property
    def label(self) -> str:
        return LABEL_JOIN.join(self.values)


_RESERVED = re.compile(r"[/／=*]")  # what the SKU lines use to separate values from the price


def _word(text: str, field: str, limit: int = MAX_NAME) -> str:
    word = clean_text(text, limit, field)
    if "\n" in word:
        raise DomainError(ErrorCode.NOT_ONE_LINE, field=field)
    return word


def _option_word(text: str, line: str) -> str:
    """An option's name or value: one line, at most ``MAX_NAME`` characters, none of ``/ = *``."""
    word = _word(text, "option")
    if _RESERVED.search(word):
        raise DomainError(ErrorCode.INVALID_OPTIONS, reason="reserved_character", line=line[:40])
    return word


def parse_options(typed: str) -> list[dict[str, Any]]:
    """The options typed one a line (``Colour: Red, Blue``); ``[]`` for nothing. INVALID_OPTIONS says what is wrong."""
    lines = [line.strip() for line in (typed or "").splitlines() if line.strip()]
    if len(lines) > MAX_OPTIONS:
        raise DomainError(ErrorCode.INVALID_OPTIONS, reason="too_many_options", line=lines[MAX_OPTIONS][:40])
    options: list[dict[str, Any]] = []
    for line in lines:
        match = _OPTION_LINE.match(line)
        if match is None:
            raise DomainError(ErrorCode.INVALID_OPTIONS, reason="no_name", line=line[:40])
        name = _option_word(match["name"], line)
        values = [_option_word(value, line) for value in _VALUE_SPLIT.split(match["values"]) if value.strip()]
        if not values:
            raise DomainError(ErrorCode.INVALID_OPTIONS, reason="no_values", line=line[:40])
        if len({value.casefold() for value in values}) != len(values):
            raise DomainError(ErrorCode.INVALID_OPTIONS, reason="repeated_value", line=line[:40])
        if any(option["name"].casefold() == name.casefold() for option in options):
            raise DomainError(ErrorCode.INVALID_OPTIONS, reason="repeated_name", line=line[:40])
        options.append({"name": name, "values": values})
    if len(combinations(options)) > MAX_SKUS:
        raise DomainError(ErrorCode.INVALID_OPTIONS, reason="too_many_skus", line=lines[-1][:40])
    return options


def options_text(options: Sequence[Mapping[str, Any]]) -> str:
    """The options as typed back (``parse_options`` reads it again): one line per option."""
    return "\n".join(f"{option['name']}: {', '.join(option['values'])}" for option in options)


def combinations(options: Sequence[Mapping[str, Any]]) -> list[tuple[str, ...]]:
    """Every SKU's values, in the options' order (the first option varies slowest); none without options."""
    if not options:
        return []
    return list(itertools.product(*(option["values"] for option in options)))


def values_key(values: Sequence[str]) -> tuple[str, ...]:
    """Values as compared: "Red" and "red " are one value (the first spelling is kept)."""
    return tuple(value.strip().casefold() for value in values)


def first_spellings(values: Iterable[str]) -> list[str]:
    """``values`` without the ones that differ from an earlier one only in case, each as first written."""
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.strip().casefold(), value)
    return list(seen.values())


def spelled_as(value: str, known: Sequence[str]) -> str:
    """``value`` as ``known`` spells it (case aside), else as it is."""
    return next((each for each in known if values_key([each]) == values_key([value])), value)


def parse_sku_lines(
    typed: str, options: Sequence[Mapping[str, Any]], current: Mapping[tuple[str, ...], SkuSpec], currency: str
) -> list[SkuSpec]:
    """The whole SKU table after the merchant's lines (``Red / S = 99 10 code``; ``* = 99 10`` for all) are
    applied to ``current`` (values → spec, one for every combination)."""
    combos = combinations(options)
    by_key = {values_key(combo): combo for combo in combos}
    table = {combo: current[combo] for combo in combos}
    lines = [line.strip() for line in (typed or "").splitlines() if line.strip()]
    if not lines:
        raise DomainError(ErrorCode.INVALID_SKUS, reason="empty", line="")
    for line in lines:
        match = _SKU_LINE.match(line)
        if match is None:
            raise DomainError(ErrorCode.INVALID_SKUS, reason="no_equals", line=line[:40])
        parts = match["rest"].split()
        if len(parts) not in (2, 3):
            raise DomainError(ErrorCode.INVALID_SKUS, reason="price_stock", line=line[:40])
        price, stock = parse_price(parts[0], currency), parse_stock(parts[1])
        code = _word(parts[2], "code", MAX_CODE) if len(parts) == 3 and parts[2] else None
        named = match["values"].strip()
        if named == EVERY:
            targets = combos
        else:
            combo = by_key.get(values_key(_SKU_VALUES.split(named)))
            if combo is None:
                raise DomainError(ErrorCode.INVALID_SKUS, reason="unknown_combination", line=line[:40])
            targets = [combo]
        for target in targets:
            kept = table[target].code
            table[target] = SkuSpec(target, price, stock, kept if code is None else code)
    return [table[combo] for combo in combos]


def sku_table_text(specs: Sequence[SkuSpec]) -> str:
    """The SKU table in the typed form (``parse_sku_lines`` reads it back unchanged)."""
    lines = []
    for spec in specs:
        code = f" {spec.code}" if spec.code else ""
        lines.append(f"{' / '.join(spec.values)} = {plain_amount(spec.price)} {spec.stock}{code}")
    return "\n".join(lines)


def plain_amount(price: Money) -> str:
    """A price as a merchant types it: ``99.50``, no symbol and no grouping (``Money.parse`` reads it back)."""
    digits = minor_digits(price.currency)
    if digits == 0:
        return str(price.amount)
    return f"{price.amount // 10**digits}.{price.amount % 10**digits:0{digits}d}"


def find_combination(typed: str, options: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The combination typed as its values (``Red / S``, any case); INVALID_SKUS if it is none of them."""
    wanted = values_key(_SKU_VALUES.split(typed or ""))
    for combo in combinations(options):
        if values_key(combo) == wanted:
            return combo
    raise DomainError(ErrorCode.INVALID_SKUS, reason="unknown_combination", line=(typed or "")[:40])
