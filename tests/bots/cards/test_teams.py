from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bots.answer import Answer
from bots.cards import sentences
from bots.cards.teams import (
    ESCALATE_ACTION,
    adaptive_escape,
    attachment,
    render_teams_card,
)
from catalog import Catalog
from matcher import Matcher
from tests.bots.cards.payload_checks import (
    markdown_html,
    markdown_tags,
    markdown_visible_text,
    teams_problems,
    walk,
)
from tests.bots.cards.samples import (
    HOSTILE,
    PASTES,
    answer_for,
    answer_names,
    hostile_answer,
    hostile_no_match,
    make_case,
)

# Bold labels are the only markup the bot itself puts in TextBlocks (plus its step lists).
OWN_BOLD = re.compile(
    r"What it means:|How to fix:|If the .+|Did you mean one of these\?|How to ask:|"
    r"The errors I know:|What I read:|Error not in the Canvas error dictionary|Guides:"
)


def _texts(card: dict) -> list[str]:
    return [d["text"] for d in walk(card) if d.get("type") == "TextBlock"]


def _facts(card: dict) -> list[dict]:
    return [f for d in walk(card) if d.get("type") == "FactSet" for f in d["facts"]]


def _submits(card: dict) -> list[dict]:
    return [d for d in walk(card) if d.get("type") == "Action.Submit"]


def _undefang(text: str) -> str:
    return text.replace("\u2060", "").replace("\u2024", ".")


@pytest.mark.parametrize("name", answer_names())
@pytest.mark.parametrize("escalated", [False, True])
def test_every_answer_is_a_valid_adaptive_card(
    answers: dict[str, Answer], name: str, escalated: bool
) -> None:
    case = make_case() if escalated else None
    card = render_teams_card(answers[name], escalate_token="tok-1", case=case)
    assert teams_problems(card) == []
    assert len(json.dumps(card).encode()) < 28_000 or name == "oversized"  # Teams' card limit


def test_the_schema_check_catches_an_invalid_card(catalog: Catalog, matcher: Matcher) -> None:
    card = render_teams_card(answer_for(matcher, catalog, PASTES["canonical"]["kimono-job"]))
    card["body"][0]["items"][0]["size"] = "enormous"
    assert teams_problems(card)
    card = render_teams_card(answer_for(matcher, catalog, PASTES["canonical"]["kimono-job"]))
    card["actions"] = [{"type": "Action.Submit", "title": "x", "data": 5}]
    assert teams_problems(card)


def test_a_documented_error_reads_as_title_facts_meaning_steps_guides(
    catalog: Catalog, matcher: Matcher
) -> None:
    answer = answer_for(matcher, catalog, PASTES["canonical"]["unable-to-process-score"])
    card = render_teams_card(answer, escalate_token="tok-1")
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    [container] = card["body"]
    items = container["items"]
    assert items[0]["text"] == "Unable to Process Score" and items[0]["style"] == "heading"
    assert _facts(card) == [{"title": "Student result", "value": "s842620"}]
    texts = _texts(card)
    assert "**If the assignment has no due date**" in texts  # a sentence, not "If: No due date"
    assert "**What it means:** Assignment has no due date." in texts
    assert (
        "1. In Canvas, add or update the assignment due date.\r2. Re-sync to Infinite Campus."
        in texts
    )
    links = re.findall(r"\]\((https://[^)\s]+)\)", "\n".join(texts))
    assert links == [r.url for r in catalog["unable-to-process-score"].resources]
    assert not [d for d in walk(card) if d.get("type") == "Action.OpenUrl"]  # links wrap
    assert not _submits(card)  # fixed in Canvas: nothing to escalate
    assert card["fallbackText"] == "Unable to Process Score: Assignment has no due date."


def test_escalating_error_carries_the_token_the_adapter_reads(
    catalog: Catalog, matcher: Matcher
) -> None:
    answer = answer_for(matcher, catalog, PASTES["canonical"]["kimono-job"])
    card = render_teams_card(answer, escalate_token="tok-42")
    assert card["actions"] == [
        {
            "type": "Action.Submit",
            "title": "Escalate to support",
            "style": "positive",
            "data": {"action": ESCALATE_ACTION, "token": "tok-42"},
        }
    ]
    assert "actions" not in render_teams_card(answer)  # no token: nothing to click


