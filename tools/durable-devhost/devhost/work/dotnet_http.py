""".NET's System.Net.Http rules that a `call_http` request and response meet on Azure.

The extension's HttpActivity runs every durable HTTP call through one `HttpClient` (see
`http_activity.py`), so header names, default headers, header value parsing, charsets and BOMs
follow dotnet/runtime `src/libraries/System.Net.Http`: `Headers/KnownHeaders.cs` (names, their
casing, their parsers), `Headers/HttpHeaders.cs` (`Add`, `AddHeaders`, `GetEnumerator`),
`HttpContent.cs` (`ReadBufferAsString`). This module owns those rules; nothing else spells them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from email.utils import parsedate_tz

# KnownHeaders.cs: matching is case-insensitive and .NET reports the name in this casing,
# "whether from the wire or from the user explicitly setting a known header".
_NAMES = (  # every KnownHeader but ":status"
    "Accept Accept-Charset Accept-Encoding Accept-Language Accept-Patch Accept-Ranges "
    "Access-Control-Allow-Credentials Access-Control-Allow-Headers "
    "Access-Control-Allow-Methods Access-Control-Allow-Origin Access-Control-Expose-Headers "
    "Access-Control-Max-Age Age Allow Alt-Svc Alt-Used Authorization Cache-Control Connection "
    "Content-Disposition Content-Encoding Content-Language Content-Length Content-Location "
    "Content-MD5 Content-Range Content-Security-Policy Content-Type Cookie Cookie2 Date ETag "
    "Expect Expect-CT Expires From grpc-encoding grpc-message grpc-status Host If-Match "
    "If-Modified-Since If-None-Match If-Range If-Unmodified-Since Keep-Alive Last-Modified "
    "Link Location Max-Forwards Origin P3P Pragma Proxy-Authenticate Proxy-Authorization "
    "Proxy-Connection Proxy-Support Public-Key-Pins Range Referer Referrer-Policy Refresh "
    "Retry-After Sec-WebSocket-Accept Sec-WebSocket-Extensions Sec-WebSocket-Key "
    "Sec-WebSocket-Protocol Sec-WebSocket-Version Server Server-Timing Set-Cookie Set-Cookie2 "
    "Strict-Transport-Security TE TSV Trailer Transfer-Encoding Upgrade "
    "Upgrade-Insecure-Requests User-Agent Vary Via WWW-Authenticate Warning X-AspNet-Version "
    "X-Cache X-Content-Duration X-Content-Type-Options X-Frame-Options X-MSEdge-Ref "
    "X-Powered-By X-Request-ID X-UA-Compatible X-XSS-Protection"
)
KNOWN_HEADERS: dict[str, str] = {name.lower(): name for name in _NAMES.split()}
# HttpHeaderType.Content: these live on HttpContent, never in the message's own headers.
_CONTENT = (
    "allow content-disposition content-encoding content-language content-length "
    "content-location content-md5 content-range content-type expires last-modified"
)
CONTENT_HEADERS = frozenset(_CONTENT.split())
# Parsers whose Separator is not ", " (ProductInfoHeaderParser, CookieHeaderParser).
_SEPARATORS = {"user-agent": " ", "server": " ", "cookie": "; "}

INVALID_VALUE = "The format of value '{value}' is invalid."
SINGLE_VALUE = "Cannot add value because header '{name}' does not support multiple values."
INVALID_CHARSET = (
    "The character set provided in ContentType is invalid. Cannot read content as string using "
    "an invalid character set."
)
# SocketsHttpHandler/HttpConnection.cs `WriteStringAsync` (no RequestHeaderEncodingSelector):
# any header value char outside ASCII throws HttpRequestException while the request is written.
ASCII_ONLY = "Request headers must contain only ASCII characters."
# HttpHandlerDefaults.DefaultMaxResponseHeadersLength (64 KiB): every header line read counts.
MAX_RESPONSE_HEADERS_BYTES = 64 * 1024
HEADERS_TOO_LONG = (
    f"The HTTP response headers length exceeded the set limit of {MAX_RESPONSE_HEADERS_BYTES}"
    " bytes."
)
_DETAILS = "Unhandled exception while executing task: {type}: {message}"

TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_COMMENT = r"\((?:[^()\\]|\\.)*\)"
_PARAMS = rf"(?:\s*;\s*{TOKEN}\s*=\s*(?:{TOKEN}|{_QUOTED}))*"
_PRODUCT = rf"{TOKEN}(?:/{TOKEN})?"
_RANGE = re.compile(rf"\s*{TOKEN}\s*=\s*(?:[0-9]*-[0-9]*\s*,?\s*)+")


class DotNetError(Exception):
    """An exception .NET throws: the task fails with its message as Reason (DTFx's handler)."""

    def __init__(self, exception_type: str, message: str) -> None:
        super().__init__(message)
        self.details = _DETAILS.format(type=exception_type, message=message)


def header_name(name: str) -> str:
    """The name .NET reports: a known header's own casing, any other name as given."""
    return KNOWN_HEADERS.get(name.lower(), name)


def comma_items(value: str) -> list[str]:
    """The non-empty items of a comma list; commas inside quotes or comments do not split."""
    items, current, depth, quoted, escaped = [], "", 0, False, False
    for ch in value:
        if escaped:
            escaped = False
        elif ch == "\\" and (quoted or depth):
            escaped = True
        elif quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif ch == "," and not depth:
            items.append(current)
            current = ""
            continue
        current += ch
    items.append(current)
    return [item.strip() for item in items if item.strip()]


def _all(pattern: str) -> Callable[[str], bool]:
    """A multiple-value parser: every comma item matches (empty items are allowed)."""
    compiled = re.compile(pattern)
    return lambda value: all(compiled.fullmatch(item) for item in comma_items(value))


def _date(value: str) -> bool:
    return parsedate_tz(value) is not None


def _products(value: str) -> bool:
    """ProductInfoHeaderParser: products and comments separated by white space."""
    return re.fullmatch(rf"\s*(?:(?:{_PRODUCT}|{_COMMENT})\s*)+", value) is not None


# Request headers whose parsers (KnownHeaders.cs) refuse values users commonly get wrong; the
# flag says whether the parser takes several values. Headers.Add throws FormatException.
REQUEST_PARSERS: dict[str, tuple[Callable[[str], bool], bool]] = {
    "accept": (_all(rf"{TOKEN}/{TOKEN}{_PARAMS}"), True),  # MediaTypeHeaderParser
    "if-match": (_all(rf"\*|(?:W/)?{_QUOTED}"), True),  # MultipleValueEntityTagParser
    "if-none-match": (_all(rf"\*|(?:W/)?{_QUOTED}"), True),
    "if-modified-since": (_date, False),  # DateHeaderParser
    "if-unmodified-since": (_date, False),
    "max-forwards": (lambda v: re.fullmatch(r"\s*[0-9]{1,10}\s*", v) is not None, False),
    "range": (lambda v: _RANGE.fullmatch(v) is not None, False),  # RangeHeaderValue
    "user-agent": (_products, True),  # ProductInfoHeaderParser.MultipleValueParser
}

# Response headers whose parser returns several values from one line (GetEnumerator lists each).
_TOKEN_LISTS = frozenset(["accept-ranges", "connection", "trailer", "vary"])  # TokenListParser
_COMMA_LISTS = frozenset(["pragma", "transfer-encoding", "upgrade", "via", "warning"])


class RequestHeaders:
    """HttpRequestHeaders: `add` validates as `Headers.Add`; `lines` are what goes on the wire."""

    def __init__(self) -> None:
        self._values: dict[str, tuple[str, list[str]]] = {}

    def add(self, name: str, values: Iterable[str]) -> None:
        """`Headers.Add(name, values)`: raises DotNetError where .NET throws."""
        if not re.fullmatch(TOKEN, name):
            raise DotNetError("System.FormatException", "The header name format is invalid.")
        key = name.lower()
        if key in CONTENT_HEADERS:
            raise DotNetError(
                "System.InvalidOperationException",
                f"Misused header name, '{name}'. Make sure request headers are used with "
                "HttpRequestMessage, response headers with HttpResponseMessage, and content "
                "headers with HttpContent objects.",
            )
        stored = self._values.setdefault(key, (header_name(name), []))[1]
        parser, multiple = REQUEST_PARSERS.get(key, (None, True))
        for value in values:
            if parser is not None and not parser(value):
                raise DotNetError("System.FormatException", INVALID_VALUE.format(value=value))
            if stored and not multiple:
                message = SINGLE_VALUE.format(name=header_name(name))
                raise DotNetError("System.FormatException", message)
            stored.append(value)

    def add_defaults(self, defaults: dict[str, str]) -> None:
        """`HttpHeaders.AddHeaders(DefaultRequestHeaders)`: "Only add header values if they're
        not already set on the message"; a header the caller set is never doubled or merged."""
        for name, value in defaults.items():
            self._values.setdefault(name.lower(), (header_name(name), [value]))

    def lines(self) -> list[tuple[str, str]]:
        """One line per header, its values joined with the parser's separator; raises
        DotNetError where writing them would (a value outside ASCII)."""
        lines = [
            (name, _SEPARATORS.get(key, ", ").join(values))
            for key, (name, values) in self._values.items()
        ]
        if not all(value.isascii() for _, value in lines):
            raise DotNetError("System.Net.Http.HttpRequestException", ASCII_ONLY)
        return lines


def check_response_headers_length(raw: Iterable[tuple[bytes, bytes]]) -> None:
    """SocketsHttpHandler's limit on a response's header lines (`_allowedReadLineBytes`, each
    line with its CRLF): past it, HttpRequestException and no response."""
    if sum(len(name) + len(value) + 4 for name, value in raw) > MAX_RESPONSE_HEADERS_BYTES:
        raise DotNetError("System.Net.Http.HttpRequestException", HEADERS_TOO_LONG)


def response_headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str | list[str]]:
    """`DurableHttpResponse` headers: `HttpResponseMessage.Headers` as it enumerates.

    Names are grouped case-insensitively under the known casing (or the first one received);
    content headers are absent; values are Latin-1; a line a multiple-value parser reads gives
    one value per item (`Vary: Accept, Origin` is two; an invalid value stays whole); one value
    is a string and several are a list (`HttpHeadersConverter.WriteJson`).
    """
    grouped: dict[str, tuple[str, list[str]]] = {}
    for raw_name, raw_value in raw:
        name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1").strip()
        key = name.lower()
        if key in CONTENT_HEADERS:
            continue
        grouped.setdefault(key, (header_name(name), []))[1].extend(_parsed_values(key, value))
    return {name: vals[0] if len(vals) == 1 else vals for name, vals in grouped.values()}


