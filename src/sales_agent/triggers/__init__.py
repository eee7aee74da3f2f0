"""What is new since the cursor, for the webhooks and the poller alike.

`form_submissions` (HubSpot forms), `gmail_changes` (Gmail history) and `hubspot_events`
(webhook events) queue follow-up runs through `jobs.enqueue`; `ledger` remembers what was
already delivered and where each source stopped; `pubsub` reads and verifies Gmail's push;
`poller` runs the syncs on a timer (`sales-agent watch`).
"""
