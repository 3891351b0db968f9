"""Route templates match the way ASP.NET routing matches the host's HTTP-trigger routes."""

import pytest

from devhost.http.routing import RouteTemplate, RouteTemplateError


@pytest.mark.parametrize(
    ("template", "path", "expected"),
    [
        ("orchestrators/{name}", "orchestrators/raw_http_loop", {"name": "raw_http_loop"}),
        ("orchestrators/{name}", "ORCHESTRATORS/x", {"name": "x"}),  # literals ignore case
        ("orchestrators/{name}", "orchestrators/x/", {"name": "x"}),  # trailing slash
        ("orchestrators/{name}", "orchestrators", None),
        ("orchestrators/{name}", "orchestrators/a/b", None),
        ("runs/{id}", "runs/a%20b", {"id": "a b"}),  # values are percent-decoded
        ("items/{id?}", "items", {}),
        ("items/{id?}", "items/3", {"id": "3"}),
        ("items/{id=all}", "items", {"id": "all"}),
        ("items/{id:int}", "items/42", {"id": "42"}),
        ("items/{id:int}", "items/-7", {"id": "-7"}),
        ("items/{id:int}", "items/x", None),
        ("items/{id:int}", "items/99999999999", None),  # outside int32
        ("items/{id:long}", "items/99999999999", {"id": "99999999999"}),
        ("items/{id:int?}", "items", {}),
        ("w/{word:alpha}", "w/abc", {"word": "abc"}),
        ("w/{word:alpha}", "w/ab1", None),
        ("w/{flag:bool}", "w/TRUE", {"flag": "TRUE"}),
        (
            "g/{id:guid}",
            "g/4c4ff4f3-2bb0-4a1b-9d5c-1f2b9b3c1e77",
            {"id": "4c4ff4f3-2bb0-4a1b-9d5c-1f2b9b3c1e77"},
        ),
        ("g/{id:guid}", "g/nope", None),
        ("c/{code:length(3)}", "c/abc", {"code": "abc"}),
        ("c/{code:length(3)}", "c/abcd", None),
        ("c/{code:minlength(2):maxlength(3)}", "c/a", None),
        ("n/{n:range(1,10)}", "n/10", {"n": "10"}),
        ("n/{n:range(1,10)}", "n/11", None),
        ("n/{n:min(5)}", "n/4", None),
        ("r/{v:regex(^v\\d+$)}", "r/v12", {"v": "v12"}),
        ("files/{*path}", "files/a/b/c.txt", {"path": "a/b/c.txt"}),
        ("files/{*path}", "files", {}),
        ("report.{ext}", "report.csv", {"ext": "csv"}),
        ("", "", {}),
    ],
)
def test_template_matches_like_aspnet(template, path, expected):
    assert RouteTemplate.parse(template).match(path) == expected


@pytest.mark.parametrize("template", ["items/{id:nosuch}", "items/{id:length(3}", "items/{1x}"])
def test_bad_templates_are_refused_at_startup(template):
    with pytest.raises(RouteTemplateError):
        RouteTemplate.parse(template)


def test_literal_segments_outrank_parameters_which_outrank_catch_alls():
    literal = RouteTemplate.parse("items/special")
    constrained = RouteTemplate.parse("items/{id:int}")
    plain = RouteTemplate.parse("items/{id}")
    catch_all = RouteTemplate.parse("items/{*rest}")
    ranked = sorted([catch_all, plain, literal, constrained], key=lambda t: t.precedence)
    assert ranked == [literal, constrained, plain, catch_all]
