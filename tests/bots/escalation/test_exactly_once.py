"""One click, one case: double clicks, concurrent clicks on two instances, and dedup."""

from __future__ import annotations

import asyncio
import time

import pytest

from bots.cards.sentences import outcome_sentence
from bots.escalation.model import EscalationError, Status
from bots.escalation.service import EscalationService
from catalog import UNLISTED
from tests.bots.escalation.conftest import (
    STUDENT_ID,
    ServiceFactory,
    kimono_draft,
    person,
    put_oneroster_draft,
    slack_origin,
    teams_origin,
)


async def case_count(service: EscalationService) -> int:
    return len(await service.list_cases(limit=1000))


async def test_a_double_click_makes_one_case_with_one_reporter(make_service: ServiceFactory):
    service = await make_service(start=False)
    token = await service.prepare(put_oneroster_draft())
    first = await service.escalate(token, person(1))
    second = await service.escalate(token, person(1))
    assert first.created and not first.joined
    assert not second.created and not second.joined
    assert second.case.reference == first.case.reference
    assert first.case.reference.startswith("PB-") and int(first.case.reference[3:]) >= 1001
    assert [r.user_id for r in second.case.reporters] == ["U0001"]
    assert await case_count(service) == 1
    said = outcome_sentence(second, "U0001")
    assert said == f"Already escalated as {first.case.reference} by you (open)."


async def test_several_people_on_one_button_join_in_order(make_service: ServiceFactory):
    service = await make_service(start=False)
    token = await service.prepare(put_oneroster_draft())
    outcomes = [await service.escalate(token, person(n)) for n in (1, 2, 3)]
    assert [o.created for o in outcomes] == [True, False, False]
    assert [o.joined for o in outcomes] == [False, True, True]
    case = outcomes[-1].case
    assert [r.user_id for r in case.reporters] == ["U0001", "U0002", "U0003"]
    assert outcome_sentence(outcomes[-1], "U0003") == (
        f"Already escalated as {case.reference} by Teacher 1 (open). "
        "You've been added to it, so you'll hear back too."
    )


async def test_a_click_delivered_twice_by_the_platform_gets_the_same_answer(
    make_service: ServiceFactory,
):
    service = await make_service(start=False)
    token = await service.prepare(put_oneroster_draft())
    first = await service.escalate(token, person(1), click_id="action-ts-1")
    replay = await service.escalate(token, person(1), click_id="action-ts-1")
    assert first.created and replay.created  # the retried request is told what happened
    assert replay.case.reference == first.case.reference
    assert await case_count(service) == 1


async def test_twenty_concurrent_clicks_on_two_instances_make_one_case(
    make_service: ServiceFactory,
):
    one = await make_service(start=False)
    two = await make_service(start=False)
    token = await one.prepare(put_oneroster_draft())
    clicks = [(one if n % 2 else two).escalate(token, person(n)) for n in range(20)]
    outcomes = await asyncio.gather(*clicks)
    assert sum(o.created for o in outcomes) == 1
    assert sum(o.joined for o in outcomes) == 19
    assert len({o.case.reference for o in outcomes}) == 1
    case = await one.get(outcomes[0].case.reference)
    assert case is not None and len(case.reporters) == 20
    assert await case_count(one) == 1


async def test_twenty_buttons_for_one_problem_on_two_instances_make_one_case(
    make_service: ServiceFactory,
):
    """Different answers (one per person who pasted it) with the same result id, clicked at once:
    the race is on the dedup key, not on one draft row."""
    one = await make_service(start=False)
    two = await make_service(start=False)
    tokens = [
        await one.prepare(put_oneroster_draft(origin=slack_origin(f"C{n:08d}"))) for n in range(20)
    ]
    outcomes = await asyncio.gather(
        *((one if n % 2 else two).escalate(t, person(n)) for n, t in enumerate(tokens))
    )
    assert sum(o.created for o in outcomes) == 1
    assert len({o.case.reference for o in outcomes}) == 1
    assert await case_count(two) == 1
    case = await two.get(outcomes[0].case.reference)
    assert case is not None and len(case.reporters) == 20


async def test_the_same_key_values_join_the_open_case_from_anywhere(make_service: ServiceFactory):
    service = await make_service(start=False)
    slack_token = await service.prepare(put_oneroster_draft())
    teams_token = await service.prepare(put_oneroster_draft(origin=teams_origin()))
    other_student = await service.prepare(put_oneroster_draft(sid="s999001", origin=teams_origin()))
    opened = await service.escalate(slack_token, person(1))
    joined = await service.escalate(teams_token, person(2, "teams"))
    separate = await service.escalate(other_student, person(3, "teams"))
    assert joined.joined and joined.case.reference == opened.case.reference
    assert [r.origin.platform for r in joined.case.reports] == ["slack", "teams"]
    assert separate.created and separate.case.reference != opened.case.reference


async def test_the_same_entry_in_the_same_channel_joins_within_the_window(
    make_service: ServiceFactory,
):
    service = await make_service(start=False)
    first = await service.escalate(await service.prepare(kimono_draft()), person(1))
    again = await service.escalate(await service.prepare(kimono_draft()), person(2))
    elsewhere = await service.escalate(
        await service.prepare(kimono_draft(origin=slack_origin("C0OTHER01"))), person(3)
    )
    assert again.joined and again.case.reference == first.case.reference
    assert elsewhere.created and elsewhere.case.reference != first.case.reference