def _parsed_values(key: str, value: str) -> list[str]:
    if key in _TOKEN_LISTS or key in _COMMA_LISTS:
        items = comma_items(value)
        if key in _TOKEN_LISTS and not all(re.fullmatch(TOKEN, item) for item in items):
            return [value]
        return items or [value]
    if key == "server" and _products(value):
        return re.findall(rf"{_COMMENT}|{_PRODUCT}", value)
    return [value]


# System.Private.CoreLib EncodingTable: the names Encoding.GetEncoding knows without a code
# pages provider. UTF-7's names throw since .NET 5 (SYSLIB0001).
_ENCODINGS: dict[str, str] = {
    name: codec
    for codec, names in (
        ("ascii", "ansi_x3.4-1968 ansi_x3.4-1986 ascii cp367 csascii ibm367 iso-ir-6 iso646-us"),
        ("ascii", "iso_646.irv:1991 us us-ascii"),
        ("latin-1", "cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso_8859-1 l1"),
        ("latin-1", "iso_8859-1:1987 latin1"),
        ("utf-16-le", "iso-10646-ucs-2 ucs-2 unicode utf-16 utf-16le"),
        ("utf-16-be", "unicodefffe utf-16be"),
        ("utf-32-le", "utf-32 utf-32le"),
        ("utf-32-be", "utf-32be"),
        ("utf-8", "unicode-1-1-utf-8 unicode-2-0-utf-8 utf-8 x-unicode-1-1-utf-8"),
        ("utf-8", "x-unicode-2-0-utf-8"),
    )
    for name in names.split()
}
_PREAMBLES = {  # GetPreambleLength / TryDetectEncoding, longest first
    "utf-8": b"\xef\xbb\xbf",
    "utf-32-le": b"\xff\xfe\x00\x00",
    "utf-16-le": b"\xff\xfe",
    "utf-16-be": b"\xfe\xff",
    "utf-32-be": b"\x00\x00\xfe\xff",
}
_MEDIA_TYPE = re.compile(rf"\s*{TOKEN}\s*/\s*{TOKEN}(?P<params>{_PARAMS})\s*")
_CHARSET = re.compile(rf";\s*charset\s*=\s*({TOKEN}|{_QUOTED})", re.IGNORECASE)