def test_escalated_case_shows_its_reference_instead(catalog: Catalog, matcher: Matcher) -> None:
    answer = answer_for(matcher, catalog, PASTES["canonical"]["kimono-job"])
    card = render_teams_card(answer, escalate_token="tok-1", case=make_case("PB-1042", 3))
    assert not _submits(card)
    assert card["body"][-1]["text"] == "Escalated as PB-1042 · 3 people reported it · open"
    assert "Escalated as PB-1042" in card["fallbackText"]


def test_attachment_is_what_bot_framework_expects(catalog: Catalog, matcher: Matcher) -> None:
    card = render_teams_card(answer_for(matcher, catalog, PASTES["canonical"]["kimono-job"]))
    assert attachment(card) == {
        "contentType": "application/vnd.microsoft.card.adaptive",
        "content": card,
    }


def test_several_errors_read_at_a_glance(answers: dict[str, Answer]) -> None:
    answer = answers["multi-40"]
    card = render_teams_card(answer, escalate_token="tok-1")
    body = card["body"]
    assert body[0]["text"] == f"{len(answer.errors)} errors in this paste"
    assert body[1]["text"].startswith(f"{answer.errors[0].title} (for 5 students), ")
    containers = [b for b in body if b["type"] == "Container"]
    assert len(containers) == 5  # the rest are named in one line
    for n, (container, error) in enumerate(zip(containers, answer.errors, strict=False)):
        title, meaning, details, *rest = container["items"]
        assert title["text"].startswith(f"**{error.title}")
        assert meaning["text"]  # what it means, in one line
        # The fix is one tap away: hidden, and shown in place by "How to fix it".
        assert details["isVisible"] is False and details["id"] == f"passback-error-{n}-details"
        assert any("How to fix:" in t for t in _texts(details))
        (toggle, *escalate) = rest[-1]["actions"]
        assert toggle == {
            "type": "Action.ToggleVisibility",
            "title": "How to fix it",
            "targetElements": [details["id"]],
        }
        assert len(escalate) == (1 if error.escalation.button else 0)
    assert "And 4 more: " in "\n".join(_texts(card))
    guides = re.findall(r"\]\((https://[^)\s]+)\)", "\n".join(_texts(card)))
    assert guides and len(guides) == len(set(guides))  # each guide once, for all the errors
    assert "Syncing grades from Canvas to Infinite Campus" in "\n".join(_texts(card))
    assert "actions" not in card  # no card-wide Escalate: each error has its own


def test_each_error_that_calls_for_support_escalates_on_its_own(
    catalog: Catalog, matcher: Matcher
) -> None:
    paste = "\n".join(
        [
            PASTES["canonical"]["unable-to-process-score"],
            PASTES["canonical"]["exchange"],
            PASTES["canonical"]["kimono-job"],
        ]
    )
    answer = answer_for(matcher, catalog, paste)
    assert [e.entry_id for e in answer.errors] == [
        "unable-to-process-score",
        "exchange",
        "kimono-job",
    ]
    tokens = {"exchange": "tok-exchange", "kimono-job": "tok-kimono"}
    card = render_teams_card(answer, escalate_token=tokens)
    assert teams_problems(card) == []
    assert [s["data"]["token"] for s in _submits(card)] == ["tok-exchange", "tok-kimono"]
    assert {s["title"] for s in _submits(card)} == {"Escalate this error"}
    # Kimono escalated: its case shows on its error, Exchange keeps its button.
    case = make_case("PB-7", reporters=2)  # a Kimono Job case
    card = render_teams_card(answer, escalate_token=tokens, case=case, joined=True)
    assert teams_problems(card) == []
    assert [s["data"]["token"] for s in _submits(card)] == ["tok-exchange"]
    kimono = [b for b in card["body"] if b["type"] == "Container"][2]
    assert any(t.startswith("Already escalated as PB-7 · 2 people") for t in _texts(kimono))


