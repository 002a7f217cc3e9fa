from __future__ import annotations

import html
import json
from typing import Any

import pytest

from bots.answer import Answer
from bots.cards import sentences
from bots.cards.slack import (
    ESCALATE_ACTION_ID,
    GUIDE_ACTION_ID,
    SHARE_ACTION_ID,
    SlackMessage,
    render_slack_message,
    slack_escape,
)
from catalog import Catalog
from matcher import Matcher
from tests.bots.cards.payload_checks import slack_problems, text_objects, walk
from tests.bots.cards.samples import (
    HOSTILE,
    PASTES,
    answer_for,
    answer_names,
    make_case,
)


def _render(answer: Answer, **kwargs) -> dict:
    message = render_slack_message(answer, **kwargs)
    assert isinstance(message, SlackMessage)
    return message.to_dict()


def _buttons(payload: dict) -> list[dict]:
    return [d for d in walk(payload["blocks"]) if d.get("type") == "button"]


def _all_text(payload: dict) -> str:
    return "\n".join([payload["text"], *text_objects(payload, "mrkdwn")])


@pytest.mark.parametrize("name", answer_names())
@pytest.mark.parametrize("state", ["fresh", "escalated", "ephemeral"])
def test_every_answer_is_a_message_slack_accepts(
    answers: dict[str, Answer], name: str, state: str
) -> None:
    by_state: dict[str, dict[str, Any]] = {
        "fresh": {"escalate_token": "tok-1"},
        "escalated": {"escalate_token": "tok-1", "case": make_case()},
        "ephemeral": {"escalate_token": "t" * 2000, "share_token": "s" * 2000},
    }
    kwargs = by_state[state]
    payload = _render(answers[name], **kwargs)
    assert slack_problems(payload) == []


def test_the_checks_catch_what_slack_rejects() -> None:
    bad = {
        "text": "x",
        "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}] * 51,
    }
    problems = slack_problems(bad)
    assert "51 blocks" in problems
    assert any("header" in p for p in problems)


def test_a_documented_error_reads_as_title_facts_meaning_steps_guides(
    catalog: Catalog, matcher: Matcher
) -> None:
    answer = answer_for(matcher, catalog, PASTES["canonical"]["unable-to-process-score"])
    payload = _render(answer, escalate_token="tok-1")
    blocks = payload["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Unable to Process Score", "emoji": True},
    }
    assert blocks[1]["type"] == "context"
    assert [e["text"] for e in blocks[1]["elements"]] == ["*Student result:*", "s842620"]
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert sections[0].startswith(
        "*If the assignment has no due date*\n*What it means:* Assignment has no due date."
    )
    assert "1. In Canvas, add or update the assignment due date.\n2. Re-sync" in sections[0]
    assert sections[1].startswith("*If the assignment has different due dates")
    guides = [b for b in _buttons(payload) if b["action_id"].startswith(GUIDE_ACTION_ID)]
    assert [g["url"] for g in guides] == [
        r.url for r in catalog["unable-to-process-score"].resources
    ]
    assert "your district's Canvas admins" in blocks[-1]["elements"][0]["text"]
    # Not a support case: the documented fix is in Canvas, so no Escalate button.
    assert not [b for b in _buttons(payload) if b["action_id"] == ESCALATE_ACTION_ID]
    assert payload["text"] == "Unable to Process Score: Assignment has no due date."


def test_escalating_error_has_the_escalate_button_with_the_token(
    catalog: Catalog, matcher: Matcher
) -> None:
    answer = answer_for(matcher, catalog, PASTES["canonical"]["kimono-job"])
    payload = _render(answer, escalate_token="tok-42")
    [button] = [b for b in _buttons(payload) if b["action_id"] == ESCALATE_ACTION_ID]
    assert button["value"] == "tok-42"
    assert button["style"] == "primary"
    assert button["text"]["text"] == "Escalate to support"
    # Without a token (say, the escalation service is off) there is nothing to click.
    assert not [b for b in _buttons(_render(answer)) if b["action_id"] == ESCALATE_ACTION_ID]


def test_escalation_line_says_when_and_to_whom(catalog: Catalog, matcher: Matcher) -> None:
    answer = answer_for(matcher, catalog, PASTES["canonical"]["exchange"])
    contexts = [b for b in _render(answer)["blocks"] if b["type"] == "context"]
    line = contexts[-1]["elements"][0]["text"]
    escalation = catalog["exchange"].escalation
    assert line.startswith("Still stuck? ")
    assert escalation.when.rstrip(".") in line
    assert slack_escape(escalation.to) in line


