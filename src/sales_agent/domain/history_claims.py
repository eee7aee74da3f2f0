"""Wording that claims an earlier exchange with the lead: true only when the operator wrote.

"Thanks for coming back to me", "as discussed", "great speaking to you": in a reply to a
fresh enquiry these invent a conversation that never happened. The writer leaves such
openers out there, and the eval suite scores drafts that use them anyway.
"""

from __future__ import annotations

import re

__all__ = ["CLAIMS_HISTORY"]

CLAIMS_HISTORY = re.compile(
    r"\b(following our (?:chat|call|conversation)|as promised|as discussed|great (?:to speak|"
    r"speaking)|good to (?:speak|talk)|thanks for (?:the|your) time (?:earlier|today|yesterday)|"
    r"when we spoke|last time we spoke|(?:coming|getting) back to me)\b",
    re.IGNORECASE,
)
