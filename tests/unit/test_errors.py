"""Error codes: stable, each explained to users in English and Chinese."""

from __future__ import annotations

import pytest

from domain.errors import DomainError, ErrorCode
from i18n import catalog, has, t


@pytest.mark.parametrize("code", list(ErrorCode), ids=lambda code: code.value)
def test_every_error_code_has_an_english_and_a_chinese_text(code: ErrorCode) -> None:
    key = f"error.{code.value}"
    assert has(key), f"{key} is missing from the catalogues (i18n/locale)"
    english, chinese = catalog()[key]
    assert english.strip() and chinese.strip()
    assert english != chinese


def test_error_code_values_are_unique_snake_case() -> None:
    values = [code.value for code in ErrorCode]
    assert len(values) == len(set(values))
    assert all(value.isascii() and value == value.lower() and " " not in value for value in values)


def test_codes_that_handlers_and_stored_rows_rely_on_keep_their_values() -> None:
    assert (ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN, ErrorCode.CONFLICT, ErrorCode.OUT_OF_STOCK) == (
        "not_found",
        "forbidden",
        "conflict",
        "out_of_stock",
    )


def test_a_domain_error_carries_its_code_and_params() -> None:
    error = DomainError(ErrorCode.OUT_OF_STOCK, title="Tea", available=2)
    assert error.code is ErrorCode.OUT_OF_STOCK
    assert error.params == {"title": "Tea", "available": 2}
    assert str(error).startswith("out_of_stock")
    assert error == DomainError(ErrorCode.OUT_OF_STOCK, title="Tea", available=2)
    assert error != DomainError(ErrorCode.OUT_OF_STOCK, title="Tea", available=3)
    assert str(DomainError(ErrorCode.FORBIDDEN)) == "forbidden"


def test_an_error_text_puts_params_in_escaped() -> None:
    text = t("en", "error.out_of_stock", title="<b>Tea</b>", available=2)
    assert "&lt;b&gt;Tea&lt;/b&gt;" in text and "2" in text
    assert "<b>Tea" not in t("zh", "error.out_of_stock", title="<b>Tea</b>", available=2)
