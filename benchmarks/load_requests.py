"""The requests the load benchmark sends, built the way Slack and Teams send them.

Slash commands are form-encoded from the captured shape in tests/fixtures/slack/, signed with
Slack's v0 signature; Teams messages are the personal-chat activity in tests/fixtures/teams/.
Each one carries a real error text from the labelled set (tests/data/dev.jsonl, the documented
messages), a name the stand-ins see again in the answer, and the catalog title the answer must
start with.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from catalog import Catalog

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
DEV_SET = ROOT / "tests" / "data" / "dev.jsonl"
WRONG_SECRET = "not0the0signing0secret0of0this0app"


@dataclass(frozen=True, slots=True)
class Sample:
    text: str
    title: str  # the catalog title the answer names first


@dataclass(frozen=True, slots=True)
class LoadRequest:
    name: str  # how the answer is recognised: the response_url name or the conversation id
    body: bytes
    headers: dict[str, str]
    accepted: tuple[int, ...]  # the HTTP statuses that mean "taken"
    title: str  # what the answer must say first


def samples(catalog: Catalog) -> list[Sample]:
    """The documented messages of the labelled set, each with its one expected entry's title."""
    found = []
    for line in DEV_SET.read_text(encoding="utf-8").splitlines():
        case = json.loads(line) if line.strip() else None
        if case and case["kind"] == "canonical" and len(case["expect"]) == 1:
            found.append(Sample(case["text"], catalog[case["expect"][0]].title))
    if not found:
        raise RuntimeError(f"no canonical error texts in {DEV_SET}")
    return found


def slack_signature(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's v0 signature: HMAC-SHA256 of "v0:{timestamp}:{body}" with the signing secret."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def slash_commands(
    n: int,
    texts: list[Sample],
    standins_url: str,
    secret: str,
    *,
    broken: int = 0,
    prefix: str = "bench",
) -> list[LoadRequest]:
    """`n` `/passback <error>` commands, each with its own response_url on the stand-ins; the
    first `broken` are signed with the wrong secret, which Slack's check must refuse (401)."""
    form = json.loads((FIXTURES / "slack" / "slash_command.json").read_text(encoding="utf-8"))
    timestamp = str(int(time.time()))
    built = []
    for i in range(n):
        sample = texts[i % len(texts)]
        name = f"{prefix}-{i:05d}"
        form.update(
            text=sample.text,
            user_id=f"U0BENCH{i:05d}",
            user_name=f"teacher.{i}",
            response_url=f"{standins_url}/response/{name}",
            trigger_id=f"13345224609.738474920.{i:032x}",
        )
        body = urlencode(form).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": slack_signature(
                WRONG_SECRET if i < broken else secret, timestamp, body
            ),
        }
        built.append(LoadRequest(name, body, headers, (200,), sample.title))
    return built


def teams_messages(
    n: int, texts: list[Sample], service_url: str, *, broken: int = 0, prefix: str = "bench"
) -> list[LoadRequest]:
    """`n` personal-chat messages, each in its own conversation; the first `broken` have no
    serviceUrl, which the endpoint must refuse (400)."""
    shape = json.loads((FIXTURES / "teams" / "personal_message.json").read_text(encoding="utf-8"))
    built = []
    for i in range(n):
        sample = texts[i % len(texts)]
        conversation = f"a:{prefix}-{i:05d}"
        activity = {
            **shape,
            "id": f"{1712675402113 + i}",
            "text": sample.text,
            "serviceUrl": "" if i < broken else service_url,
            "from": {**shape["from"], "id": f"29:bench-user-{i:05d}"},
            "conversation": {**shape["conversation"], "id": conversation},
        }
        body = json.dumps(activity).encode()
        headers = {"Content-Type": "application/json"}
        built.append(LoadRequest(conversation, body, headers, (200, 201), sample.title))
    return built
