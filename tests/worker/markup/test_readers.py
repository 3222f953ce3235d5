import pytest

from worker.markup import read_field
from worker.types import PostFormat


def read(source: str, post_format: str):
    return read_field(source, PostFormat(post_format), "body", timeout=1.0)


def source_of(field, fragment: str) -> str:
    start = field.text.index(fragment)
    begin, end = field.to_source(start, start + len(fragment))
    return field.source[begin:end]


@pytest.mark.parametrize(
    ("post_format", "source", "text"),
    [
        ("text", "Bonjour <b>tout</b> le monde", "Bonjour <b>tout</b> le monde"),
        ("html", "<p>Bonjour <b>tout</b> le&nbsp;monde &amp; merci</p>", "Bonjour tout le\xa0monde & merci\n"),
        ("html", "<script>alert('x?')</script>Hi<style>p{}</style>", "Hi"),
        ("markdown", "# Titre\nBonjour **tout** le [monde](https://ex.fr)", "Titre\nBonjour tout le monde"),
        ("bbcode", "Bonjour [b]tout[/b] le [color=red]monde[/color] [SOLVED]", "Bonjour tout le monde [SOLVED]"),
    ],
)
def test_when_markup_is_read_then_text_is_the_prose_without_markers(post_format, source, text):
    assert read(source, post_format).text.strip() == text.strip()


@pytest.mark.parametrize(
    ("post_format", "source", "fragment", "expected_source"),
    [
        ("html", "<p>Le <b>SIP</b> &eacute;choue ?</p>", "SIP échoue ?", "SIP</b> &eacute;choue ?"),
        ("markdown", "Use **bold** and [the docs](https://x.io) now", "bold and the docs", "bold** and [the docs"),
        ("bbcode", "Hi [b]there[/b] friend", "there friend", "there[/b] friend"),
    ],
)
def test_when_text_range_is_mapped_back_then_it_spans_the_submitted_text_and_inner_markup(post_format, source, fragment, expected_source):
    assert source_of(read(source, post_format), fragment) == expected_source


@pytest.mark.parametrize(
    ("post_format", "source"),
    [
        ("html", "Before<pre>if (x?) **y**</pre><blockquote>Why? How?</blockquote>After"),
        ("markdown", "Before\n```\nif x? **y**\n```\n> Why? How?\n\nAfter `a?b`"),
        ("bbcode", "Before[code]if x? [b]y[/b][/code][quote=Bob]Why? [quote]How?[/quote][/quote]After"),
    ],
)
def test_when_code_and_quotes_are_present_then_they_are_set_aside(post_format, source):
    field = read(source, post_format)
    assert "?" not in field.text and "Before" in field.text and "After" in field.text
    assert field.set_aside
    assert not [e for e in field.elements if e.name in {"b", "**"}]


@pytest.mark.parametrize(
    ("post_format", "source", "url"),
    [
        ("html", '<a href="https://shop.example/buy?x=1">deal</a>', "https://shop.example/buy?x=1"),
        ("markdown", "see [deal](https://shop.example/buy?x=1)", "https://shop.example/buy?x=1"),
        ("markdown", "see <https://shop.example/buy>", "https://shop.example/buy"),
        ("bbcode", "[url=https://shop.example/buy]deal[/url]", "https://shop.example/buy"),
        ("bbcode", "[url]https://shop.example/buy[/url]", "https://shop.example/buy"),
        ("text", "see https://shop.example/buy?x=1. Thanks", "https://shop.example/buy?x=1"),
        ("text", "(voir www.exemple.fr/page)", "www.exemple.fr/page"),
    ],
)
def test_when_links_are_written_in_any_format_then_each_is_found_once_with_its_source_range(post_format, source, url):
    field = read(source, post_format)
    assert [link.url for link in field.links] == [url]
    [link] = field.links
    assert url in source[link.start : link.end] or source[link.start : link.end] in url


def test_when_text_has_nul_and_control_characters_then_they_read_as_spaces_with_offsets_kept():
    field = read("a\x00b\x1bc", "text")
    assert field.text == "a b c" and field.to_source(2, 3) == (2, 3)


def test_when_field_is_empty_then_mapping_is_empty():
    field = read("", "html")
    assert field.text == "" and field.to_source(0, 0) == (0, 0)
