"""Money as an integer count of minor units in one currency; never a float."""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import DomainError, ErrorCode

# Digits after the decimal point per ISO 4217 code; Telegram Stars have none.
MINOR_DIGITS: dict[str, int] = {"XTR": 0, "CNY": 2, "USD": 2, "EUR": 2, "GBP": 2, "JPY": 0, "RUB": 2}
SYMBOLS: dict[str, str] = {"XTR": "⭐", "CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "RUB": "₽"}


def minor_digits(currency: str) -> int:
    return MINOR_DIGITS.get(currency, 2)


def amount_error(value: object, currency: str, **more: object) -> DomainError:
    """INVALID_AMOUNT for ``value``, with an example of a price that works in ``currency`` for the message."""
    return DomainError(ErrorCode.INVALID_AMOUNT, value=value, example=price_example(currency), **more)


def price_example(currency: str, whole: int = 12) -> str:
    """A price as a merchant would type it in ``currency``: "12" for Stars, "12.50" for a 2-decimal currency
    (what ``Money.parse`` accepts, so every example shown is one that works)."""
    digits = minor_digits(currency)
    return f"{whole}.{'5'.ljust(digits, '0')}" if digits else str(whole)


@dataclass(frozen=True, slots=True, order=False)
class Money:
    amount: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError("Money amount must be an int of minor units")
        if len(self.currency) != 3 or not self.currency.isupper():
            raise ValueError(f"bad currency code {self.currency!r}")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def parse(cls, text: str, currency: str) -> Money:
        """Parse a user-typed price like ``12``, ``12.5`` or ``12.50`` strictly; reject anything else."""
        raw = text.strip().replace(",", ".")
        for prefix in (SYMBOLS.get(currency, ""), currency):
            if prefix and raw.startswith(prefix):
                raw = raw[len(prefix) :].strip()
        # Stars are shown as "120 ⭐" (symbol after the number), so accept what we show back.
        for suffix in (SYMBOLS.get(currency, ""), currency):
            if suffix and raw.endswith(suffix):
                raw = raw[: -len(suffix)].strip()
        digits = minor_digits(currency)
        whole, _, frac = raw.partition(".")
        if not whole.isascii() or not whole.isdigit() or (frac and (not frac.isascii() or not frac.isdigit())):
            raise amount_error(text, currency)
        if len(frac) > digits or (_ and not frac) or len(whole) > 12:
            raise amount_error(text, currency)
        amount = int(whole) * 10**digits + (int(frac.ljust(digits, "0")) if digits else 0)
        return cls(amount, currency)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError("can only combine Money with Money")
        if other.currency != self.currency:
            raise DomainError(ErrorCode.CURRENCY_MISMATCH, left=self.currency, right=other.currency)

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: int) -> Money:
        if not isinstance(factor, int) or isinstance(factor, bool):
            raise TypeError("Money can only be multiplied by an int")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount >= other.amount

    def clamp_non_negative(self) -> Money:
        return self if self.amount >= 0 else Money(0, self.currency)

    def percent(self, pct: int) -> Money:
        """``pct`` percent of this amount, rounded half up to the minor unit."""
        return Money((self.amount * pct * 2 + 100) // 200, self.currency)

    @property
    def is_zero(self) -> bool:
        return self.amount == 0

    def format(self) -> str:
        digits = minor_digits(self.currency)
        sign = "-" if self.amount < 0 else ""
        value = abs(self.amount)
        symbol = SYMBOLS.get(self.currency, self.currency + " ")
        number = f"{value:,}" if digits == 0 else f"{value // 10**digits:,}.{value % 10**digits:0{digits}d}"
        if self.currency == "XTR":
            return f"{sign}{number} {symbol}"
        return f"{sign}{symbol}{number}"

    def __str__(self) -> str:
        return self.format()
