"""The causes a Canvas diagnosis names (canvas/diagnoses), by entry: each is a key of one
catalog cause (tests/catalog checks that; tests/canvas runs every entry's checks)."""

DIAGNOSED_CAUSES = {
    "unable-to-process-score": {
        "no-due-date",
        "differentiated-due-dates",
        "student-dates",
        "module-dates",
    },
    "assignment-scores-export": {"no-due-date"},
    "assignment-id": {"section-without-sis-id"},
    "assignment-dates": {"dates-outside-class"},
    "could-not-determine-class-or-grading-period": {
        "section-without-sis-id",
        "outside-grading-period",
    },
    "put-oneroster": {"score-removed"},
    "assignment-scores-export-put-oneroster": {"duplicate-name"},
}
