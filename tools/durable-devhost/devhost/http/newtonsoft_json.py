"""Request bodies read as the extension reads them: with Newtonsoft.Json 13's lenient reader.

`HttpApiHandler` reads a start body with `JsonConvert.DeserializeObject` (one value, then only
whitespace or comments: `CheckAdditionalContent`; a body of whitespace is null) and a raise-event
body with `JToken.Load` (one value; whatever follows is never read). Both go through
`JsonTextReader` (JamesNK/Newtonsoft.Json `Src/Newtonsoft.Json/JsonTextReader.cs`), which also
takes single-quoted strings, unquoted property names (`ValidIdentifierChar`: letters, digits,
`_`, `$`), `//` and `/* */` comments, trailing commas, `NaN`, `Infinity`, `-Infinity` and hex or
octal integers, and stops past `MaxDepth` (64) nested containers. The value is then stored as
the extension serialises it: compact, with NaN and the infinities as strings
(`FloatFormatHandling.String`, JsonSerializerSettings' default).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from devhost.replay import history as h

MAX_DEPTH = 64  # JsonReader.MaxDepth's default in Newtonsoft.Json 13
_NUMBER_CHARS = frozenset("0123456789+-.eExXabcdefABCDEF")
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "\\": "\\", '"': '"'}
_ESCAPES |= {"'": "'", "/": "/"}
_LITERALS = (("true", True), ("false", False), ("null", None))
_LITERALS += (("NaN", math.nan), ("Infinity", math.inf), ("-Infinity", -math.inf))
_SURROGATE = re.compile("[\ud800-\udfff]")
_STRING_STOP = {quote: re.compile(f"[{quote}\\\\]") for quote in "\"'"}


class JsonReaderError(ValueError):
    """What `JsonReaderException` reports: the message and where the reader stopped."""


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0

    def fail(self, message: str) -> JsonReaderError:
        return JsonReaderError(f"{message} Position {self.pos}.")

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip(self) -> None:
        """Whitespace (`char.IsWhiteSpace`) and comments."""
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char.isspace():
                self.pos += 1
            elif text.startswith("//", self.pos):
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            elif text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                if end < 0:
                    raise self.fail("Unexpected end while parsing comment.")
                self.pos = end + 2
            elif char == "/":
                raise self.fail("Error parsing comment. Expected: *, got end.")
            else:
                return

    def value(self) -> Any:
        self.skip()
        char = self.peek()
        if char == "":
            raise self.fail("Unexpected end when reading JSON.")
        if char in "\"'":
            return self.string(char)
        if char in "[{":
            return self.container(char)
        for word, literal in _LITERALS:
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                if not self.separator_follows():  # MatchValueWithTrailingSeparator
                    raise self.fail(f"Error parsing value '{word}'.")
                return literal
        if char.isdigit() or char in "-.":
            return self.number()
        raise self.fail(f"Unexpected character encountered while parsing value: {char}.")

    def separator_follows(self) -> bool:
        """`IsSeparator`: end, whitespace, `,`, `]`, `}` or the start of a comment."""
        char = self.peek()
        if char == "" or char.isspace() or char in ",]}":
            return True
        return self.text.startswith(("//", "/*"), self.pos)

    def number(self) -> int | float:
        """`ReadNumberIntoBuffer` + `ParseReadNumber`: hex and octal integers, else long or
        double as .NET parses them."""
        start = self.pos
        while self.peek() and self.peek() in _NUMBER_CHARS:
            self.pos += 1
        text = self.text[start : self.pos]
        try:
            if _JSON_NUMBER.fullmatch(text):
                return json.loads(text)
            digits = text.lstrip("-")
            sign = -1 if text.startswith("-") else 1
            if digits[:2] in ("0x", "0X"):
                return sign * int(digits[2:], 16)
            if len(digits) > 1 and digits[0] == "0" and digits[1] not in ".eE":
                return sign * int(digits[1:], 8)
            if text[-1:] not in "+-" and "x" not in text.lower():
                return float(text)  # "1.", ".5": double.TryParse(NumberStyles.Float)
        except ValueError:
            pass
        raise self.fail(f"Input string '{text}' is not a valid number.")

    def string(self, quote: str) -> str:
        """`ReadStringIntoBuffer`: either quote; control characters pass as they are."""
        out: list[str] = []
        text, pos = self.text, self.pos + 1
        while True:
            end = _STRING_STOP[quote].search(text, pos)
            end = len(text) if end is None else end.start()
            out.append(text[pos:end])
            if end >= len(text):
                self.pos = end
                raise self.fail(f"Unterminated string. Expected delimiter: {quote}.")
            if text[end] == quote:
                self.pos = end + 1
                return "".join(out)
            escape = text[end + 1 : end + 2]
            if escape == "u":
                code = text[end + 2 : end + 6]
                if len(code) < 4 or not all(c in "0123456789abcdefABCDEF" for c in code):
                    self.pos = end
                    raise self.fail("Invalid Unicode escape sequence.")
                out.append(chr(int(code, 16)))
                pos = end + 6
            elif escape in _ESCAPES:
                out.append(_ESCAPES[escape])
                pos = end + 2
            else:
                self.pos = end
                raise self.fail(f"Bad JSON escape sequence: \\{escape}.")

    def container(self, opener: str) -> Any:
        """An array or object; `JsonReader.Push` refuses the 65th nested one."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(f"The reader's MaxDepth of {MAX_DEPTH} has been exceeded.")
        self.pos += 1
        closer = "]" if opener == "[" else "}"
        items: list[Any] = []
        members: dict[str, Any] = {}
        while True:
            self.skip()
            if self.peek() == closer:  # also after a trailing comma
                self.pos += 1
                self.depth -= 1
                return items if opener == "[" else members
            if opener == "[":
                if self.peek() == ",":  # JsonToken.Undefined: nothing Python can store
                    raise self.fail("Unexpected character encountered while parsing value: ,.")
                items.append(self.value())
            else:
                name = self.property_name()
                members[name] = self.value()  # a repeated name keeps its last value
            self.skip()
            char = self.peek()
            if char == ",":
                self.pos += 1
            elif char != closer:
                shown = char or "end"
                raise self.fail(
                    f"After parsing a value an unexpected character was encountered: {shown}."
                )

    def property_name(self) -> str:
        """`ParseProperty`: a quoted name, or an unquoted one of identifier characters."""
        char = self.peek()
        if char in ("'", '"') and char:
            name = self.string(char)
        elif char and (char.isalnum() or char in "_$"):
            start = self.pos
            while self.peek() and (self.peek().isalnum() or self.peek() in "_$"):
                self.pos += 1
            name = self.text[start : self.pos]
            if not (self.peek().isspace() or self.peek() == ":"):
                shown = self.peek() or "end"
                raise self.fail(f"Invalid JavaScript property identifier character: {shown}.")
        else:
            raise self.fail(f"Invalid property identifier character: {char or 'end'}.")
        self.skip()
        if self.peek() != ":":
            raise self.fail(
                f"Invalid character after parsing property name. Expected ':' but got: "
                f"{self.peek() or 'end'}."
            )
        self.pos += 1
        return name


