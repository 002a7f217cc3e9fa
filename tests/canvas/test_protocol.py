"""Canvas's protocol as plain values: links, throttle signals, error bodies (design note §8.2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from canvas import errors, protocol
from tests.imports import imported_names

BASE = "https://district.instructure.com"


def test_link_header_in_any_case_with_rel_last_missing() -> None:
    headers = {
        "link": f'<{BASE}/api/v1/courses/1/sections?page=bookmark:xyz&per_page=100>; rel="next",'
        f'<{BASE}/api/v1/courses/1/sections?page=first&per_page=100>; rel="first"'
    }
    assert protocol.next_page(headers, BASE) == (
        f"{BASE}/api/v1/courses/1/sections?page=bookmark:xyz&per_page=100"
    )
    assert protocol.next_page({"LINK": headers["link"]}, BASE) is not None
    assert "last" not in protocol.links(headers)
    assert protocol.next_page({}, BASE) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/api/v1/courses/1/sections?page=2",
        "http://district.instructure.com/api/v1/courses/1/sections?page=2",
        "https://district.instructure.com:8443/api/v1/courses/1/sections?page=2",
    ],
)
def test_next_links_off_canvas_are_a_bad_response_not_the_end(url: str) -> None:
    with pytest.raises(errors.BadResponse):
        protocol.next_page({"Link": f'<{url}>; rel="next"'}, BASE)


def test_per_page_is_set_once() -> None:
    url = protocol.with_per_page(f"{BASE}/api/v1/x?per_page=10&include%5B%5D=term")
    assert url.count("per_page") == 1 and url.endswith("per_page=100")


def test_rate_limit_headers() -> None:
    assert protocol.RateLimit.from_headers({"x-rate-limit-remaining": "20.5"}).low
    assert not protocol.RateLimit.from_headers({"X-Rate-Limit-Remaining": "580"}).low
    assert not protocol.RateLimit.from_headers({"X-Rate-Limit-Remaining": "n/a"}).low


def _body(data: object) -> bytes:
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (401, _body({"errors": [{"message": "Invalid access token."}]}), errors.TokenInvalid),
        (
            401,
            _body({"errors": [{"message": "Expired access token.", "expired_at": "x"}]}),
            errors.TokenExpired,
        ),
        (401, _body({"errors": [{"message": "Revoked access token."}]}), errors.TokenInvalid),
        (
            401,
            _body({"errors": [{"message": "Insufficient scopes on access token."}]}),
            errors.ScopeMissing,
        ),
        (
            401,
            _body(
                {
                    "status": "unauthenticated",
                    "errors": [{"message": "user authorization required"}],
                }
            ),
            errors.TokenInvalid,
        ),
        (
            401,
            _body(
                {
                    "status": "unauthorized",
                    "errors": [{"message": "user not authorized to perform that action"}],
                }
            ),
            errors.NotPermitted,
        ),
        (
            403,
            _body(
                {
                    "status": "unauthorized",
                    "errors": [{"message": "user not authorized to perform that action"}],
                }
            ),
            errors.NotPermitted,
        ),
        (
            404,
            _body({"errors": [{"message": "The specified resource does not exist."}]}),
            errors.NotFound,
        ),
        (403, b"403 Forbidden (Rate Limit Exceeded)\n", errors.Throttled),
        (429, b"403 Forbidden (Rate Limit Exceeded)\n", errors.Throttled),
        (
            400,
            _body(
                {
                    "code": "not_enabled",
                    "error": "A SIS integration is not configured and "
                    "the bulk SIS Grade Export feature is not enabled",
                }
            ),
            errors.GradeExportDisabled,
        ),
        (
            400,
            _body(
                {
                    "code": "unpublished_course",
                    "error": "Grade data is not available for non-published courses",
                }
            ),
            errors.CourseUnpublished,
        ),
        (
            500,
            _body(
                {
                    "errors": [
                        {"message": "An error occurred.", "error_code": "internal_server_error"}
                    ],
                    "error_report_id": 1,
                }
            ),
            errors.Unreachable,
        ),
        (403, b"403 Forbidden (User-Agent header required)\n", errors.NotPermitted),
    ],
)
def test_errors_are_classified_by_body(status: int, body: bytes, kind: type) -> None:
    assert type(protocol.classify(status, body)) is kind


def test_success_and_json() -> None:
    assert protocol.classify(200, b"[]") is None
    assert protocol.parse_json(b"while(1);[1]") == [1]
    with pytest.raises(errors.BadResponse):
        protocol.parse_json(b'{"id": ')


def test_headers_name_passback_and_use_bearer() -> None:
    headers = protocol.request_headers("tok", protocol.user_agent("1.2.3"))
    assert headers["Authorization"] == "Bearer tok"
    assert headers["User-Agent"].startswith("passback/1.2.3")


def test_the_canvas_package_imports_no_platform_or_bot_code() -> None:
    root = Path(__file__).parents[2] / "canvas"
    for path in root.rglob("*.py"):
        for name in imported_names(path):
            top = name.split(".")[0]
            assert top not in {"bots", "slack_bolt", "slack_sdk", "botbuilder"}, (path, name)
