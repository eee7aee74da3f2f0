"""A worker process for `bench scale`: runs follow-ups, then prints its peak memory (JSON).

Run as `python -m sales_agent.bench._scale_worker LEADS` with the settings in the
environment; the CRM names are loaded by the first gate, as in any worker.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sales_agent.bench.followup import timed_run
from sales_agent.bench.leads import form_leads
from sales_agent.config import get_settings
from sales_agent.domain.thread_ids import thread_id_for
from sales_agent.jobs.followup_runs import compile_followup, forget_followup_thread
from sales_agent.services import open_services


def peak_rss_mb() -> float:
    """The peak resident memory of this process alone (`VmHWM`), in MB.

    Not `ru_maxrss`: Linux carries it across `exec`, so a process spawned by a large parent
    (the benchmark, with the sandbox in it) starts with the parent's peak as its own.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # the kernel reports kB
    raise RuntimeError("no VmHWM in /proc/self/status: peak memory is measured on Linux only")


def main(leads: int) -> None:
    """Run `leads` follow-ups to approval, forget them, print {"peak_mb": ...}."""
    with open_services(get_settings()) as services:
        graph = compile_followup(services)
        for trigger in form_leads(services, leads, "worker", "Can we talk pricing?"):
            timed_run(services, graph, trigger)
            forget_followup_thread(services, thread_id_for(trigger))
    sys.stdout.write(json.dumps({"peak_mb": peak_rss_mb()}) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]))
