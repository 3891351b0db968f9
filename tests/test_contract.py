"""The one parser of whole numbers that people type (settings, query strings, command lines)."""

import pytest

from contract import parse_whole_number


@pytest.mark.parametrize("text", ["0", "7", "1000", "9" * 19])
def test_plain_ascii_digits_parse(text):
    assert parse_whole_number(text) == int(text)


@pytest.mark.parametrize(
    "text", ["", " 5", "5 ", "+5", "-3", "5_000", "0005", "5.0", "1e3", "٥", "9" * 20, "true"]
)
def test_anything_else_is_refused_without_echoing_it(text):
    with pytest.raises(ValueError) as error:
        parse_whole_number(text)
    assert "ASCII digits" in str(error.value)
    assert text.strip() == "" or repr(text) not in str(error.value)


def test_bounds_are_checked():
    assert parse_whole_number("1", minimum=1, maximum=2) == 1
    with pytest.raises(ValueError, match="between 1 and 2"):
        parse_whole_number("3", minimum=1, maximum=2)
    with pytest.raises(ValueError, match=">= 1"):
        parse_whole_number("0", minimum=1)
