"""Reading a merchant's product CSV: what is refused as a whole, and what each row is told."""

from __future__ import annotations

import pytest

from domain.errors import DomainError, ErrorCode
from domain.money import Money
from domain.usecases.product_import import (
    COLUMNS,
    MAX_ROWS,
    CsvRow,
    read_product_csv,
    validate_row,
)

HEADER = ",".join(COLUMNS)


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def problem_of(data: bytes) -> str:
    with pytest.raises(DomainError) as caught:
        read_product_csv(data)
    assert caught.value.code is ErrorCode.INVALID_CSV
    return str(caught.value.params["problem"])


def test_rows_are_read_by_column_name_whatever_the_header_order() -> None:
    data = csv_bytes("Stock, PRICE ,title,brand,category,description", "5,12.50,Green tea,,Tea,Fresh")

    [row] = read_product_csv(data)

    assert row.line == 2
    assert row.values == {
        "stock": "5",
        "price": "12.50",
        "title": "Green tea",
        "brand": "",
        "category": "Tea",
        "description": "Fresh",
    }


def test_utf8_with_bom_from_excel_reads_chinese_text() -> None:
    data = csv_bytes(HEADER, "茉莉花茶,春茶,茶叶,老茶,39.9,120", encoding="utf-8-sig")

    [row] = read_product_csv(data)

    assert row.values is not None and row.values["title"] == "茉莉花茶"


def test_quoted_fields_keep_commas_and_line_numbers_follow_the_file() -> None:
    data = csv_bytes(HEADER, '"Gaiwan, white","two\nlines",Teaware,,88,15', "", "Cup,,Teaware,,5,1")

    rows = read_product_csv(data)

    assert [r.line for r in rows] == [3, 5]  # the quoted new line spans lines 2-3; the blank line 4 is skipped
    assert rows[0].values is not None and rows[0].values["title"] == "Gaiwan, white"


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "latin-1"])
def test_a_file_in_another_encoding_is_refused_before_any_row(encoding: str) -> None:
    line = "Café,,Tea,,1,1" if encoding == "latin-1" else "茉莉花茶,春茶,茶叶,老茶,39.9,120"
    data = csv_bytes(HEADER, line, encoding=encoding)

    assert problem_of(data) == "encoding"


def test_a_missing_column_is_named() -> None:
    with pytest.raises(DomainError) as caught:
        read_product_csv(csv_bytes("title,description,category,brand,stock", "Tea,,Tea,,1"))

    assert caught.value.params["problem"] == "missing_columns"
    assert caught.value.params["columns"] == "price"


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("title,description,category,brand,price,stock,colour", "unknown_columns"),
        ("title,title,description,category,brand,price,stock", "repeated_columns"),
        ("", "no_header"),
    ],
)
def test_header_problems_refuse_the_file(header: str, problem: str) -> None:
    assert problem_of(csv_bytes(header, "x")) == problem


def test_a_file_with_only_a_header_has_nothing_to_import() -> None:
    assert problem_of(csv_bytes(HEADER, "", " , ")) == "no_rows"


def test_more_rows_than_allowed_are_refused_as_a_whole() -> None:
    lines = [HEADER] + ["Tea,,Tea,,1,1"] * (MAX_ROWS + 1)
    assert problem_of(csv_bytes(*lines)) == "too_many_rows"


def test_ten_thousand_rows_are_read() -> None:
    lines = [HEADER] + [f"Tea {i},,Tea,,{i % 90 + 1}.50,{i % 7}" for i in range(10_000)]

    rows = read_product_csv(csv_bytes(*lines))

    assert len(rows) == 10_000 and rows[-1].line == 10_001


def test_unbalanced_quotes_are_reported_as_malformed() -> None:
    assert problem_of(b'title,description,category,brand,price,stock\n"Tea,,Tea,,1,1\n') == "malformed"


def row(**values: str) -> CsvRow:
    base = {"title": "Tea", "description": "", "category": "Tea", "brand": "", "price": "12.50", "stock": "3"}
    return CsvRow(2, {**base, **values})


def test_a_valid_row_becomes_a_draft_in_the_marketplace_currency() -> None:
    draft = validate_row(row(title="  Green tea ", brand="Lao Cha"), "CNY")

    assert (draft.title, draft.brand, draft.price, draft.stock) == ("Green tea", "Lao Cha", Money(1250, "CNY"), 3)


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"price": "abc"}, ErrorCode.INVALID_AMOUNT),
        ({"price": "-5"}, ErrorCode.INVALID_AMOUNT),
        ({"price": "0"}, ErrorCode.INVALID_AMOUNT),
        ({"price": "1.234"}, ErrorCode.INVALID_AMOUNT),
        ({"stock": "-1"}, ErrorCode.INVALID_NUMBER),
        ({"stock": "2.5"}, ErrorCode.INVALID_NUMBER),
        ({"title": " "}, ErrorCode.INVALID_TEXT),
        ({"title": "x" * 81}, ErrorCode.TEXT_TOO_LONG),
        ({"category": ""}, ErrorCode.INVALID_TEXT),
        ({"brand": "a\nb"}, ErrorCode.INVALID_TEXT),
    ],
)
def test_each_bad_value_gets_its_own_reason(values: dict[str, str], code: ErrorCode) -> None:
    with pytest.raises(DomainError) as caught:
        validate_row(row(**values), "CNY")

    assert caught.value.code is code


def test_a_row_with_the_wrong_number_of_fields_says_how_many() -> None:
    [bad] = read_product_csv(csv_bytes(HEADER, "Tea,Tea,1,1"))

    with pytest.raises(DomainError) as caught:
        validate_row(bad, "CNY")

    assert caught.value.params == {"problem": "field_count", "found": 4, "expected": 6}
