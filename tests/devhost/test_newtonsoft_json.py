"""devhost's model of Newtonsoft.Json 13's JsonTextReader (devhost/http/newtonsoft_json.py), form by
form: what a start body (`JsonConvert.DeserializeObject`) and a raise-event body (`JToken.Load`)
become, or that the reader refuses them. Sources: JamesNK/Newtonsoft.Json 13.0.3
Src/Newtonsoft.Json/JsonTextReader.cs (`ParseValue`, `ParseProperty`, `ParseUnquotedProperty`,
`ParseComment`, `ParseReadNumber`, `MatchValueWithTrailingSeparator`, `IsSeparator`) and
JsonReader.cs (`Push`, MaxDepth 64)."""

import pytest

from devhost.http.newtonsoft_json import JsonReaderError, deserialize_object, load_token


@pytest.mark.parametrize(
    ("body", "stored"),
    [
        ('{"a": [1, 2.5, "x", null, true]}', '{"a":[1,2.5,"x",null,true]}'),
        ("{'a': 'it\\'s'}", '{"a":"it\'s"}'),
        ("{a_1: 1, $b: 2}", '{"a_1":1,"$b":2}'),
        ("[1, 2,]", "[1,2]"),
        ('{"a": 1,}', '{"a":1}'),
        ("// lead\n[1 /* mid */, 2] /* tail */", "[1,2]"),
        ("0x1F", "31"),
        ("012", "10"),
        ("1.", "1.0"),
        (".5", "0.5"),
        ("[NaN, Infinity, -Infinity]", '["NaN","Infinity","-Infinity"]'),
        ('"raw\x01control"', '"raw\\u0001control"'),  # read as is, written escaped
        ('{"a": 1, "a": 2}', '{"a":2}'),
        (" \t\r\n", None),
    ],
)
def test_forms_the_lenient_reader_accepts(body, stored):
    assert deserialize_object(body) == stored


@pytest.mark.parametrize(
    "body",
    [
        '{"ok": true} trailing',  # CheckAdditionalContent
        "[1 2]",  # "After parsing a value an unexpected character was encountered"
        "truex",  # MatchValueWithTrailingSeparator
        "{a-b: 1}",  # "Invalid JavaScript property identifier character: -."
        "{,}",
        "[1,,2]",  # JsonToken.Undefined: not modelled, refused
        "undefined",
        '"open',
        '"bad \\q escape"',
        "/* open",
        "08",  # octal digits only
        "1e",
        "[" * 65 + "]" * 65,
    ],
)
def test_forms_the_reader_refuses(body):
    with pytest.raises(JsonReaderError):
        deserialize_object(body)


def test_jtoken_load_reads_one_value_and_never_what_follows():
    assert load_token('{"ok": true} trailing') == '{"ok":true}'
    assert load_token("1 x") == "1"
    assert load_token('"s"x') == '"s"'
    with pytest.raises(JsonReaderError, match=r"Error reading JToken from JsonReader\."):
        load_token("  \r\n")
    with pytest.raises(JsonReaderError):
        load_token("")


def test_a_raise_event_body_that_starts_with_a_comment_is_refused():
    """Not modelled: `JToken.ReadFrom(reader, settings: null)` (Src/Newtonsoft.Json/Linq/
    JToken.cs) does not skip a leading comment but returns it as the token, so the real event's
    data is the comment; devhost answers 400 instead of delivering text no reader takes."""
    for body in ('/* c */ {"a": 1}', "// only a comment"):
        with pytest.raises(JsonReaderError, match="starts with a comment"):
            load_token(body)
    with pytest.raises(JsonReaderError):
        load_token("truex")


def test_sixty_four_nested_containers_are_read_and_the_sixty_fifth_is_refused():
    assert deserialize_object('{"a":' * 63 + "[]" + "}" * 63) is not None
    with pytest.raises(JsonReaderError, match="MaxDepth of 64"):
        deserialize_object('{"a":' * 64 + "[]" + "}" * 64)


@pytest.mark.parametrize(
    ("body", "stored"),
    [
        ("{'k': \"\\ud83e\\uddfe\"}", '{"k":"\U0001f9fe"}'),  # lenient path: a pair, one char
        ('{"k": "\\ud83e\\uddfe"}', '{"k":"\U0001f9fe"}'),  # strict path
        ('{"k": "a\\ud800b"}', '{"k":"a\ufffdb"}'),  # a lone surrogate
        ("{'k': 'a\\udc00'}", '{"k":"a\ufffd"}'),
    ],
)
def test_escaped_surrogates_are_stored_as_utf8_stores_them(body, stored):
    """JsonTextReader.cs `ParseUnicode` writes each `\\uXXXX` as one UTF-16 char, so an escaped
    pair is one character in the .NET string and a lone surrogate stays a lone char; the
    extension then writes the JSON text as UTF-8, whose encoder (`UTF8Encoding`'s default
    replacement fallback) writes U+FFFD for a lone surrogate. devhost's reader refused the
    pair in a lenient body (400 "'utf-8' codec can't encode characters") and any lone one."""
    assert deserialize_object(body) == stored
    assert load_token(body) == stored
    stored.encode("utf-8")
