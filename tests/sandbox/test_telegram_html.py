"""Telegram's HTML subset: what is rejected, how text and entities come out, and safe rendering."""

from __future__ import annotations

import pytest

from sandbox.telegram_html import FormattedText, HtmlParseError, parse_html, render_html


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("价格 <3", 'Unsupported start tag "3" at byte offset 7'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("<b", "Unclosed start tag at byte offset 0"),
    ],
)
def test_malformed_markup_is_rejected_with_telegrams_wording(source: str, problem: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(source)
    assert str(caught.value) == problem


def test_supported_tags_become_entities_with_utf16_offsets() -> None:
    parsed = parse_html(
        '😀 <b>bold <i>both</i></b> <a href="https://t.me/x?a=1&amp;b=2">link</a> '
        '<tg-spoiler>s</tg-spoiler> <pre><code class="language-python">x = 1</code></pre> '
        "&lt;&amp;&quot;&gt; & x"
    )
    assert parsed.text == '😀 bold both link s x = 1 <&"> & x'
    assert parsed.entities == (
        {"type": "bold", "offset": 3, "length": 9},
        {"type": "italic", "offset": 8, "length": 4},
        {"type": "text_link", "offset": 13, "length": 4, "url": "https://t.me/x?a=1&b=2"},
        {"type": "spoiler", "offset": 18, "length": 1},
        {"type": "pre", "offset": 20, "length": 5, "language": "python"},
    )
    assert parse_html("<pre><code>x</code></pre>").entities == (
        {"type": "pre", "offset": 0, "length": 1},
        {"type": "code", "offset": 0, "length": 1},
    )


def test_rendering_escapes_text_and_keeps_only_safe_links() -> None:
    formatted = FormattedText(
        "<script>alert(1)</script> bad good",
        (
            {"type": "text_link", "offset": 26, "length": 3, "url": "javascript:alert(1)"},
            {"type": "text_link", "offset": 30, "length": 4, "url": 'https://x.org/"q"'},
            {"type": "bold", "offset": 30, "length": 4},
        ),
    )
    assert render_html(formatted) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; "
        '<span class="link">bad</span> '
        '<a href="https://x.org/&quot;q&quot;" target="_blank" rel="noopener noreferrer"><b>good</b></a>'
    )


def test_parse_then_render_round_trips_the_markup() -> None:
    source = "<b>Order</b> #12 · <i>小明</i> &amp; <u>co</u> <s>old</s> <code>x&lt;y</code>"
    assert (
        render_html(parse_html(source))
        == "<b>Order</b> #12 · <i>小明</i> &amp; <u>co</u> <s>old</s> <code>x&lt;y</code>"
    )
