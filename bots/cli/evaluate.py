"""`passback eval CASES.jsonl`: how well the matcher does on labelled cases.

`--min-accuracy X`, `--min-field-accuracy X` and `--max-false-positives N` make it exit 1 when
the matcher falls short, so a test or CI can hold it to a bar.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Set
from typing import Any

from bots.cli.common import UserError, add_catalog_option, catalog_from_args
from bots.cli.eval_cases import FORMAT, CaseProblem, checked_case
from matcher import Matcher
from matcher.evaluation import Report, evaluate


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "eval",
        help="score the matcher on labelled cases (JSON lines)",
        description="Score the matcher on labelled cases, one JSON object per line:\n\n" + FORMAT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("cases", metavar="CASES.jsonl", help="the labelled cases (format above)")
    parser.add_argument(
        "--min-accuracy", type=_share, default=None, metavar="X", help="exit 1 below X (0-1)"
    )
    parser.add_argument(
        "--min-field-accuracy",
        type=_share,
        default=None,
        metavar="X",
        help="exit 1 when fewer than X of the expected field values are found (0-1)",
    )
    parser.add_argument(
        "--max-false-positives",
        type=_count,
        default=None,
        metavar="N",
        help="exit 1 when more than N no-match cases get a match",
    )
    add_catalog_option(parser)
    parser.set_defaults(run=run)


def _share(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _count(raw: str) -> int:
    if not raw.isdigit():
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number")
    return int(raw)


def read_cases(path: str, known: Set[str]) -> list[Mapping[str, Any]]:
    """The cases in `path`, each checked; warnings (unknown ids) go to standard error."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.readlines()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}", 1) from None
    except UnicodeDecodeError:
        raise UserError(f"{path} is not UTF-8 text", 1) from None
    cases = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            case, warnings = checked_case(json.loads(line), known)
        except json.JSONDecodeError as exc:
            raise UserError(f"{path}:{number}: not JSON ({exc.msg})", 1) from None
        except (CaseProblem, RecursionError) as exc:
            raise UserError(f"{path}:{number}: {exc} (see passback eval --help)", 1) from None
        for warning in warnings:
            print(f"passback: warning: {path}:{number}: {warning}", file=sys.stderr)
        cases.append(case)
    if not cases:
        raise UserError(f"{path} has no cases", 1)
    return cases


def print_report(report: Report) -> None:
    print(f"cases: {report.cases}  accuracy: {report.accuracy:.3f}")
    for kind, (right, total) in sorted(report.by_kind.items()):
        print(f"  {kind:<14} {right:>4}/{total:<4} {right / total:.3f}")
    print(f"false positives: {report.false_positives} of {report.negatives} no-match cases")
    print(
        f"field accuracy: {report.field_accuracy:.3f} "
        f"({report.fields_correct}/{report.fields_checked})"
    )
    for miss in report.misses:
        text = miss.text if len(miss.text) <= 160 else miss.text[:157] + "..."
        print(f"MISS [{miss.kind}] {json.dumps(text, ensure_ascii=False)}")
        print(f"     expected {list(miss.expected)} got {list(miss.got)}")
        for entry_id, name, want, got in miss.wrong_fields:
            print(f"     {entry_id}.{name}: expected {want!r} got {got!r}")


def run(args: argparse.Namespace) -> int:
    catalog = catalog_from_args(args)
    known = {entry.id for entry in catalog.entries}
    report = evaluate(Matcher(catalog), read_cases(args.cases, known))
    print_report(report)
    failed = []
    if args.min_accuracy is not None and report.accuracy < args.min_accuracy:
        failed.append(f"accuracy {report.accuracy:.3f} is below {args.min_accuracy}")
    if args.min_field_accuracy is not None and report.field_accuracy < args.min_field_accuracy:
        failed.append(
            f"field accuracy {report.field_accuracy:.3f} is below {args.min_field_accuracy}"
        )
    if args.max_false_positives is not None and report.false_positives > args.max_false_positives:
        failed.append(
            f"{report.false_positives} false positives, more than {args.max_false_positives}"
        )
    for reason in failed:
        print(f"FAIL: {reason}")
    return 1 if failed else 0