async def test_after_the_window_the_same_channel_opens_a_new_case(make_service: ServiceFactory):
    service = await make_service(start=False, window_hours=0.5 / 3600)  # half a second
    first = await service.escalate(await service.prepare(kimono_draft()), person(1))
    await asyncio.sleep(0.6)
    later = await service.escalate(await service.prepare(kimono_draft()), person(2))
    assert later.created and later.case.reference != first.case.reference


async def test_different_unlisted_errors_in_one_channel_stay_apart(make_service: ServiceFactory):
    service = await make_service(start=False)

    def unlisted(text: str):
        draft = kimono_draft(text=text)
        return type(draft)(
            entry_ids=(UNLISTED,), text=text, fields={}, origin=draft.origin, asked_by=None
        )

    a = await service.escalate(await service.prepare(unlisted("GRADEBOOK_LOCKED 77")), person(1))
    b = await service.escalate(await service.prepare(unlisted("Weird error 12")), person(2))
    c = await service.escalate(await service.prepare(unlisted("gradebook_locked  77")), person(3))
    assert a.created and b.created and a.case.reference != b.case.reference
    assert c.joined and c.case.reference == a.case.reference


async def test_a_resolved_case_is_not_joined_and_the_next_report_opens_a_new_one(
    make_service: ServiceFactory,
):
    service = await make_service(start=False)
    token = await service.prepare(put_oneroster_draft())
    first = await service.escalate(token, person(1))
    await service.set_status(first.case.reference, Status.RESOLVED)
    old_button = await service.escalate(token, person(2))
    assert not old_button.created and not old_button.joined
    assert old_button.case.status == Status.RESOLVED
    assert "paste it again" in outcome_sentence(old_button, "U0002")
    fresh = await service.escalate(await service.prepare(put_oneroster_draft()), person(2))
    assert fresh.created and fresh.case.reference != first.case.reference


async def test_an_acknowledged_case_is_still_joined(make_service: ServiceFactory):
    service = await make_service(start=False)
    first = await service.escalate(await service.prepare(put_oneroster_draft()), person(1))
    await service.set_status(first.case.reference, Status.ACKNOWLEDGED)
    joined = await service.escalate(await service.prepare(put_oneroster_draft()), person(2))
    assert joined.joined and joined.case.reference == first.case.reference


@pytest.mark.parametrize("token", ["", "nope", "x" * 80, "a" * 24, "../../etc/passwd"])
async def test_unknown_tokens_get_a_friendly_error(make_service: ServiceFactory, token: str):
    service = await make_service(start=False)
    with pytest.raises(EscalationError) as caught:
        await service.escalate(token, person(1))
    assert "button" in caught.value.user_message
    assert await service.get_draft(token) is None


async def test_an_expired_button_gets_a_friendly_error(make_service: ServiceFactory):
    service = await make_service(start=False, draft_days=0.4 / 86400)
    token = await service.prepare(put_oneroster_draft())
    assert await service.get_draft(token) is not None
    await asyncio.sleep(0.5)
    assert await service.get_draft(token) is None
    with pytest.raises(EscalationError, match="expired"):
        await service.escalate(token, person(1))


async def test_prepare_keeps_the_context_and_trims_the_text(make_service: ServiceFactory):
    service = await make_service(start=False)
    long_text = put_oneroster_draft().text + "x" * 20_000
    draft = put_oneroster_draft()
    token = await service.prepare(type(draft)(**{**_fields(draft), "text": long_text}))
    assert len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum()
    stored = await service.get_draft(token)
    assert stored is not None
    assert stored.origin == draft.origin and stored.asked_by == draft.asked_by
    assert stored.fields["put-oneroster"]["result_sourced_id"] == STUDENT_ID
    assert len(stored.text) < 9000 and stored.text.startswith("PUT for ONEROSTER")
    assert "trimmed" in stored.text


async def test_claim_event_is_true_once_across_instances(make_service: ServiceFactory):
    one = await make_service(start=False)
    two = await make_service(start=False)
    results = await asyncio.gather(*((one, two)[n % 2].claim_event("slack:Ev1") for n in range(10)))
    assert results.count(True) == 1
    assert await one.claim_event("slack:Ev2") is True
    assert await two.claim_event("slack:Ev2") is False


async def test_claims_survive_a_restart(make_service: ServiceFactory):
    before = await make_service(start=False)
    assert await before.claim_event("teams:activity-9")
    await before.close()
    after = await make_service(start=False)
    assert not await after.claim_event("teams:activity-9")
    assert await after.ping()


def _fields(draft):  # a Draft's fields as keyword arguments
    return {name: getattr(draft, name) for name in draft.__slots__}


async def test_case_times_are_recorded(make_service: ServiceFactory):
    service = await make_service(start=False)
    before = time.time()
    outcome = await service.escalate(await service.prepare(put_oneroster_draft()), person(1))
    assert before - 1 <= outcome.case.created_at.timestamp() <= time.time() + 1
    assert outcome.case.reports[0].reported_at >= outcome.case.created_at


async def test_expired_drafts_are_deleted_with_their_pasted_text(make_service: ServiceFactory):
    service = await make_service(start=False)
    kept = await service.prepare(put_oneroster_draft())
    escalated = await service.escalate(await service.prepare(kimono_draft()), person(1))
    await service.cases.purge(events_before=0, drafts_before=time.time() + 1)
    assert await service.get_draft(kept) is None
    async with service.db.transaction(write=False) as tx:
        assert await tx.fetch("SELECT token FROM drafts") == []
    case = await service.get(escalated.case.reference)  # the case keeps its own copy
    assert case is not None and case.text == kimono_draft().text
