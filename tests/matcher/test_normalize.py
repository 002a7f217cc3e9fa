"""normalize_paste undoes chat markup and copy-paste damage, once, before matching."""

from __future__ import annotations

import pytest

from matcher import MAX_CHARS, normalize_paste


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        # Slack: mentions, broadcasts, links, channels and escapes
        ("<@U024BE7LH> please look", "please look"),
        ("<@U024BE7LH|maria> <!channel> <!here|here> hi", "hi"),
        ("see <https://canvas.example.edu/courses/1|the course>", "see the course"),
        ("see <https://canvas.example.edu/courses/1>", "see https://canvas.example.edu/courses/1"),
        ("in <#C024BE7LR|grades>", "in #grades"),
        ("a &amp; b &lt;tag&gt;", "a & b <tag>"),
        ("&amp;quot;s1&amp;quot;", '"s1"'),
        # Teams / HTML
        ("<at>Passback</at> <p>one</p><p>two</p>", "one\ntwo"),
        ('<at id="0">Grade Helper</at>&nbsp;text', "text"),
        ("line<br>break<br/>again", "line\nbreak\nagain"),
        ("<div><span style='x'>in</span> a &quot;div&quot;</div>", 'in a "div"'),
        # code, quotes, spaces
        ("```\nA Kimono Job\n```", "A Kimono Job"),
        ("is this bad? `text`", "is this bad? text"),
        ("\u201cs1\u201d and \u2018x\u2019", "\"s1\" and 'x'"),
        ("a\u00a0b\u200bc\u2009d\ufeff", "a bc d"),
        ("ASSIGNMENT_SCORES_EXPORT \u2013 12 \u2014 text", "ASSIGNMENT_SCORES_EXPORT - 12 - text"),
        # wraps, quoted replies, log prefixes
        ("one\r\n\r\n\n   two  \t three", "one\ntwo three"),
        ("> quoted line\n>> twice", "quoted line\ntwice"),
        ("2026-11-20 10:00:01,123 ERROR - A Kimono Job", "A Kimono Job"),
        ("[2026-11-20T10:00:01Z] A Kimono Job", "A Kimono Job"),
        ("11/20/2026 10:01 AM Could not", "Could not"),
        ("ERROR: Could not", "Could not"),
        ("\x00\x01binary\x7f", "binary"),
        # ids broken at a hyphen by a narrow window; escapes from a JSON log line
        ("d20c41dd-35fd-\n4fe1-af5e - PUT", "d20c41dd-35fd-4fe1-af5e - PUT"),
        ("one -\ntwo", "one -\ntwo"),
        (
            r"for \"s1\" failed: \"Result denied.\n\nNeither\"",
            'for "s1" failed: "Result denied.\nNeither"',
        ),
    ],
)
def test_cleans(raw: str, clean: str) -> None:
    assert normalize_paste(raw).text == clean


def test_long_input_is_cut_and_flagged() -> None:
    cleaned = normalize_paste("x" * (MAX_CHARS + 10))
    assert cleaned.truncated
    assert len(cleaned.text) == MAX_CHARS
    assert not normalize_paste("x" * MAX_CHARS).truncated
