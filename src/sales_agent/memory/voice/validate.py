"""`voice validate`: a profile's schema, a PII scan of every string, and its confidence.

The CLI checks a file; a learning run checks its new profile the same way before storing it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from sales_agent.domain.voice import VoiceProfile
from sales_agent.policy.pii import PLACEHOLDERS, Redactor

__all__ = ["PiiFinding", "ValidationReport", "validate_profile", "validate_profile_file"]

# A pattern's confidence from the share of training emails that use it.
_HIGH, _MEDIUM = 0.10, 0.03


class PiiFinding(BaseModel):
    """A string of the profile that the redactor would change."""

    model_config = ConfigDict(frozen=True)

    path: str
    kinds: list[str]


class ValidationReport(BaseModel):
    """The verdict on one profile file."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    schema_errors: list[str]
    pii: list[PiiFinding]
    pattern_confidence: dict[str, int]
    metrics: dict[str, Any]


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def _scan(data: Any, redactor: Redactor, own_names: Sequence[str]) -> list[PiiFinding]:
    """Strings the redactor changes; the operator's own name (the signature) is allowed."""
    findings = []
    for path, text in _strings(data):
        for name in own_names:
            text = text.replace(name, "")
        redacted = redactor.redact(text)
        if redacted != text:
            kinds = sorted({p for p in PLACEHOLDERS if redacted.count(p) > text.count(p)})
            findings.append(PiiFinding(path=path, kinds=kinds))
    return findings


def _confidence(profile: VoiceProfile) -> dict[str, int]:
    counts = {"high": 0, "medium": 0, "low": 0}
    for pattern in profile.learned.patterns if profile.learned else ():
        level = (
            "high" if pattern.share >= _HIGH else "medium" if pattern.share >= _MEDIUM else "low"
        )
        counts[level] += 1
    return counts


def validate_profile_file(
    path: Path, redactor: Redactor, *, own_names: Sequence[str] = ()
) -> ValidationReport:
    """Parse and check the profile at `path`; `ok` is False on a schema error or any PII."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        profile = VoiceProfile.model_validate(data)
    except (OSError, ValueError) as exc:
        errors = (
            [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
            if isinstance(exc, ValidationError)
            else [str(exc)]
        )
        return ValidationReport(
            ok=False, schema_errors=errors, pii=[], pattern_confidence={}, metrics={}
        )
    return _report(profile, data, redactor, own_names)


def validate_profile(
    profile: VoiceProfile, redactor: Redactor, *, own_names: Sequence[str] = ()
) -> ValidationReport:
    """Check a profile in memory (a learning run's, before it is stored) as a file would be."""
    return _report(profile, profile.model_dump(mode="json"), redactor, own_names)


def _report(
    profile: VoiceProfile, data: Any, redactor: Redactor, own_names: Sequence[str]
) -> ValidationReport:
    # `data` is what gets scanned: for a file, every key in it, even ones the schema ignores.
    pii = _scan(data, redactor, own_names)
    return ValidationReport(
        ok=not pii,
        schema_errors=[],
        pii=pii,
        pattern_confidence=_confidence(profile),
        metrics=profile.metrics.model_dump() if profile.metrics else {},
    )
