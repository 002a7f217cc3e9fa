"""Escalate to support from a Teams card: one case however many clicks, the card updated in
place with the case reference, as an Action.Submit message or an Action.Execute invoke."""

from __future__ import annotations

from typing import Any

from tests.bots.teams.cards import KIMONO, card_reply, escalate_actions, only_card, submit, texts
from tests.bots.teams.conftest import Teams, assert_valid_card


async def test_submit_opens_one_case_and_updates_the_card_in_place(teams: Teams) -> None:
    token, card_id = await card_reply(teams, "channel_mention")

    response = await teams.post(submit(teams, token, card_id, "1712674880776"))
    assert response.status in (200, 201)
    (update,) = teams.connector.of_kind("update")
    assert update.conversation_id.startswith("19:c3a8e4f6")
    assert update.activity_id == card_id  # PUT .../activities/{the card's id}
    card = only_card(update)
    assert_valid_card(card)
    cases = await teams.escalation.list_cases()
    assert len(cases) == 1
    reference = cases[0].reference
    assert f"Escalated as {reference}" in texts(card)
    assert escalate_actions(card) == []  # the button is gone
    assert "Assignment Scores Export-PUT for OneRoster Error" in texts(card)  # same answer
    assert "s82734" not in texts(card)  # in the channel, still without the student…
    assert "s82734" in cases[0].text  # …whom the case keeps for support
    assert cases[0].reporters[0].display_name == "Megan Bowen"
    assert cases[0].origin.channel.startswith("19:c3a8e4f6")

    # A second click (another activity, same button) shows the same case and opens nothing.
    await teams.post(submit(teams, token, card_id, "1712674899001"))
    updates = teams.connector.of_kind("update")
    assert len(updates) == 2
    assert f"Already escalated as {reference}" in texts(only_card(updates[1]))
    assert len(await teams.escalation.list_cases()) == 1
    assert teams.connector.of_kind("send") == []


async def test_submit_from_someone_else_joins_the_same_case(teams: Teams) -> None:
    token, card_id = await card_reply(teams, "channel_mention")
    await teams.post(submit(teams, token, card_id, "1712674880776"))
    other = {"id": "29:1b7Kx0cJ5dJzVq3wP9mNHnQ2yGfR8aT", "name": "Alex Wilber", "aadObjectId": "x"}
    click = submit(teams, token, card_id, "1712674890002")
    await teams.post({**click, "from": other})
    (case,) = await teams.escalation.list_cases()
    assert [r.display_name for r in case.reporters] == ["Megan Bowen", "Alex Wilber"]
    assert "2 people reported it" in texts(only_card(teams.connector.of_kind("update")[-1]))


async def test_execute_invoke_returns_the_refreshed_card(teams: Teams) -> None:
    token, card_id = await card_reply(teams, "personal_message")
    invoke = teams.activity("invoke_escalate", replyToId=card_id)
    invoke["value"]["action"]["data"]["token"] = token

    first = await teams.post(invoke)
    assert first.status == 200
    body = await first.json()
    assert body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert_valid_card(body["value"])
    (case,) = await teams.escalation.list_cases()
    assert f"Escalated as {case.reference}" in texts(body["value"])
    assert "Kimono Job Error" in texts(body["value"])
    assert escalate_actions(body["value"]) == []

    again = await teams.post({**invoke, "id": "f:second-click"})
    body = await again.json()
    assert f"Already escalated as {case.reference}" in texts(body["value"])
    assert len(await teams.escalation.list_cases()) == 1
    # An invoke's answer is its HTTP response: nothing else was sent or updated.
    assert [c.kind for c in teams.connector.calls] == ["reply"]


async def test_a_button_that_is_not_ours_is_answered_in_words(teams: Teams) -> None:
    click = teams.activity(
        "submit_escalate", value={"action": "passback.escalate", "token": "not-a-real-token"}
    )
    await teams.post(click)
    (reply,) = teams.connector.calls
    assert reply.kind == "reply"
    assert "not one of ours" in reply.body["text"]
    assert reply.body["textFormat"] == "plain"
    assert await teams.escalation.list_cases() == []

    invoke = teams.activity("invoke_escalate")
    response = await teams.post(invoke)
    body = await response.json()
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert body["value"] == reply.body["text"]


async def test_a_redelivered_click_is_handled_once(teams: Teams) -> None:
    token, card_id = await card_reply(teams, "channel_mention")
    click = submit(teams, token, card_id, "1712674880776")
    await teams.post(click)
    await teams.post(click)  # Teams retries after about 15 s without an answer
    assert len(teams.connector.of_kind("update")) == 1
    assert len(await teams.escalation.list_cases()) == 1


async def test_a_click_without_the_cards_id_gets_the_updated_card_as_a_reply(teams: Teams) -> None:
    token, _ = await card_reply(teams, "personal_message")
    click = teams.activity(
        "submit_escalate",
        conversation=teams.activity("personal_message")["conversation"],
        value={"action": "passback.escalate", "token": token},
    )
    del click["replyToId"]  # the Bot Framework Emulator's Web Chat does not say which card
    await teams.post(click)
    assert teams.connector.of_kind("update") == []
    answer = teams.connector.calls[-1]
    assert answer.kind == "reply"
    (case,) = await teams.escalation.list_cases()
    assert f"Escalated as {case.reference}" in texts(only_card(answer))