def test_escalated_case_replaces_the_button_with_its_reference(
    catalog: Catalog, matcher: Matcher
) -> None:
    answer = answer_for(matcher, catalog, PASTES["canonical"]["kimono-job"])
    payload = _render(answer, escalate_token="tok-1", case=make_case("PB-1042", reporters=3))
    assert not [b for b in _buttons(payload) if b["action_id"] == ESCALATE_ACTION_ID]
    last = payload["blocks"][-1]
    assert last["type"] == "section"  # normal text, not a context block's small grey print
    assert last["text"]["text"] == "Escalated as PB-1042 · 3 people reported it · open"
    assert "Escalated as PB-1042" in payload["text"]
    one = _render(answer, case=make_case("PB-7", reporters=1))
    assert one["blocks"][-1]["text"]["text"] == "Escalated as PB-7 · 1 person reported it · open"
    joined = _render(answer, case=make_case("PB-7", reporters=2), joined=True)
    assert joined["blocks"][-1]["text"]["text"].startswith("Already escalated as PB-7 · 2 people")


def test_share_button_for_ephemeral_replies(catalog: Catalog, matcher: Matcher) -> None:
    answer = answer_for(matcher, catalog, PASTES["canonical"]["assignment-dates"])
    [share] = [
        b
        for b in _buttons(_render(answer, share_token="sh-9"))
        if b["action_id"] == SHARE_ACTION_ID
    ]
    assert share["value"] == "sh-9"
    assert share["text"]["text"] == "Share in channel"
    assert not [b for b in _buttons(_render(answer)) if b["action_id"] == SHARE_ACTION_ID]


def test_a_token_slack_would_reject_is_a_bug_not_a_cut(catalog: Catalog, matcher: Matcher) -> None:
    answer = answer_for(matcher, catalog, PASTES["canonical"]["kimono-job"])
    with pytest.raises(ValueError, match="2000"):
        render_slack_message(answer, escalate_token="t" * 2001)


def test_several_errors_read_at_a_glance(answers: dict[str, Answer]) -> None:
    answer = answers["multi-40"]
    assert len(answer.errors) == 9
    payload = _render(answer, escalate_token="tok-1")
    blocks = payload["blocks"]
    headers = [b["text"]["text"] for b in blocks if b["type"] == "header"]
    # A line that counts them, then the first error in full.
    assert headers == ["9 errors in this paste", "Unable to Process Score (for 5 students)"]
    assert blocks[1]["text"]["text"].startswith("Unable to Process Score (for 5 students), ")
    # The others in one section each: title and what it means.
    summaries = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    for error in answer.errors[1:5]:
        assert any(s.startswith(f"*{error.title}") for s in summaries), error.title
    contexts = [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]
    more = contexts[-1]
    assert more.startswith("And 4 more: ")
    assert all(e.title in more for e in answer.errors[5:])
    assert payload["text"].startswith("9 grade passback errors: Unable to Process Score; ")
    # Each error that needs support has its own Escalate, with an id unique in the message.
    escalating = [n for n, e in enumerate(answer.errors[:5]) if e.escalation.button]
    ids = [b["action_id"] for b in _buttons(payload) if b["action_id"].startswith("passback_esc")]
    assert ids == [f"passback_escalate_{n}" for n in escalating]


def test_each_error_that_calls_for_support_escalates_on_its_own(
    catalog: Catalog, matcher: Matcher
) -> None:
    paste = "\n".join(
        PASTES["canonical"][k] for k in ("unable-to-process-score", "exchange", "kimono-job")
    )
    answer = answer_for(matcher, catalog, paste)
    tokens = {"exchange": "tok-exchange", "kimono-job": "tok-kimono"}
    payload = _render(answer, escalate_token=tokens, share_token="s")
    values = {b["action_id"]: b.get("value") for b in _buttons(payload)}
    assert values["passback_escalate_1"] == "tok-exchange"
    assert values["passback_escalate_2"] == "tok-kimono"
    assert "passback_escalate" not in values  # no button for the whole reply
    case = make_case("PB-7", reporters=2)  # a Kimono Job case
    payload = _render(answer, escalate_token=tokens, case=case, joined=True)
    values = {b["action_id"]: b.get("value") for b in _buttons(payload)}
    assert "passback_escalate_2" not in values and values["passback_escalate_1"] == "tok-exchange"
    texts = [b["text"]["text"] for b in payload["blocks"] if b["type"] == "section"]
    assert "Already escalated as PB-7 · 2 people reported it · open" in texts


def test_too_many_large_errors_still_fit_in_fifty_blocks(answers: dict[str, Answer]) -> None:
    payload = _render(answers["oversized"], escalate_token="t", case=None, share_token="s")
    assert len(payload["blocks"]) <= 50
    sections = [b["text"]["text"] for b in payload["blocks"] if b["type"] == "section"]
    contexts = [
        e["text"] for b in payload["blocks"] if b["type"] == "context" for e in b["elements"]
    ]
    assert len([c for c in contexts if c.startswith("And ")]) == 1  # the rest, by title
    assert max(len(s) for s in sections) == 3000  # cut to the limit, with an ellipsis
    assert all(s.endswith("…") for s in sections if len(s) == 3000)
    # The 3,000+ character URL cannot be cut, so that guide is left off rather than rejected.
    assert all(len(b.get("url", "")) <= 3000 for b in _buttons(payload))


