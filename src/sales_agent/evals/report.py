"""`docs/EVALS.md`'s results: written between two markers, the rest of the file left as is.

Pass rate per evaluator per split, the targets, the intent confusion matrix, recall and
precision of the safety-critical intents, and every failure with its trace's `file:line`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sales_agent.evals.clock import EVAL_CLOCK
from sales_agent.evals.evaluators import evaluator_names
from sales_agent.evals.labels import INTENTS, SAFETY_INTENTS
from sales_agent.evals.runner import ScoredCase
from sales_agent.evals.summary import Summary, summarise
from sales_agent.evals.thresholds import Thresholds, check

__all__ = ["BEGIN", "END", "render_results", "write_report"]

BEGIN = "<!-- eval results: begin (written by `sales-agent eval report`) -->"
END = "<!-- eval results: end -->"
_FAILURES_SHOWN = 12


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _cell(summary: Summary, name: str) -> str:
    rate = summary.rates.get(name)
    if rate is None or rate.applicable == 0:
        return "n/a"
    return f"{_pct(rate.rate)} ({rate.passed}/{rate.applicable})"


def _groups(cases: Sequence[ScoredCase]) -> list[tuple[str, Summary]]:
    groups: list[tuple[str, Summary]] = []
    for split in ("test", "dev"):
        chosen = [c for c in cases if c.trace.split == split]
        if chosen:
            groups.append((split, summarise(chosen)))
    unsplit = [c for c in cases if c.trace.split not in ("test", "dev")]
    if unsplit:
        groups.append(("no split", summarise(unsplit)))
    groups.append(("all", summarise(cases)))
    return groups


def _header(cases: Sequence[ScoredCase]) -> list[str]:
    runs = [c.trace.run for c in cases]
    started = min((r.started_at for r in runs if r.started_at), default=None)
    datasets: dict[str, dict[str, int]] = {}
    for case in cases:
        per_split = datasets.setdefault(case.trace.run.dataset or case.trace.dataset, {})
        split = case.trace.split or "no split"
        per_split[split] = per_split.get(split, 0) + 1
    listing = "; ".join(
        f"`{name}` " + ", ".join(f"{n} {split}" for split, n in sorted(splits.items()))
        for name, splits in sorted(datasets.items())
    )
    first = runs[0] if runs else None
    return [
        f"- Run: {started:%Y-%m-%d %H:%M UTC}" if started else "- Run: unknown",
        f"- Commit: `{first.commit if first else 'unknown'}`",
        f"- Model: `{first.model if first else 'unknown'}`; embeddings: "
        f"{first.embeddings if first else 'unknown'}",
        f"- Eval clock: {EVAL_CLOCK:%A %Y-%m-%d %H:%M} UTC (every case's `now` unless it sets one)",
        f"- Cases: {len(cases)} ({listing})",
    ]


def _rates_table(groups: list[tuple[str, Summary]]) -> list[str]:
    names = list(dict.fromkeys([*evaluator_names(), *(n for _, s in groups for n in s.rates)]))
    lines = [
        "| evaluator | " + " | ".join(label for label, _ in groups) + " |",
        "|---|" + "---|" * len(groups),
    ]
    lines += [
        f"| `{name}` | " + " | ".join(_cell(s, name) for _, s in groups) + " |" for name in names
    ]
    return lines


def _targets_table(groups: list[tuple[str, Summary]], thresholds: Thresholds) -> list[str]:
    lines = [
        "| metric | gate | target | " + " | ".join(label for label, _ in groups) + " |",
        "|---|---|---|" + "---|" * len(groups),
    ]
    gate, target = thresholds.gate, thresholds.targets
    names = list(dict.fromkeys([*target.pass_rate, *gate.pass_rate]))
    for name in names:
        lines.append(
            f"| `{name}` | {_pct(gate.pass_rate.get(name))} | {_pct(target.pass_rate.get(name))} | "
            + " | ".join(_pct(s.rate(name)) for _, s in groups)
            + " |"
        )
    intents = list(dict.fromkeys([*target.recall, *gate.recall]))
    for intent in intents:
        lines.append(
            f"| recall `{intent}` | {_pct(gate.recall.get(intent))} | "
            f"{_pct(target.recall.get(intent))} | "
            + " | ".join(_pct(s.recall(intent)) for _, s in groups)
            + " |"
        )
    return lines


def _safety_table(groups: list[tuple[str, Summary]]) -> list[str]:
    lines = [
        "| intent | "
        + " | ".join(f"{label} recall | {label} precision" for label, _ in groups)
        + " |",
        "|---|" + "---|---|" * len(groups),
    ]
    for intent in SAFETY_INTENTS:
        cells = []
        for _, summary in groups:
            stats = summary.intents.get(intent)
            support = f" (n={stats.support})" if stats else ""
            cells.append(
                f"{_pct(summary.recall(intent))}{support} | {_pct(summary.precision(intent))}"
            )
        lines.append(f"| `{intent}` | " + " | ".join(cells) + " |")
    return lines


def _confusion(label: str, summary: Summary) -> list[str]:
    if not summary.confusion:
        return []
    seen = {x for pair in summary.confusion for x in pair}
    rows = [i for i in INTENTS if any(e == i for e, _ in summary.confusion)]
    cols = [i for i in INTENTS if i in seen] + sorted(seen - set(INTENTS))
    short = {c: c.replace("_", " ") for c in cols}
    lines = [
        f"Intent confusion, {label} split (rows: labelled, columns: read by the agent):",
        "",
        "| labelled \\ read | " + " | ".join(short[c] for c in cols) + " | recall |",
        "|---|" + "---|" * (len(cols) + 1),
    ]
    for row in rows:
        counts = [summary.confusion.get((row, col), 0) for col in cols]
        cells = [str(n) if n else "." for n in counts]
        lines.append(f"| {row} | " + " | ".join(cells) + f" | {_pct(summary.recall(row))} |")
    return [*lines, ""]


def _relative(location: str, root: Path) -> str:
    """`location` relative to `root`; outside it only the file name.

    A committed report names no absolute path of the machine that ran it.
    """
    path = Path(location)
    if not path.is_absolute():
        return location
    if path.is_relative_to(root.resolve()):
        return str(path.relative_to(root.resolve()))
    return path.name


def _failures(summary: Summary, root: Path) -> list[str]:
    by_name: dict[str, list[str]] = {}
    for case, name, reason in summary.failures:
        location = _relative(case.location, root)
        by_name.setdefault(name, []).append(f"`{case.trace.case}`: {reason} ({location})")
    lines: list[str] = []
    for name in sorted(by_name):
        found = by_name[name]
        lines.append(f"**`{name}`**, {len(found)} failed:")
        lines.append("")
        lines += [f"- {line}" for line in found[:_FAILURES_SHOWN]]
        if len(found) > _FAILURES_SHOWN:
            lines.append(f"- ... and {len(found) - _FAILURES_SHOWN} more (`eval replay` lists all)")
        lines.append("")
    return lines or ["None."]


def render_results(cases: Sequence[ScoredCase], thresholds: Thresholds, root: Path) -> str:
    """The results section (markdown, between the markers)."""
    groups = _groups(cases)
    overall = groups[-1][1]
    misses = check(overall, thresholds.gate)
    lines = [BEGIN, "", "## Results", "", *_header(cases), ""]
    lines.append(
        "- Gate (`evals/thresholds.toml` `[gate]`): "
        + ("passed" if not misses else "MISSED: " + "; ".join(str(m) for m in misses))
    )
    lines += [
        "",
        "### Pass rate per evaluator",
        "",
        "Passed / applicable (n/a: never applied).",
        "",
    ]
    lines += _rates_table(groups)
    lines += ["", "### Gate and targets", ""]
    lines += _targets_table(groups, thresholds)
    lines += ["", "### Safety-critical intents", ""]
    lines += _safety_table(groups)
    lines += ["", "### Intent confusion", ""]
    for label, summary in groups[:-1]:
        lines += _confusion(label, summary)
    lines += [
        "### Failures",
        "",
        "Each with its trace (`file:line`, under the gitignored traces folder).",
        "",
    ]
    lines += _failures(overall, root)
    lines += [END, ""]
    return "\n".join(lines)


def write_report(
    cases: Sequence[ScoredCase], thresholds: Thresholds, path: Path, *, root: Path
) -> Path:
    """Replace the results section of `path` (appending one when it has none)."""
    section = render_results(cases, thresholds, root)
    text = path.read_text(encoding="utf-8") if path.exists() else "# Evals\n\n"
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        _, after = rest.split(END, 1)
        text = before + section.rstrip("\n") + after
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")
    return path