CHANNEL_ID = "19:c3a8e4f6d4c0438d9f1b2ba6d5b5a3f1@thread.tacv2"
ALEX = {"id": "29:1b7Kx0cJ5dJzVq3wP9mNHnQ2yGfR8aT", "name": "Alex Wilber", "aadObjectId": "x"}


async def post_and_escalate(teams: Teams, post_id: str, sender: dict[str, Any] | None) -> None:
    """A new post (its own thread) in the channel with the Kimono error, then Escalate."""
    conversation = {
        "isGroup": True,
        "conversationType": "channel",
        "tenantId": "5a0e7b1c-3f2d-4e8a-9b6c-1d2e3f4a5b6c",
        "id": f"{CHANNEL_ID};messageid={post_id}",
    }
    sent_by = {"from": sender} if sender else {}
    before = len(teams.connector.calls)
    await teams.send(
        "channel_mention", id=post_id, text=KIMONO, conversation=conversation, **sent_by
    )
    (call,) = teams.connector.calls[before:]
    (button,) = escalate_actions(only_card(call))
    click = submit(teams, button["data"]["token"], call.created_id, f"{post_id}1")
    await teams.post({**click, "conversation": conversation, **sent_by})


async def test_two_teachers_posting_in_one_channel_join_one_case(teams: Teams) -> None:
    await post_and_escalate(teams, "1712674843587", None)
    await post_and_escalate(teams, "1712678443000", ALEX)  # another thread, an hour later
    (case,) = await teams.escalation.list_cases()
    assert [r.display_name for r in case.reporters] == ["Megan Bowen", "Alex Wilber"]
    assert case.origin.channel == CHANNEL_ID


async def test_the_card_redrawn_after_a_click_is_not_counted_as_an_answer(teams: Teams) -> None:
    token, card_id = await card_reply(teams, "channel_mention")
    await teams.post(submit(teams, token, card_id, "1712674880779"))
    assert teams.connector.of_kind("update")
    response = await teams.client.get("/metrics")
    lines = (await response.text()).splitlines()
    assert 'passback_answer_latency_seconds_count{platform="teams"} 1.0' in lines
    answers = [line for line in lines if line.startswith("passback_answers_total{")]
    assert sum(float(line.rsplit(" ", 1)[1]) for line in answers) == 1


async def test_ask_support_about_a_message_the_bot_does_not_know(teams: Teams) -> None:
    await teams.send("personal_message", text="The printer says PC LOAD LETTER")
    call = teams.connector.calls[-1]
    (button,) = escalate_actions(only_card(call))
    assert button["title"] == "Ask support about this"
    token = button["data"]["token"]

    await teams.post(submit(teams, token, call.created_id, "1712674880999"))
    (case,) = await teams.escalation.list_cases()
    assert case.entry_ids == ("unlisted",) and "PC LOAD LETTER" in case.text
    await teams.post(submit(teams, token, call.created_id, "1712674881000"))  # once, as ever
    assert len(await teams.escalation.list_cases()) == 1


async def test_a_greeting_gets_no_support_button(teams: Teams) -> None:
    await teams.send("personal_message", text="hi there")
    assert escalate_actions(only_card(teams.connector.calls[-1])) == []


async def test_each_error_of_a_paste_escalates_on_its_own_and_joins_its_open_case(
    teams: Teams,
) -> None:
    # A Kimono case is already open in this chat; then a paste of three errors, of which
    # Exchange and Kimono call for support (Unable to Process Score is fixed in Canvas).
    token, card_id = await card_reply(teams, "personal_message")
    await teams.post(submit(teams, token, card_id, "f:first"))
    (kimono_case,) = await teams.escalation.list_cases()
    paste = "\n".join(
        [
            'Unable to process score for s842620; missing "assignment_source_id" attribute',
            "EXCHANGE_ERROR_NON_RETRYABLE - fv5-v10-zze - HTTP response HTTP/1.1 403 Forbidden",
            "A Kimono Job has timed out and been cancelled.",
        ]
    )
    before = len(teams.connector.calls)
    await teams.send("personal_message", id="f:three-errors", text=paste)
    (call,) = teams.connector.calls[before:]
    card = only_card(call)
    assert "3 errors in this paste" in texts(card)
    exchange_button, kimono_button = escalate_actions(card)  # one each, in paste order
    assert exchange_button["title"] == kimono_button["title"] == "Escalate this error"

    await teams.post(submit(teams, kimono_button["data"]["token"], call.created_id, "f:k"))
    cases = await teams.escalation.list_cases()
    assert [c.reference for c in cases] == [kimono_case.reference]  # joined, not a new case
    redrawn = only_card(teams.connector.of_kind("update")[-1])
    assert f"Already escalated as {kimono_case.reference}" in texts(redrawn)
    (still,) = escalate_actions(redrawn)  # Exchange can still be escalated from this card

    await teams.post(submit(teams, still["data"]["token"], call.created_id, "f:e"))
    exchange_case = next(c for c in await teams.escalation.list_cases() if c != kimono_case)
    assert exchange_case.entry_ids == ("exchange",)  # its own case, titled by its error
    assert exchange_case.fields == {
        "exchange": {"exchange_id": "fv5-v10-zze", "http_status": "403"}
    }
    last = only_card(teams.connector.of_kind("update")[-1])
    assert f"Escalated as {exchange_case.reference}" in texts(last)
