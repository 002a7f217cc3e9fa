"""`passback escalations list|show|ack|resolve` on the same store as the server."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bots.cli import main
from bots.escalation.diagnosis import CaseDiagnosis, CheckedError
from bots.escalation.model import Status
from tests.bots.escalation.conftest import (
    STUDENT_ID,
    WEBHOOK_SECRET,
    Receiver,
    ServiceFactory,
    delivered,
    kimono_draft,
    person,
    put_oneroster_draft,
)
from tests.polling import eventually


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "MicrosoftAppId"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PASSBACK_DATABASE_URL", database_url)
    monkeypatch.setenv("PASSBACK_DATA_DIR", str(tmp_path))


async def passback(*argv: str) -> int:
    # main() runs its own event loop, so it gets a thread of its own.
    return await asyncio.to_thread(main, list(argv))


async def test_list_show_ack_and_resolve(
    cli_env, make_service: ServiceFactory, capsys: pytest.CaptureFixture[str]
):
    server = await make_service()
    told: list[str] = []

    async def notifier(case, reporter, origin, text):
        told.append(text)

    server.add_notifier("slack", notifier)
    one = await server.escalate(await server.prepare(put_oneroster_draft()), person(1))
    two = await server.escalate(await server.prepare(kimono_draft()), person(2))
    ref_one, ref_two = one.case.reference, two.case.reference

    assert await passback("escalations", "list") == 0
    listing = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listing] == [ref_two, ref_one]
    assert "PUT for OneRoster Error" in listing[1] and "1 reporter" in listing[1]
    assert "kept here only" in listing[1]

    assert await passback("escalations", "ack", ref_one, "--by", "Ms. Admin") == 0
    assert f"{ref_one} is now acknowledged" in capsys.readouterr().out
    assert await passback("escalations", "resolve", ref_one.lower()) == 0
    assert await passback("escalations", "resolve", ref_one) == 0
    assert f"{ref_one} was already resolved" in capsys.readouterr().out
    await eventually(lambda: len(told) == 2)  # the server sends the follow-ups
    assert "acknowledged by Ms. Admin" in told[0]

    assert await passback("escalations", "list", "--status", "open") == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == [ref_two]
    assert await passback("escalations", "list", "--status", "resolved") == 0
    assert capsys.readouterr().out.split()[0] == ref_one

    assert await passback("escalations", "show", ref_one) == 0
    shown = capsys.readouterr().out
    assert f"Passback case {ref_one}" in shown and f"Student result: {STUDENT_ID}" in shown
    assert "Status: resolved" in shown and "Deliveries:" in shown
    case = await server.get(ref_one)
    assert case is not None and case.status == Status.RESOLVED


async def test_unknown_references_exit_1_with_a_sentence(
    cli_env, make_service: ServiceFactory, capsys: pytest.CaptureFixture[str]
):
    await make_service(start=False)
    for action in ("show", "ack", "resolve"):
        assert await passback("escalations", action, "PB-77777") == 1
        err = capsys.readouterr().err
        assert err.strip() == "passback: There is no escalated case PB-77777."


async def test_an_empty_store_says_so_and_which_it_read(
    cli_env, database_url: str, make_service: ServiceFactory, capsys: pytest.CaptureFixture[str]
):
    await make_service()  # the server made the store
    where = database_url.removeprefix("sqlite:///")
    assert await passback("escalations", "list") == 0
    out = capsys.readouterr().out
    assert out.startswith("No cases yet in ") and out.endswith(".\n")
    assert where.split("@")[-1] in out  # the database it read (a password never shown)
    assert await passback("escalations", "list", "--status", "open") == 0
    assert capsys.readouterr().out.startswith("No open cases in ")


async def test_a_bad_database_url_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setenv("PASSBACK_DATABASE_URL", "mysql://root:hunter2@db/passback")
    assert await passback("escalations", "list") == 2
    err = capsys.readouterr().err
    assert "PASSBACK_DATABASE_URL must start with" in err and "hunter2" not in err


@pytest.mark.parametrize("limit", ["0", "-5", "two"])
async def test_a_limit_below_one_is_a_usage_error(
    cli_env, make_service: ServiceFactory, capsys: pytest.CaptureFixture[str], limit: str
):
    server = await make_service()
    await server.escalate(await server.prepare(kimono_draft()), person(1))
    with pytest.raises(SystemExit) as caught:
        await passback("escalations", "list", "--limit", limit)
    assert caught.value.code == 2
    out, err = capsys.readouterr()
    assert "PB-" not in out and "--limit" in err


async def test_reporters_never_read_a_blank_or_an_admin_login_as_who_resolved_it(
    cli_env, make_service: ServiceFactory, capsys: pytest.CaptureFixture[str], monkeypatch
):
    server = await make_service()
    told: list[str] = []

    async def notifier(case, reporter, origin, text):
        told.append(text)

    server.add_notifier("slack", notifier)
    reference = (
        await server.escalate(await server.prepare(kimono_draft()), person(1))
    ).case.reference
    with pytest.raises(SystemExit) as caught:
        await passback("escalations", "resolve", reference, "--by", "  ")
    assert caught.value.code == 2 and "--by" in capsys.readouterr().err
    monkeypatch.setattr("getpass.getuser", lambda: "root")
    assert await passback("escalations", "ack", reference) == 0
    case = await server.get(reference)
    assert case is not None and case.status_by == "district support"
    await eventually(lambda: told)
    assert "root" not in " ".join(told)


def test_list_from_another_folder_says_there_is_no_database_and_makes_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PASSBACK_DATABASE_URL", raising=False)
    monkeypatch.delenv("PASSBACK_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)  # not where the server keeps its data
    assert main(["escalations", "list"]) == 1
    err = capsys.readouterr().err
    assert f"There is no case database at {tmp_path / 'data' / 'passback.sqlite3'}" in err
    assert "PASSBACK_DATA_DIR" in err
    assert not (tmp_path / "data").exists()  # nothing made


async def test_show_lists_the_follow_ups_of_a_later_check(
    cli_env, make_service: ServiceFactory, receiver: Receiver, capsys: pytest.CaptureFixture[str]
):
    server = await make_service(webhook_url=receiver.url, webhook_secret=WEBHOOK_SECRET)
    token = await server.prepare(put_oneroster_draft())
    case = (await server.escalate(token, person(1))).case
    await eventually(lambda: delivered(server, case.reference, "webhook"))
    checked = CaseDiagnosis(
        checked_at=datetime.now(UTC),
        course_name="Chemistry",
        course_url="https://canvas.example/courses/101",
        checks=(CheckedError("put-oneroster", "clear", None, None, "Nothing removed."),),
    )
    assert await server.attach_diagnosis(token, checked)

    async def sent() -> bool:
        return [d.state for _, d in await server.follow_ups(case)] == ["delivered"]

    await eventually(sent)
    assert await passback("escalations", "show", case.reference) == 0
    shown = capsys.readouterr().out
    assert "after the case was opened: Chemistry" in shown
    assert "Follow-ups (a Check in Canvas made after it opened):" in shown
    assert "  webhook case.diagnosis: delivered at " in shown
