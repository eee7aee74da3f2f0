"""A worker process for `bench scale`: runs follow-ups, then prints its peak memory (JSON).

Run as `python -m sales_agent.bench._scale_worker LEADS` with the settings in the
environment; the CRM names are loaded by the first gate, as in any worker.
"""

from __future__ import annotations

import json
import resource
import sys

from sales_agent.bench.followup import timed_run
from sales_agent.bench.leads import form_leads
from sales_agent.config import get_settings
from sales_agent.domain.thread_ids import thread_id_for
from sales_agent.jobs.followup_runs import compile_followup, forget_followup_thread
from sales_agent.services import open_services


def main(leads: int) -> None:
    """Run `leads` follow-ups to approval, forget them, print {"peak_mb": ...}."""
    with open_services(get_settings()) as services:
        graph = compile_followup(services)
        for trigger in form_leads(services, leads, "worker", "Can we talk pricing?"):
            timed_run(services, graph, trigger)
            forget_followup_thread(services, thread_id_for(trigger))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    sys.stdout.write(json.dumps({"peak_mb": peak_kb / 1024}) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]))