def read_as_string(body: bytes, content_type: str | None) -> str:
    """`HttpContent.ReadAsStringAsync` (`ReadBufferAsString`): the Content-Type's charset if
    it has one (an unknown one throws InvalidOperationException), else a BOM, else UTF-8; the
    BOM of the encoding used is dropped; undecodable bytes become U+FFFD (ASCII: '?')."""
    charset = _charset(content_type)
    if charset is not None:
        if charset.startswith('"') and charset.endswith('"') and len(charset) > 2:
            charset = charset[1:-1]
        codec = _ENCODINGS.get(charset.lower())
        if codec is None:
            raise DotNetError("System.InvalidOperationException", INVALID_CHARSET)
    else:
        detected = [c for c, bom in _PREAMBLES.items() if c != "utf-32-be" and body.startswith(bom)]
        codec = detected[0] if detected else "utf-8"
    preamble = _PREAMBLES.get(codec, b"")
    if preamble and body.startswith(preamble):
        body = body[len(preamble) :]
    if codec == "ascii":
        return body.decode("latin-1").translate({c: "?" for c in range(0x80, 0x100)})
    return body.decode(codec, errors="replace")


def _charset(content_type: str | None) -> str | None:
    """`headers.ContentType?.CharSet`: None when the header is absent or does not parse."""
    match = _MEDIA_TYPE.fullmatch(content_type or "")
    if match is None:
        return None
    found = _CHARSET.search(match.group("params"))
    return found.group(1) if found else None
