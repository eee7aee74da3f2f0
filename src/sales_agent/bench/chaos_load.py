"""The chaos bench's load: signed HubSpot `contact.creation` deliveries, sent until acknowledged.

A delivery the server refuses or cannot take (Postgres restarting, a worker-less queue) is
delivered again with backoff, as HubSpot retries its webhooks.
"""

from __future__ import annotations

import json
import time

import httpx

from sales_agent.triggers.hubspot_signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign_v3

__all__ = ["SECRET", "deliver", "event_body", "send_all"]

SECRET = "bench-chaos-app-secret"
"""The HubSpot app secret the bench's server is started with and signs with."""


def event_body(event_id: int, contact_id: int) -> bytes:
    """A HubSpot delivery of one contact creation (made in the CRM, so it starts a run)."""
    event = {
        "eventId": event_id,
        "subscriptionId": 1,
        "portalId": 1,
        "occurredAt": int(time.time() * 1000),
        "subscriptionType": "contact.creation",
        "attemptNumber": 0,
        "objectId": contact_id,
        "changeSource": "CRM",
    }
    return json.dumps([event]).encode()


def _post_signed(client: httpx.Client, url: str, body: bytes) -> int:
    stamp = int(time.time() * 1000)
    signature = sign_v3(app_secret=SECRET, method="POST", uri=url, body=body, timestamp=stamp)
    headers = {
        SIGNATURE_HEADER: signature,
        TIMESTAMP_HEADER: str(stamp),
        "Content-Type": "application/json",
    }
    return client.post(url, content=body, headers=headers).status_code


def deliver(client: httpx.Client, url: str, body: bytes) -> float:
    """Post one delivery until the server acknowledges it, as HubSpot retries; when it did."""
    for attempt in range(60):
        try:
            if _post_signed(client, url, body) == 200:
                return time.time()
        except httpx.TransportError:
            pass
        time.sleep(min(0.2 * 2**attempt, 2.0))
    raise RuntimeError(f"the server never acknowledged a delivery to {url}")


def send_all(url: str, deliveries: list[tuple[int, int]], *, gap: float) -> dict[int, float]:
    """Each event's first acknowledgement, delivering everything over at least `gap` seconds.

    Spread out so that every kill lands mid-load.
    """
    pause = gap / len(deliveries)
    first_ack: dict[int, float] = {}
    with httpx.Client(timeout=30) as client:
        for event_id, contact_id in deliveries:
            sent = time.monotonic()
            acked = deliver(client, url, event_body(event_id, contact_id))
            first_ack.setdefault(event_id, acked)
            time.sleep(max(0.0, pause - (time.monotonic() - sent)))
    return first_ack
