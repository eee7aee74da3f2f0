"""A secrets scan of the repository: no tracked file holds a credential.

Every file git tracks is searched with the log redaction's credential shapes (our API keys,
Google and HubSpot tokens; not its "anything after Bearer", which prose matches) plus private
keys and the common cloud and model-provider key shapes. The few files that hold made-up
credentials on purpose (fixtures, the sandbox's fake tokens) are listed with the reason;
anything else is a finding.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from sales_agent.policy.secret_redaction import TOKENS

ROOT = Path(__file__).resolve().parents[2]

EXTRA = re.compile(
    "|".join(
        (
            r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----",
            r"\bAKIA[0-9A-Z]{16}\b",  # AWS access key ids
            r"\bsk-(?:proj-)?[A-Za-z0-9]{32,}",  # OpenAI keys
            r"\bxox[abprs]-[A-Za-z0-9-]{10,}",  # Slack tokens
            r"\bgh[pousr]_[A-Za-z0-9]{36}\b",  # GitHub tokens
            r"\"private_key\":\s*\"-----BEGIN",  # a service-account key file
        )
    )
)
# Made-up credentials that test the patterns themselves.
ALLOWED = {
    "tests/unit/test_secret_redaction.py": "the redaction's own test cases",
    "tests/unit/test_secrets_scan.py": "this scanner's own test case",
    "src/sales_agent/sandbox/_oauth.py": "the sandbox mints fake tokens in Google's shape",
    "tests/integration/test_resilience_oauth.py": "the sandbox's fake tokens, and a forged one",
    "tests/e2e/test_server_auth.py": "malformed keys that must be refused",
    "tests/unit/test_server_errors.py": "malformed keys that must be refused",
}


def findings(text: str) -> list[str]:
    return [match[0] for pattern in (TOKENS, EXTRA) for match in pattern.finditer(text)]


def test_no_tracked_file_holds_a_credential() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True
    ).stdout.split(b"\0")
    found = {}
    for name in filter(None, (entry.decode() for entry in tracked)):
        path = ROOT / name
        if name in ALLOWED or not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", "ignore")
        if hits := findings(text):
            found[name] = [hit[:12] + "..." for hit in hits]
    assert found == {}


def test_the_scan_would_catch_a_planted_key() -> None:
    planted = "OPENAI_API_KEY=sk-proj-" + "a1B2" * 10 + "\n-----BEGIN PRIVATE KEY-----\n"
    assert len(findings(planted)) == 2
