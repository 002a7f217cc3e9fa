"""Reading Slack's payloads once: the text, who asked or clicked, and where to answer.

The payloads are the documented shapes (tests/fixtures/slack/), changed only where a case needs
it: a thread, a DM, a message on a card, a person from another organisation.
"""

from __future__ import annotations

from typing import Any

from bots.cards.slack_canvas import COURSE_ACTION_ID, COURSE_BLOCK_PREFIX
from bots.escalation.model import Origin, Reporter
from bots.slack.payloads import read_click, read_command, read_direct_message, read_mention
from tests.bots.slack.harness import fixture

PASTED = "Unable to process score for s12345; missing assignment_source_id"


def event(name: str, **changes: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    body = fixture(name)
    body["event"].update(changes)
    return body, body["event"]


def click(**changes: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    body = fixture("block_actions.json")
    body.update(changes)
    return body, body["actions"][0]


def test_a_slash_command_is_asked_in_its_channel_with_no_thread() -> None:
    form = fixture("slash_command.json") | {"text": PASTED}
    question = read_command(form)
    assert question.text == PASTED
    assert question.reporter == Reporter("U0TEACHER1", "ana.lopez", "slack")
    assert question.origin == Origin(
        platform="slack",
        workspace="T0DISTRICT",
        channel="C0HELPDESK",
        channel_name="canvas-help",
        workspace_name="district",
    )
    assert question.ts == "" and not question.in_a_thread_reply


def test_a_slash_command_in_a_dm_keeps_the_dm_as_its_channel() -> None:
    form = fixture("slash_command.json") | {
        "channel_id": "D0TEACHER1",
        "channel_name": "directmessage",
        "text": "",
    }
    question = read_command(form)
    assert question.text == ""
    assert (question.channel, question.origin.channel_name) == ("D0TEACHER1", "directmessage")


def test_a_mention_at_the_top_level_is_answered_in_a_new_thread_under_it() -> None:
    body, mention = event("app_mention.json", text=f"<@U0PASSBACK> {PASTED}")
    question = read_mention(body, mention)
    assert question.text == f"<@U0PASSBACK> {PASTED}"  # the matcher undoes Slack's markup
    assert question.reporter == Reporter("U0TEACHER1", platform="slack")
    assert question.origin.thread == "1700000100.000200"  # the mention's own ts
    assert (question.origin.workspace, question.channel) == ("T0DISTRICT", "C0HELPDESK")
    assert question.delivery == "Ev0MENTION01"
    assert not question.in_a_thread_reply


def test_a_mention_under_a_pasted_error_is_answered_in_that_thread() -> None:
    body, mention = event(
        "app_mention.json", thread_ts="1700000000.000100", parent_user_id="U0TEACHER2"
    )
    question = read_mention(body, mention)
    assert question.origin.thread == "1700000000.000100"
    assert question.thread_ts == "1700000000.000100" and question.ts == "1700000100.000200"
    assert question.in_a_thread_reply


def test_a_mention_from_a_slack_connect_person_stays_in_our_workspace() -> None:
    """In a shared channel the event names the person's own team (`user_team`, `team`); the
    case belongs to the workspace the app is installed in, the envelope's `team_id`."""
    body, mention = event(
        "app_mention.json", user="U0PARTNER1", team="T0PARTNER", user_team="T0PARTNER"
    )
    body["is_ext_shared_channel"] = True
    question = read_mention(body, mention)
    assert question.origin.workspace == "T0DISTRICT"
    assert question.reporter.user_id == "U0PARTNER1"


def test_a_direct_message_at_the_top_level_is_answered_at_the_top_level() -> None:
    body, message = event("message_im.json", text=PASTED)
    question = read_direct_message(body, message)
    assert question is not None
    assert question.text == PASTED
    assert (question.channel, question.origin.thread) == ("D0TEACHER1", "")
    assert question.delivery == "Ev0DIRECT001"


def test_a_reply_in_a_dm_thread_is_answered_in_that_thread() -> None:
    body, message = event("message_im.json", text=PASTED, thread_ts="1700000150.000250")
    question = read_direct_message(body, message)
    assert question is not None and question.origin.thread == "1700000150.000250"


def test_a_file_with_a_comment_is_someone_writing() -> None:
    body, message = event("message_im.json", text=PASTED, subtype="file_share")
    assert read_direct_message(body, message) is not None


def test_edits_deletions_and_bots_in_a_dm_are_not_questions() -> None:
    edited = {"type": "message", "text": PASTED, "ts": "1700000200.000300"}
    for changes in (
        {"subtype": "message_changed", "message": edited, "user": None},
        {"subtype": "message_deleted", "previous_message": edited, "user": None},
        {"subtype": "bot_message", "bot_id": "B0OTHERBOT"},
        {"bot_id": "B0PASSBACK"},  # our own message, echoed
        {"channel_type": "channel"},  # a channel message is not a DM
    ):
        body, message = event("message_im.json", **changes)
        assert read_direct_message(body, message) is None, changes


def test_a_click_on_the_private_answer_is_ephemeral_and_names_the_clicker() -> None:
    body, action = click()
    action["value"] = "draft-token"
    got = read_click(body, action)
    assert got.clicker == Reporter("U0TEACHER1", "ana.lopez", "slack")
    assert (got.team, got.workspace) == ("T0DISTRICT", "T0DISTRICT")
    assert (got.action_id, got.value) == ("passback_escalate", "draft-token")
    assert got.ephemeral
    assert (got.channel, got.thread) == ("C0HELPDESK", "1700000300.000400")
    assert got.click_id == "slack:U0TEACHER1:1700000310.118500"


def test_a_click_on_a_card_in_a_thread_answers_in_that_thread() -> None:
    """A card in a channel is a message: Slack sends it, with the thread it is in."""
    body, action = click()
    body["container"].update(is_ephemeral=False, thread_ts="1700000000.000100")
    body["message"] = {
        "type": "message",
        "ts": "1700000300.000400",
        "thread_ts": "1700000000.000100",
        "bot_id": "B0PASSBACK",
    }
    got = read_click(body, action)
    assert not got.ephemeral
    assert got.thread == "1700000000.000100"


def test_a_click_on_a_card_at_the_top_level_notes_beside_the_card() -> None:
    body, action = click()
    body["container"]["is_ephemeral"] = False
    body["message"] = {"type": "message", "ts": "1700000300.000400", "bot_id": "B0PASSBACK"}
    assert read_click(body, action).thread == "1700000300.000400"


def test_a_slack_connect_clicker_keeps_their_own_team() -> None:
    body, action = click()
    body["user"] = {"id": "U0PARTNER1", "username": "pat", "name": "pat", "team_id": "T0PARTNER"}
    got = read_click(body, action)
    assert got.team == "T0PARTNER"
    assert got.workspace == "T0DISTRICT"
    assert got.clicker.user_id == "U0PARTNER1"


def test_a_course_picked_in_a_menu_gives_the_option_value() -> None:
    body, action = click()
    action.clear()
    action.update(
        type="static_select",
        action_id=COURSE_ACTION_ID,
        block_id=f"{COURSE_BLOCK_PREFIX}token-1",
        selected_option={"text": {"type": "plain_text", "text": "Chemistry"}, "value": "101"},
        action_ts="1700000320.000100",
    )
    got = read_click(body, action)
    assert (got.block_id, got.selected, got.value) == (f"{COURSE_BLOCK_PREFIX}token-1", "101", "")


def test_a_payload_missing_its_parts_reads_as_empty_values_not_an_error() -> None:
    got = read_click({"type": "block_actions"}, {})
    assert got.clicker == Reporter("", "", "slack")
    assert (got.team, got.channel, got.thread, got.ephemeral) == ("", "", "", False)
    assert read_command({}).text == ""
