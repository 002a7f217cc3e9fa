"""Messages written in Spanish around the error, or describing it in Spanish only."""

from __future__ import annotations

from matcher import Matcher
from matcher.wording import fold


def ids(matcher: Matcher, text: str) -> list[str]:
    return [m.entry_id for m in matcher.match(text).matches]


def test_an_error_described_in_spanish_with_or_without_accents(matcher: Matcher) -> None:
    for text in (
        "no se pudo determinar el período de calificación de la tarea",
        "NO SE PUDO DETERMINAR EL PERIODO DE CALIFICACION",
    ):
        assert ids(matcher, text) == ["could-not-determine-class-or-grading-period"]


def test_spanish_words_are_not_corrected_into_english_ones(matcher: Matcher) -> None:
    # "periodo" is one letter from "period", "rechazó" holds a letter the speller does not know
    assert "periodo" in matcher.match("el periodo de la clase").text
    assert "rechazó" in matcher.match("Campus rechazó el resultado").text


def test_the_english_error_inside_a_spanish_message(matcher: Matcher) -> None:
    (m,) = matcher.match(
        "Hola, me sale: Unable to process score for s80321; missing "
        '"assignment_source_id" attribute ¿Qué hago?'
    ).matches
    assert (m.entry_id, dict(m.fields)) == (
        "unable-to-process-score",
        {"result_sourced_id": "s80321"},
    )


def test_folding_keeps_every_offset() -> None:
    for text in ("sincronización", "İstanbul período", "ÑANDÚ"):
        assert len(fold(text)) == len(text)
