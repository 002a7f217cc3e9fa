"""From what someone wrote to the message the bot sends back: card, list of errors, or usage.

Every listener ends here, so /passback, @mentions and direct messages say the same thing.
An answer that offers Escalate (or can be shared) stores a draft with the escalation service;
the draft's token goes in the buttons, and a click finds the pasted text again through it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bots.answer import Answer
from bots.assistant import Assistant, Reading
from bots.canvas_chat import CanvasChecks
from bots.cards.slack import render_slack_message, slack_escape
from bots.cards.slack_glance import MAX_FULL_ERRORS
from bots.escalation.model import Case, Draft, Origin, Reporter
from bots.escalation.service import EscalationService
from bots.slack.failures import ResponseUrlRefused, Say

USAGE = (
    "*How to use passback*\n"
    "• `/passback <error>`: paste the error after the command; only you see the answer, "
    "and you can share it in the channel.\n"
    "• `@passback <error>` in a channel I'm in: I answer in a thread.\n"
    "• `@passback` as a reply under a pasted error: I answer the thread's first message.\n"
    "• Send me the error in a direct message.\n"
    "• `/passback list`: the errors I know."
)
NOTHING_IN_THREAD = (
    "I couldn't find an error in the first message of this thread. Mention me together with "
    "the error text, or type /passback help."
)


def usage_message() -> dict[str, Any]:
    return {
        "text": "How to use passback: /passback <error>, @passback <error>, or a direct message.",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": USAGE}}],
    }


def notice(text: str) -> dict[str, Any]:
    """A one-line message of our own words (escaped, so nothing in it can ping or link)."""
    escaped = slack_escape(text)
    return {
        "text": escaped,
        "blocks": [{"type": "section", "text": {"type": "plain_text", "text": escaped}}],
    }


async def send_response(respond: AsyncRespond, **message: Any) -> None:
    """Post through bolt's `respond` (the `response_url`); an error answer raises, so it is
    logged and the user told, rather than lost."""
    sent = await respond(**message)
    status = getattr(sent, "status_code", 200)
    if status >= 400:
        raise ResponseUrlRefused(status, str(getattr(sent, "body", "") or "")[:60])


def say_privately(respond: AsyncRespond) -> Say:
    """Say a sentence to the person who clicked or typed `/passback`, seen only by them."""

    async def say(sentence: str) -> None:
        await send_response(
            respond, replace_original=False, response_type="ephemeral", **notice(sentence)
        )

    return say


def say_in_thread(client: AsyncWebClient, channel: str, thread: str | None) -> Say:
    """Say a sentence in the conversation (the thread, if any) a message was written in."""

    async def say(sentence: str) -> None:
        await client.chat_postMessage(channel=channel, thread_ts=thread, **notice(sentence))

    return say


Permalink = Callable[[], Awaitable[str]]


async def prepare_token(
    escalation: EscalationService,
    answer: Answer,
    text: str,
    origin: Origin,
    asked_by: Reporter,
    permalink: Permalink | None = None,
) -> str:
    if permalink is not None and not origin.link:
        origin = replace(origin, link=await permalink())
    return await escalation.prepare(Draft.for_answer(answer, text, origin, asked_by))


async def reply_to(
    assistant: Assistant,
    escalation: EscalationService,
    text: str,
    *,
    origin: Origin,
    asked_by: Reporter,
    shared: bool,
    shareable: bool = False,
    permalink: Permalink | None = None,
    canvas: CanvasChecks | None = None,
    reading: Reading | None = None,
) -> dict[str, Any]:
    """The message answering `text`: usage for nothing or `help`, the list, or the card.

    `permalink` gives a link to the message asked about, for support; asked only when the
    answer stores a draft. `reading` is `text` already read (`Assistant.read`), if it was.
    `shared`: the message goes where others see it (a channel), so student data is withheld."""
    if reading is None:
        reading = await assistant.read(text)
    if reading.command == "help":
        return usage_message()
    if reading.command == "list":
        return render_slack_message(reading.answer).to_dict()
    answer = await assistant.answer(text, platform="slack", reading=reading)
    checkable = canvas is not None and canvas.offers(answer)
    token = None
    if answer.escalates or shareable or checkable:
        token = await prepare_token(escalation, answer, text, origin, asked_by, permalink)
    escalate: str | dict[str, str] | None = token if answer.escalates else None
    if token and answer.escalates and several(answer):
        draft = await escalation.get_draft(token)  # its origin has the permalink, if any
        where = draft.origin if draft is not None else origin
        escalate = await error_tokens(escalation, answer, text, where, asked_by)
    return render_slack_message(
        answer.view(shared=shared),
        escalate_token=escalate,
        share_token=token if shareable else None,
        check_token=token if checkable else None,
    ).to_dict()


def several(answer: Answer) -> bool:
    return answer.kind == "errors" and len(answer.errors) > 1


async def error_tokens(
    escalation: EscalationService,
    answer: Answer,
    text: str,
    origin: Origin,
    asked_by: Reporter | None,
    skip: tuple[str, ...] = (),
) -> dict[str, str]:
    """For a card of several errors, one token for each error that calls for support: each
    opens, or joins, the case for that error alone."""
    return {
        e.entry_id: await escalation.prepare(
            Draft.for_error(answer, e.entry_id, text, origin, asked_by)
        )
        for e in answer.errors[:MAX_FULL_ERRORS]
        if e.escalation.button and e.entry_id not in skip
    }


async def card_for_draft(
    assistant: Assistant,
    escalation: EscalationService,
    token: str,
    *,
    shared: bool,
    case: Case | None = None,
    joined: bool = False,
    shareable: bool = False,
    canvas: CanvasChecks | None = None,
) -> dict[str, Any] | None:
    """The card again, from the text stored with its token; None if the token has expired.
    `shared`: the card is where others see it, so student data is withheld."""
    draft = await escalation.get_draft(token)
    if draft is None:
        return None
    answer = await assistant.redraw(draft.text)
    escalate: str | dict[str, str] | None = token if answer.escalates and case is None else None
    if answer.escalates and several(answer):  # the other errors keep their buttons
        skip = case.entry_ids if case is not None else ()
        escalate = await error_tokens(
            escalation, answer, draft.text, draft.origin, draft.asked_by, skip=skip
        )
    return render_slack_message(
        answer.view(shared=shared),
        escalate_token=escalate,
        share_token=token if shareable else None,
        case=case,
        joined=joined,
        check_token=token if canvas is not None and canvas.offers(answer) else None,
    ).to_dict()
