"""'Check in Canvas' on a Slack card, and the course menu it may ask with.

Ack first; then "Checking Canvas…" and the finding, privately: on the ephemeral `/passback`
answer the card is updated in place (its `response_url`); on a card in a channel, thread or
DM, `chat.postEphemeral` to the person who clicked, in the card's thread. A course menu is an
ephemeral message of its own; a pick updates that message in place. A second click by the same
person while their check runs is acknowledged and starts nothing.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bots.canvas_chat import CHECKING, CanvasChecks, ChatCheck
from bots.cards.slack import render_slack_message
from bots.cards.slack_canvas import COURSE_BLOCK_PREFIX, course_menu
from bots.escalation.diagnosis import CaseDiagnosis
from bots.escalation.service import EscalationService
from bots.slack.failures import telling_failures
from bots.slack.identity import slack_email
from bots.slack.payloads import Click, read_click
from bots.slack.replies import error_tokens, notice, send_response, several

EXPIRED = "This answer is too old to check. Ask me again and check the new answer."


class _Private:
    """Where this person's private messages about one card go."""

    def __init__(self, click: Click, respond: AsyncRespond, client: AsyncWebClient, in_place: bool):
        self.click = click
        self.respond = respond
        self.client = client
        self.in_place = in_place  # the card (or menu) is ephemeral: update it
        self.user = click.clicker.user_id

    async def show(self, message: dict[str, Any]) -> None:
        if self.in_place:
            await send_response(self.respond, replace_original=True, **message)
        else:
            await self._post(message)

    async def new(self, message: dict[str, Any]) -> None:
        """A separate private message (the course menu)."""
        if self.in_place:
            await send_response(
                self.respond, replace_original=False, response_type="ephemeral", **message
            )
        else:
            await self._post(message)

    async def say(self, sentence: str) -> None:
        await self.new(notice(sentence))

    async def _post(self, message: dict[str, Any]) -> None:
        await self.client.chat_postEphemeral(
            channel=self.click.channel,
            user=self.user,
            thread_ts=self.click.thread or None,
            **message,
        )


def _result_card(
    check: ChatCheck,
    token: str,
    shareable: bool,
    escalate: str | dict[str, str] | None,
    shared: bool,
) -> dict[str, Any]:
    answer = check.answer
    retry = check.outcome == "canvas_error"
    return render_slack_message(
        answer.view(shared=shared),
        escalate_token=escalate if answer.escalates else None,
        share_token=token if shareable else None,
        check_token=token if retry else None,
        canvas_status=check.note if check.outcome not in ("found", "clear") else None,
    ).to_dict()


async def _check(
    private: _Private,
    token: str,
    course_id: str | None,
    *,
    escalation: EscalationService,
    canvas: CanvasChecks,
    from_menu: bool,
) -> None:
    if not canvas.begin(private.user, token):
        return  # this person's check of this card is already running
    try:
        draft = await escalation.get_draft(token)
        if draft is None:
            await private.show(notice(EXPIRED))
            return
        shareable = private.in_place and not from_menu
        others = not draft.pasted_by(private.user)  # only who pasted sees its students
        if private.in_place and not from_menu:
            answer = (await canvas.answer_for(draft.text)).view(shared=others)
            card = render_slack_message(answer, canvas_status=CHECKING).to_dict()
            await private.show(card)
        else:
            await private.show(notice(CHECKING))
        # The workspace the click was made in, which a Slack Connect person is not a member of
        # (their own team is theirs alone to vouch for); an org-wide install names none.
        click = private.click
        email = await slack_email(private.client, private.user, click.workspace or click.team)
        check = await canvas.run(draft.text, email, platform="slack", course_id=course_id)
        escalate: str | dict[str, str] | None = token
        if check.answer.escalates and several(check.answer):  # each error escalates on its own
            escalate = await error_tokens(
                escalation, check.answer, draft.text, draft.origin, draft.asked_by
            )
        if check.outcome == "choose":
            waiting = _result_card(check, token, shareable, escalate, others)
            if private.in_place:  # the card itself, no longer "Checking Canvas…"
                await private.show(waiting)
            await private.new(course_menu(token, check.choices, check.note or ""))
            return
        diagnosis = CaseDiagnosis.of_answer(check.answer)
        if diagnosis is not None:  # an Escalate after this check carries the finding
            extra = list(escalate.values()) if isinstance(escalate, dict) else []
            for each in (token, *extra):
                await escalation.attach_diagnosis(each, diagnosis)
        await private.show(_result_card(check, token, shareable, escalate, others))
    finally:
        canvas.end(private.user, token)


async def check_in_canvas(
    ack: AsyncAck,
    body: dict,
    action: dict,
    respond: AsyncRespond,
    client: AsyncWebClient,
    *,
    escalation: EscalationService,
    canvas: CanvasChecks,
) -> None:
    """The button: the course from a Canvas link in the paste, else a menu of the person's."""
    await ack()
    click = read_click(body, action)
    private = _Private(click, respond, client, in_place=click.ephemeral)
    async with telling_failures("checking in Canvas", private.say):
        await _check(
            private, click.value, None, escalation=escalation, canvas=canvas, from_menu=False
        )


async def pick_course(
    ack: AsyncAck,
    body: dict,
    action: dict,
    respond: AsyncRespond,
    client: AsyncWebClient,
    *,
    escalation: EscalationService,
    canvas: CanvasChecks,
) -> None:
    """A course picked in the menu: check it (the menu message becomes the finding)."""
    await ack()
    click = read_click(body, action)
    private = _Private(click, respond, client, in_place=True)  # the menu is always ephemeral
    if not click.block_id.startswith(COURSE_BLOCK_PREFIX) or not click.selected:
        return
    async with telling_failures("checking a picked course in Canvas", private.say):
        await _check(
            private,
            click.block_id.removeprefix(COURSE_BLOCK_PREFIX),
            click.selected,
            escalation=escalation,
            canvas=canvas,
            from_menu=True,
        )