def test_no_match_offers_suggestions_and_the_unlisted_escalation(
    catalog: Catalog, answers: dict[str, Answer]
) -> None:
    payload = _render(answers["no-match-unlisted"], escalate_token="tok-1")
    blocks = payload["blocks"]
    assert blocks[0]["text"]["text"] == "I don't recognise this error"
    text = "\n".join(text_objects(payload, "mrkdwn") + text_objects(payload, "plain_text"))
    assert (
        "*Did you mean one of these?*\n• Assignment Scores Export-PUT for OneRoster Error" in text
    )
    assert "PUT for OneRoster Error: HTTP status 500, not the documented 422" in text
    assert "*Error not in the Canvas error dictionary*" in text
    assert slack_escape(catalog.unlisted.escalation.when.rstrip(".")) in text
    assert [b["value"] for b in _buttons(payload) if b["action_id"] == ESCALATE_ACTION_ID] == [
        "tok-1"
    ]
    assert payload["text"].startswith("I don't recognise this error. Did you mean ")


def test_text_that_is_no_error_gets_a_hint_and_ask_support(answers: dict[str, Answer]) -> None:
    # "is Canvas down right now?": no error the bot knows, but whoever asked can reach a person
    payload = _render(answers["no-match-negative"], escalate_token="tok-1")
    assert "Paste the full error text exactly as Canvas shows it" in _all_text(payload)
    assert sentences.ASK_SUPPORT_NOTE in _all_text(payload)
    (button,) = [b for b in _buttons(payload) if b["action_id"] == ESCALATE_ACTION_ID]
    assert (button["text"]["text"], button["value"]) == ("Ask support about this", "tok-1")


def test_help_says_how_to_ask_and_list_names_every_error(
    catalog: Catalog, answers: dict[str, Answer]
) -> None:
    payload = _render(answers["help"], escalate_token="tok-1")
    text = _all_text(payload)
    assert "`/passback &lt;error&gt;`" in text
    assert "`/passback list`" in text
    assert not [e for e in catalog.entries if f"• {e.title}" in text]  # that is list's card
    assert not _buttons(payload)
    listed = _all_text(_render(answers["list"], escalate_token="tok-1"))
    for entry in catalog.entries:
        assert f"• {entry.title}" in listed
    assert "`/passback &lt;error&gt;`" not in listed


def test_a_very_long_paste_is_answered_and_says_it_was_cut(answers: dict[str, Answer]) -> None:
    answer = answers["long-paste"]
    assert answer.truncated and answer.entry_ids == ("kimono-job",)
    payload = _render(answer)
    assert "only its first 40,000 characters" in payload["blocks"][0]["elements"][0]["text"]
    assert "Only the first part of your message was read." in payload["text"]


def test_slack_escape_escapes_exactly_the_three_control_characters() -> None:
    assert (
        slack_escape("<!channel> & <@U123> > *b*")
        == "&lt;!channel&gt; &amp; &lt;@U123&gt; &gt; *b*"
    )


@pytest.mark.parametrize("value", HOSTILE)
def test_user_text_never_pings_links_or_formats(value: str) -> None:
    from tests.bots.cards.samples import hostile_answer

    payload = _render(hostile_answer(value), escalate_token="tok-1")
    raw = json.dumps(payload, ensure_ascii=False)
    for control in ("<!", "<@", "<#", "<http", "<mailto", "<script"):
        assert control not in raw
    assert "https://" not in raw.replace("https://community", "")  # only the catalog's guides
    # User text is only ever in plain_text (never parsed as mrkdwn), and reads as it was sent.
    shown = slack_escape(sentences.defang_links(value))
    plain = text_objects(payload, "plain_text")
    assert any(shown in text for text in plain)
    for text in [*text_objects(payload, "mrkdwn"), payload["text"]]:
        assert value not in html.unescape(text)
        assert "evil" not in text and "U123" not in text and "channel" not in text


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_through_the_whole_pipeline_stay_inert(
    catalog: Catalog, matcher: Matcher, value: str
) -> None:
    paste = PASTES["canonical"]["put-oneroster"].replace("Result denied.", value.replace('"', "'"))
    answer = answer_for(matcher, catalog, paste)
    assert answer.entry_ids == ("put-oneroster",)
    payload = _render(answer, escalate_token="tok-1")
    assert slack_problems(payload) == []
    raw = json.dumps(payload, ensure_ascii=False)
    for control in ("<!", "<@", "<#", "<http", "<script", "evil.example", "https://evil"):
        assert control not in raw
