"""An emulator of the Gmail, Calendar, Drive and HubSpot REST surface, with a seeded workspace.

The real client libraries talk to it unchanged; see `SandboxServer` and `run_sandbox`.
"""

from sales_agent.sandbox._gmail_seed import SCENARIO_THREADS
from sales_agent.sandbox._oauth import SANDBOX_REFRESH_TOKEN
from sales_agent.sandbox.app import create_app
from sales_agent.sandbox.seed import (
    SEED_CALENDAR_ID,
    SEED_COMPANY_ID,
    SEED_CONTACT_ID,
    SEED_FORM_SUBMISSION_ID,
    SEED_LEAD_EMAIL,
    SEED_LEAD_THREAD_ID,
    FormSubmission,
    Operator,
)
from sales_agent.sandbox.server import SandboxServer, run_sandbox
from sales_agent.sandbox.workspace import Workspace

__all__ = [
    "SANDBOX_REFRESH_TOKEN",
    "SCENARIO_THREADS",
    "SEED_CALENDAR_ID",
    "SEED_COMPANY_ID",
    "SEED_CONTACT_ID",
    "SEED_FORM_SUBMISSION_ID",
    "SEED_LEAD_EMAIL",
    "SEED_LEAD_THREAD_ID",
    "FormSubmission",
    "Operator",
    "SandboxServer",
    "Workspace",
    "create_app",
    "run_sandbox",
]