def test_no_match_offers_suggestions_and_the_unlisted_escalation(
    catalog: Catalog, answers: dict[str, Answer]
) -> None:
    card = render_teams_card(answers["no-match-unlisted"], escalate_token="tok-1")
    texts = _texts(card)
    assert texts[0] == "I don't recognise this error"
    assert "**Did you mean one of these?**" in texts
    assert any(
        "- PUT for OneRoster Error (HTTP status 500, not the documented 422)" in t for t in texts
    )
    assert f"**{catalog.unlisted.title}**" in texts
    assert [s["data"]["token"] for s in _submits(card)] == ["tok-1"]
    [run] = [d for d in walk(card) if d.get("type") == "TextRun"]
    assert run["text"] == sentences.defang_links(answers["no-match-unlisted"].excerpt)


def test_help_says_how_to_ask_and_list_names_every_error(
    catalog: Catalog, answers: dict[str, Answer]
) -> None:
    card = render_teams_card(answers["help"], escalate_token="tok-1")
    said = "\n".join(_texts(card))
    assert "In a group chat or a channel, @mention me" in said
    assert "Send list to see the errors I know." in said
    assert not [e for e in catalog.entries if e.title in said]
    assert "actions" not in card
    card = render_teams_card(answers["list"], escalate_token="tok-1")
    listed = _texts(card)[1].split("\r")
    assert listed == [f"- {entry.title}" for entry in catalog.entries]
    assert "actions" not in card


def test_a_very_long_paste_says_it_was_cut(answers: dict[str, Answer]) -> None:
    card = render_teams_card(answers["long-paste"])
    assert card["body"][0]["color"] == "warning"
    assert "only its first 40,000 characters" in card["body"][0]["text"]


@pytest.mark.parametrize("value", HOSTILE)
def test_adaptive_escape_renders_literally(value: str) -> None:
    escaped = adaptive_escape(value)
    assert markdown_tags(escaped) <= {"p"}
    assert _undefang(markdown_visible_text(escaped).strip()) == value.strip()


# Any line of text (less NUL, which CommonMark replaces, and the two characters links are broken
# with, which the comparison maps back), and lines built from markup fragments.
ANY_LINE = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00\n\r\u2060\u2024")
)
MARKUP = st.sampled_from(
    [
        *"*_[]()<>!`~#-+=.:/@&;|\\{}$^%¶ \taw1",
        *("https://", "www.", ".com", ".org", "&amp;", "1. ", "- ", "mailto:", "x@y.co"),
        *("{{DATE(", "<b>", "ftp:", "**", "__"),
    ]
)


@given(st.one_of(ANY_LINE, st.lists(MARKUP, max_size=30).map("".join)))
def test_adaptive_escape_renders_any_line_literally(value: str) -> None:
    escaped = adaptive_escape(value)
    assert markdown_tags(escaped) <= {"p", "br"}
    assert " ".join(_undefang(markdown_visible_text(escaped)).split()) == " ".join(value.split())


def test_ordinary_ids_are_left_alone() -> None:
    for value in (
        "s842620",
        "fv5-v10-zze",
        "cb5f57e0-f50f-46c8",
        "snake_case_id",
        "2023.S1.12",
        "422",
    ):
        assert adaptive_escape(value) == value


@pytest.mark.parametrize("value", HOSTILE)
def test_user_text_in_a_card_never_links_or_formats(catalog: Catalog, value: str) -> None:
    for answer in (hostile_answer(value), hostile_no_match(value, catalog)):
        card = render_teams_card(answer, escalate_token="tok-1")
        assert teams_problems(card) == []
        for fact in _facts(card):
            assert markdown_tags(fact["value"]) <= {"p"}
        guides = {r.url for e in catalog.entries for r in e.resources}
        guides |= {r.url for r in catalog.unlisted.resources}
        for text in _texts(card):
            tags = markdown_tags(text)
            assert tags <= {"p", "strong", "ul", "ol", "li", "br", "a"}, text
            # The only links are the catalog's guides.
            assert set(re.findall(r'href="([^"]*)"', markdown_html(text))) <= guides, text
            for bold in re.findall(r"<strong>(.*?)</strong>", markdown_html(text)):
                assert OWN_BOLD.fullmatch(bold), bold
        for run in (d for d in walk(card) if d.get("type") == "TextRun"):
            assert "//" not in run["text"] and "{{" not in run["text"]
        raw = json.dumps(card, ensure_ascii=False)
        assert "https://evil" not in raw and "evil.example" not in raw
        assert value not in card["fallbackText"]
