"""docs/RELIABILITY.md's chaos section, rewritten by `sales-agent bench chaos`."""

from __future__ import annotations

import time
from pathlib import Path

from sales_agent.bench.chaos import (
    CLIENT_TIMEOUT_SECONDS,
    FAULT_RATE,
    SLOW_ANSWER_MS,
    TIMEOUT_SHARE,
    ChaosResult,
)
from sales_agent.bench.report import machine_summary, update_section

__all__ = ["chaos_report"]


def chaos_report(result: ChaosResult, *, command: str, report: Path) -> None:
    """Rewrite the chaos section of the reliability report."""
    left = result.leftovers
    verdict = "met" if result.meets_targets else "MISSED"
    errors, slow = FAULT_RATE - TIMEOUT_SHARE, SLOW_ANSWER_MS / 1000
    update_section(
        report,
        "chaos",
        f"""
## Sustained load with faults, counted

Targets (0 duplicate drafts, sends and CRM notes; 0 lost triggers; 0 quota overruns): \
{verdict}.

- Date: {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
- Machine: {machine_summary()}
- Command: `{command}`
- Setup: `sales-agent serve --no-worker` (signed HubSpot webhooks) and {result.workers}
  `sales-agent worker --concurrency 2` processes on a throwaway database, the sandbox in the
  bench's process, the offline writer, DRAFT_ONLY.
- Load: {result.leads} leads (new CRM contacts), each a `contact.creation` event delivered
  {result.redeliveries} times in shuffled order ({result.deliveries} deliveries); a delivery
  the server refuses is delivered again, as HubSpot retries.
- Faults: {FAULT_RATE:.0%} of the calls on every sandbox route fail: {errors:.0%} answer an
  error (429 with Retry-After on HubSpot, 503 on Gmail, 500 on Calendar and Drive) and
  {TIMEOUT_SHARE:.0%} time out (answered after {slow:g} s, beyond the processes' \
{CLIENT_TIMEOUT_SECONDS:g} s client
  timeout; the sandbox still carries the call out, so a timed-out write may have happened):
  {result.timeouts} calls timed out. {result.kills} workers SIGKILLed at random moments (each
  replaced); Postgres restarted {result.postgres_restarts} time(s).

| measure | result | target |
|---|---|---|
| leads in | {result.leads} | |
| drafts out (Gmail drafts in the sandbox) | {result.drafts} | |
| duplicate drafts | {left.duplicate_drafts} | 0 |
| sends (DRAFT_ONLY: none approved) / duplicate sends | {left.sends} / \
{left.duplicate_sends} | 0 duplicates |
| CRM notes / duplicate CRM notes | {left.notes} / {left.duplicate_notes} | 0 duplicates |
| lost triggers (no run at approval, ended, or failed with a reason) | \
{result.lost_triggers} | 0 |
| runs that failed with a recorded reason | {result.errors} | |
| quota overruns (send-ledger reservations over the per-contact quota) | \
{left.quota_overruns} | 0 |
| trigger to approval under the faults, p50 / p95 / p99 | {result.p50_ms} / \
{result.p95_ms} / {result.p99_ms} ms | |
| time to drain (first delivery to the last run settled) | {result.drain_seconds} s | |
""",
    )
