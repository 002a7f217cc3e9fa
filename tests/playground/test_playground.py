"""passback in Microsoft's own Teams client (the Microsoft 365 Agents Playground), as teachers
use it: a paste in a 1:1 chat, several errors at once, help and list, Escalate twice, two
teachers in one channel, an @mention in a group chat.

Every card is photographed (tests/playground/screenshots/) and checked as it is drawn: no text
cut at the card's edge, no text under 4.5:1 contrast. The playground's log must hold no warning
but its documented "Full width control is not supported yet".

Run with `make test-teams` (it installs Chromium, the playground and Playwright); plain
`make test` leaves these out (marker `playground`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, expect

from tests.playground.harness import (
    Bot,
    Client,
    browser,
    card_problems,
    log_problems,
    passback_serve,
    playground,
)
from tests.processes import clean_environment

pytestmark = pytest.mark.playground

SHOTS = Path(__file__).parent / "screenshots"
KIMONO = "A Kimono Job has timed out and been cancelled."
EXCHANGE = "EXCHANGE_ERROR_NON_RETRYABLE - fv5-v10-zze - HTTP response HTTP/1.1 403 Forbidden"
SCORES = 'Unable to process score for s842620; missing "assignment_source_id" attribute'
UNLISTED = "Grade sync failed: SIS_EXPORT_FAILURE - HTTP Status: 503 Service Unavailable"
THREE = "\n".join([SCORES, EXCHANGE, KIMONO])
ESCALATED = re.compile(r"[Ee]scalated as (PB-\d+)")  # "Escalated as", "Already escalated as"


class Teachers:
    """Two teachers, each in their own playground, talking to one passback server."""

    def __init__(self, bot: Bot, alex: Client, megan: Client):
        self.bot = bot
        self.alex = alex
        self.megan = megan


@pytest.fixture(scope="module")
def teachers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Teachers]:
    folder = tmp_path_factory.mktemp("playground")
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir()
    with (
        passback_serve(folder / "data") as bot,
        playground(bot, "alex", folder) as alex_playground,
        playground(bot, "megan", folder) as megan_playground,
        browser() as context,
    ):
        alex = Client.open(context, alex_playground, SHOTS)
        megan = Client.open(context, megan_playground, SHOTS)
        yield Teachers(bot, alex, megan)


def checked(client: Client, card: Locator, name: str) -> str:
    """The card's text, after its photograph and the checks of how it is drawn."""
    client.shoot(card, name)
    assert card_problems(card) == [], f"{name}: see {SHOTS / name}.png"
    return card.inner_text()


def escalate(client: Client, card: Locator) -> tuple[Locator, str]:
    """Click Escalate on `card`; the card as it is redrawn, and the case reference on it."""
    client.click(card, "Escalate to support")
    expect(card).to_contain_text(ESCALATED)
    found = ESCALATED.search(card.inner_text())
    assert found is not None
    return card, found.group(1)


def cases(bot: Bot, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bots", "escalations", "list", *args],
        env=clean_environment({"PASSBACK_DATA_DIR": str(bot.data_dir)}),
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_a_pasted_error_in_a_personal_chat(teachers: Teachers) -> None:
    alex = teachers.alex
    alex.chat("Personal Chat")
    text = checked(alex, alex.say(KIMONO), "1-personal-kimono")
    assert "Kimono Job Error" in text
    assert "Escalate to support" in text


def test_an_error_the_catalog_does_not_list(teachers: Teachers) -> None:
    alex = teachers.alex
    text = checked(alex, alex.say(UNLISTED), "2-personal-unlisted")
    assert "Error not in the Canvas error dictionary" in text
    assert "Troubleshooting Infinite Campus in Canvas" in text


def test_a_paste_of_several_errors(teachers: Teachers) -> None:
    alex = teachers.alex
    card = alex.say(THREE)
    text = checked(alex, card, "3-personal-three")
    assert text.startswith("3 errors in this paste")
    for title in ("Unable to Process Score", "Exchange Error", "Kimono Job Error"):
        assert title in text
    assert "How to fix:" not in text  # one tap away
    card.get_by_role("button", name="How to fix it").first.click()
    expect(card).to_contain_text("How to fix:")
    checked(alex, card, "3-personal-three-opened")


def test_help_says_how_to_ask_and_list_names_the_errors(teachers: Teachers) -> None:
    alex = teachers.alex
    help_text = checked(alex, alex.say("help"), "4-help")
    list_text = checked(alex, alex.say("list"), "5-list")
    assert "Kimono Job Error" in list_text
    assert help_text != list_text


def test_escalate_and_escalate_again(teachers: Teachers) -> None:
    alex = teachers.alex
    cards = alex.cards().count()
    first, reference = escalate(alex, alex.say(KIMONO))
    checked(alex, first, "6-escalated")
    again, same = escalate(alex, alex.say(KIMONO))
    assert same == reference
    expect(again).to_contain_text(f"Already escalated as {reference}")
    checked(alex, again, "7-escalated-again")
    # On a card of several errors, Kimono's own Escalate joins that same case.
    three = alex.say(THREE)
    buttons = three.get_by_role("button", name="Escalate this error")
    expect(buttons).to_have_count(2)  # Exchange and Kimono; Unable to Process Score is not
    buttons.nth(1).click()
    expect(three).to_contain_text(f"Already escalated as {reference}")
    expect(buttons).to_have_count(1)  # Exchange's is still there
    checked(alex, three, "7-escalated-one-of-three")
    assert alex.cards().count() == cards + 3  # each card was updated in place


def test_two_teachers_in_one_channel_join_one_case(teachers: Teachers) -> None:
    alex, megan = teachers.alex, teachers.megan
    alex.chat("Grades help")
    card = alex.post(EXCHANGE)
    checked(alex, card, "8-channel-alex")
    _, reference = escalate(alex, card)

    megan.chat("Grades help")
    card = megan.post(EXCHANGE)  # her own post: another thread of the same channel
    card, same = escalate(megan, card)
    assert same == reference
    expect(card).to_contain_text("2 people reported it")
    checked(megan, card, "9-channel-megan")
    listed = cases(teachers.bot)
    assert reference in listed and "2 reporters" in listed


def test_a_group_chat_answers_an_at_mention(teachers: Teachers) -> None:
    megan = teachers.megan
    megan.chat("Grade team")
    text = checked(megan, megan.say(KIMONO, mention=True), "10-group-chat")
    assert "Kimono Job Error" in text


def test_the_playground_logged_no_warning(teachers: Teachers) -> None:
    for client in (teachers.alex, teachers.megan):
        lines = client.log_lines()
        assert any("message 201" in line for line in lines), lines[-5:]
        assert log_problems(lines) == []