def _stored(value: Any) -> Any:
    """NaN and the infinities as the extension writes them: strings."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, list):
        return [_stored(item) for item in value]
    if isinstance(value, dict):
        return {name: _stored(item) for name, item in value.items()}
    return value


def _strict(text: str) -> str | None:
    """The stored JSON when `text` is plain JSON no deeper than MAX_DEPTH (Python's C parser:
    the fast path for the bodies nearly every caller sends); None to read it leniently."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    pending, depth = [(value, 1)], 0
    while pending:
        item, level = pending.pop()
        if isinstance(item, list | dict):
            depth = max(depth, level)
            children = item.values() if isinstance(item, dict) else item
            pending.extend(
                (child, level + 1) for child in children if isinstance(child, list | dict)
            )
    return _dumps(value) if depth <= MAX_DEPTH else None


def _dumps(value: Any) -> str:
    """Compact JSON, walking the value for NaN and the infinities only when it holds one."""
    try:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except ValueError:
        text = h.dumps(_stored(value))
    return _utf16_chars(text) if _SURROGATE.search(text) else text


def _utf16_chars(text: str) -> str:
    """Text as a .NET string written as UTF-8: each `\\uXXXX` was one UTF-16 char (ParseUnicode),
    so an escaped pair is one character, and UTF8Encoding writes U+FFFD for a lone surrogate."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def deserialize_object(text: str) -> str | None:
    """A start body (`JsonConvert.DeserializeObject`): the stored JSON, None for a body that
    holds no token; JsonReaderError for what Newtonsoft refuses, trailing content included."""
    if (stored := _strict(text)) is not None:
        return stored
    reader = _Reader(text)
    reader.skip()
    if reader.peek() == "":
        return None
    value = reader.value()
    reader.skip()
    if reader.peek() != "":
        raise reader.fail(
            "Additional text found in JSON string after finishing deserializing object."
        )
    return _dumps(value)


def load_token(text: str) -> str:
    """A raise-event body (`MessagePayloadDataConverter.ConvertToJToken` = `JToken.Load`): the
    first value as stored JSON; what follows it is never read. JsonReaderError for no value."""
    if (stored := _strict(text)) is not None:
        return stored
    if text.lstrip().startswith(("//", "/*")):
        # JToken.ReadFrom without load settings keeps a leading comment as the token itself, so
        # the event's data would be the comment; devhost refuses it rather than store that.
        raise JsonReaderError("A body that starts with a comment is not supported by devhost.")
    reader = _Reader(text)
    reader.skip()
    if reader.peek() == "":
        raise reader.fail("Error reading JToken from JsonReader.")
    return _dumps(reader.value())
