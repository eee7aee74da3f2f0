"""The keys of the operator inbox's answers (README, "Operator inbox"), shared by tests."""

# What GET /api/drafts lists per draft.
LIST_KEYS = {
    "id",
    "thread_id",
    "revision",
    "status",
    "contact_email",
    "subject",
    "preview",
    "gate_status",
    "plan_action",
    "gmail_draft_id",
    "gmail_url",
    "created_at",
    "updated_at",
}

# What GET /api/drafts/{id} answers: the list's keys but the summary ones, and the whole story.
DETAIL_KEYS = LIST_KEYS - {"preview", "gate_status", "plan_action"} | {
    "body",
    "summary",
    "intent",
    "plan",
    "slots",
    "assets",
    "gate",
    "writer",
    "revisions",
    "gmail_thread_id",
    "sent_message_id",
    "audit",
    "audit_total",
}

# What a rejected decision answers.
REJECTION_KEYS = {
    "id",
    "status",
    "rejected_by",
    "reason",
    "gate_status",
    "risk_score",
    "violations",
    "suggestions",
}
