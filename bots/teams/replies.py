"""What the bot says in Teams: the answer card, the card after Escalate, and the greeting.

No Bot Framework types here: text and ids in, Adaptive Card dicts and sentences out, so the
flow reads in one place (message -> Assistant -> Answer -> card) and the adapter only sends.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bots.answer import Answer
from bots.assistant import Assistant
from bots.cards.sentences import outcome_sentence
from bots.cards.teams import ESCALATE_ACTION, MAX_FULL_ERRORS, render_teams_card
from bots.escalation.model import Draft, EscalationError, Origin, Reporter
from bots.escalation.service import EscalationService

if TYPE_CHECKING:  # the Canvas client loads only when Canvas is configured
    from bots.canvas_chat import CanvasChecks

log = logging.getLogger("passback.teams")

NOT_A_BUTTON = "I didn't understand that button. Send me the error again to get a fresh card."


@dataclass(frozen=True, slots=True)
class Reply:
    """A card, or (when there is no card to show) one sentence of plain text."""

    card: dict[str, Any] | None = None
    text: str = ""


def greeting(bot_name: str, personal: bool) -> str:
    """The hello when the bot is added: in a 1:1 chat, paste; in a group chat or a channel,
    @mention (Teams sends the bot only the messages that mention it there)."""
    name = bot_name.strip() or "Passback"
    where = (
        "Paste the error here, exactly as Canvas shows it."
        if personal
        else f"Here, mention me with the error: @{name} followed by what Canvas showed you."
    )
    return (
        f"Hi, I'm {name}. I explain Canvas to Infinite Campus grade passback errors and how to "
        f"fix them. {where} Type help for how to ask, or list for the errors I know."
    )


def escalate_token(data: Mapping[str, Any] | None) -> str | None:
    """The token of an Escalate click (Action.Submit value or Action.Execute data), else None."""
    if not data or data.get("action") != ESCALATE_ACTION:
        return None
    token = data.get("token")
    return token if isinstance(token, str) and token else ""


async def answer_card(
    assistant: Assistant,
    escalation: EscalationService,
    text: str,
    *,
    origin: Origin,
    asked_by: Reporter,
    shared: bool,
    canvas: CanvasChecks | None = None,
) -> dict[str, Any]:
    """The card answering `text` (help: how to ask; list: the errors the bot knows). An answer
    that offers Escalate stores a draft for each of its buttons; one Canvas can check (with
    `canvas`, when Canvas is configured) gets "Check in Canvas" with the card's draft.
    `shared`: a channel or group chat, where student data is withheld."""
    answer = await assistant.answer(text, platform="teams")
    tokens = await card_tokens(escalation, answer, text, origin, asked_by)
    check = None
    if canvas is not None and canvas.offers(answer):
        check = tokens if isinstance(tokens, str) else None  # Escalate's draft gets the finding
        check = check or await escalation.prepare(Draft.for_answer(answer, text, origin, asked_by))
    return render_teams_card(answer.view(shared=shared), escalate_token=tokens, check_token=check)


async def card_tokens(
    escalation: EscalationService,
    answer: Answer,
    text: str,
    origin: Origin,
    asked_by: Reporter | None,
    skip: tuple[str, ...] = (),
) -> str | dict[str, str] | None:
    """One token for a card of one error (or none found); for a card of several, one for each
    error that calls for support: each opens, or joins, the case for that error alone."""
    if not answer.escalates:
        return None
    if answer.kind != "errors" or len(answer.errors) == 1:
        return await escalation.prepare(Draft.for_answer(answer, text, origin, asked_by))
    return {
        e.entry_id: await escalation.prepare(
            Draft.for_error(answer, e.entry_id, text, origin, asked_by)
        )
        for e in answer.errors[:MAX_FULL_ERRORS]
        if e.escalation.button and e.entry_id not in skip
    }


async def escalate(
    assistant: Assistant,
    escalation: EscalationService,
    token: str,
    reporter: Reporter,
    *,
    click_id: str | None,
    shared: bool,
    name: Callable[[Origin], Awaitable[Origin]] | None = None,
    canvas: CanvasChecks | None = None,
) -> Reply:
    """Open the case for a card (or find the one already open) and return the card again with
    the case reference where the button was. A second click never opens a second case.

    `name(origin)` fills in the team and channel names the question's activity lacked, for
    the case's Where; it is asked here, when a case opens or is joined, not for every answer.
    With `canvas`, the card keeps Check in Canvas: a check after escalating reaches the case.
    `shared`: the clicked card is in a channel or group chat, where student data is withheld."""
    if not token:
        return Reply(text=NOT_A_BUTTON)
    draft = await escalation.get_draft(token)
    where = await name(draft.origin) if name is not None and draft is not None else None
    try:
        outcome = await escalation.escalate(token, reporter, click_id=click_id, origin=where)
    except EscalationError as exc:
        return Reply(text=exc.user_message)
    case = outcome.case
    log.info(
        "teams: escalate click %s case %s (%s)",
        "opened" if outcome.created else "found",
        case.reference,
        ", ".join(case.entry_ids),
    )
    answer = await assistant.redraw(draft.text if draft is not None else case.text)
    others = None  # the other errors of a card of several keep their buttons
    if draft is not None and answer.kind == "errors" and len(answer.errors) > 1:
        others = await card_tokens(
            escalation, answer, draft.text, draft.origin, draft.asked_by, skip=case.entry_ids
        )
    # The card's `joined`: "Already escalated as …", for any click that did not open the case
    # (a new reporter joining, or someone who had reported it already), unlike `outcome.joined`.
    check = token if canvas is not None and draft is not None and canvas.offers(answer) else None
    card = render_teams_card(
        answer.view(shared=shared),
        escalate_token=others,
        case=case,
        joined=not outcome.created,
        check_token=check,
    )
    return Reply(card=card, text=outcome_sentence(outcome, reporter.user_id))
