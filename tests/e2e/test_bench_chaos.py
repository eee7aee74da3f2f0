"""The chaos bench at a small scale: redelivered webhooks, killed workers and 20% faults
(errors and timeouts), and still no duplicate draft, note or send, no lost trigger, no quota
overrun.

The bench's own Postgres restart is left out here: the test session's embedded server is
shared by every test module (the `sales-agent bench chaos` run in docs/RELIABILITY.md does
restart it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sales_agent.bench.chaos import run_chaos_bench
from sales_agent.bench.chaos_report import chaos_report
from sales_agent.services import Services

pytestmark = pytest.mark.slow

LEADS = 6


def test_a_small_chaos_run_loses_and_doubles_nothing(services: Services, tmp_path: Path) -> None:
    result = run_chaos_bench(
        services, leads=LEADS, workers=2, redeliveries=5, kills=2, embedded_dir=None
    )
    left = result.leftovers
    assert result.deliveries == LEADS * 5 and result.kills == 2
    assert result.timeouts > 0, "some calls were answered only after the client gave up"
    assert result.lost_triggers == 0
    assert left.duplicate_drafts == left.duplicate_notes == left.duplicate_sends == 0
    assert left.quota_overruns == 0
    # Every lead (and the warm-up's) ends with a draft, or its run failed with a reason.
    assert result.drafts + result.errors >= LEADS + 1
    assert 0 < result.p50_ms <= result.p95_ms <= result.p99_ms
    assert result.meets_targets

    report = tmp_path / "RELIABILITY.md"
    chaos_report(result, command="sales-agent bench chaos --leads 6", report=report)
    text = report.read_text()
    assert "| duplicate drafts | 0 | 0 |" in text and "<!-- bench:chaos -->" in text
    assert f"{result.timeouts} calls timed out" in text
