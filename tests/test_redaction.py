"""Redaction: user info, query strings and fragments of URLs never reach a log or a result."""

import logging

import pytest

from redaction import RedactingFilter, redact_text, redact_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://api.example/v1/invoices", "https://api.example/v1/invoices"),
        ("https://api.example/v1?code=K", "https://api.example/v1?REDACTED"),
        ("http://u:K@127.0.0.1:8080/x", "http://REDACTED@127.0.0.1:8080/x"),
        ("http://h/x#K", "http://h/x#REDACTED"),
        ("http://[::1]:9/x?K=1", "http://[::1]:9/x?REDACTED"),
        ("http://h:notaport/x", "REDACTED"),
    ],
)
def test_redact_url(url, shown):
    assert redact_url(url) == shown


def test_redact_text_finds_urls_and_bare_query_strings():
    text = 'POST http://u:K@h/a?code=K failed; urllib3: "POST /a?code=K HTTP/1.1" 201'
    assert redact_text(text) == (
        'POST http://REDACTED@h/a?REDACTED failed; urllib3: "POST /a?REDACTED HTTP/1.1" 201'
    )
    assert redact_text("what? no url here") == "what? no url here"


def test_the_filter_rewrites_the_final_message():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "GET %s", ("http://h/?k=K",), None)
    assert RedactingFilter().filter(record)
    assert record.getMessage() == "GET http://h/?REDACTED"
