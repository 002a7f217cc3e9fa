"""Property tests: the matcher never raises, on any text, up to 1 MB.

The deadline is a guard against regex backtracking blow-ups (those take minutes, not
milliseconds), not a speed target: speed is measured by `make bench`.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from matcher import CONFIDENT, MAX_CHARS, Matcher

# Pieces of real messages and markup, so generated text gets near the templates.
FRAGMENTS = [
    "PUT for ONEROSTER:Result[result/results] for ",
    '"s12345"',
    " failed with HTTP Status: ",
    "422",
    "401",
    ' with: [{"codeMajor":"FAILURE","codeMinor":"',
    "ASSIGNMENT_SCORES_EXPORT - ",
    "EXCHANGE_ERROR_NON_RETRYABLE - ",
    "Unable to process score for ",
    'missing "assignment_source_id" attribute',
    "A Kimono Job has timed out",
    "<at>Passback</at>",
    "<@U123|x>",
    "&amp;lt;",
    "```",
    "\u201c",
    "\n",
    " - ",
    "\u200b",
    "<p>",
    "&quot;",
]

texts = st.text(max_size=400) | st.lists(
    st.sampled_from(FRAGMENTS) | st.text(max_size=20), max_size=60
).map("".join)

guard = settings(
    deadline=timedelta(seconds=5),
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@guard
@given(text=texts)
def test_never_raises_and_returns_sane_results(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    ids = [m.entry_id for m in result.matches]
    assert len(ids) == len(set(ids))
    for m in result.matches:
        assert CONFIDENT <= m.confidence <= 1.0
        assert m.occurrences >= 1
        assert all(isinstance(v, str) and v for v in m.fields.values())
    for s in result.suggestions:
        assert s.entry_id not in ids
        assert 0.0 < s.confidence < CONFIDENT


@settings(
    deadline=timedelta(seconds=5),
    max_examples=15,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(chunk=texts.filter(bool), repeat=st.integers(min_value=1, max_value=1_000_000))
# Inputs that once made a pattern backtrack quadratically (one 40,000-letter word took 5 s).
@example(chunk="H", repeat=1_000_000)
@example(chunk="A_", repeat=500_000)
@example(chunk="ASSIGNMENT_SCORES_EXPORT - 1 - ", repeat=40_000)
@example(chunk="Unable to process score for s1; ", repeat=40_000)
def test_up_to_a_megabyte(matcher: Matcher, chunk: str, repeat: int) -> None:
    # Repeat only as far as the megabyte: chunk * repeat could be hundreds of megabytes.
    text = (chunk * min(repeat, 1_000_000 // len(chunk) + 1))[:1_000_000]
    result = matcher.match(text)
    assert result.truncated == (len(text) > MAX_CHARS)
    assert len(result.text) <= MAX_CHARS
