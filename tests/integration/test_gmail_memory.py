"""Gmail indexing into memory and LongMemory retrieval, on the sandbox mailbox and a real
Postgres, with the deterministic `hash` embeddings."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from sales_agent.config import EmbeddingsProvider
from sales_agent.connectors.records import EmailAddress, ReplyDraft
from sales_agent.memory.embeddings import EmbeddingSpec
from sales_agent.memory.gmail_index import GmailIndexStats, index_gmail
from sales_agent.memory.long_memory import LongMemory, retrieve_context
from sales_agent.memory.messages import open_message_store
from sales_agent.memory.vector_index import MEMORY_MESSAGES, IndexMismatchError, drop_index
from sales_agent.sandbox import SEED_LEAD_EMAIL, SEED_LEAD_THREAD_ID
from sales_agent.services import Services

NEW_CONTACT = "tomas@fjordfreight.example"


def _rows(services: Services) -> dict[str, dict[str, object]]:
    with services.pool.connection() as conn:
        rows = conn.execute(f"SELECT * FROM {MEMORY_MESSAGES.name}").fetchall()
    return {str(row["langchain_id"]): dict(row) for row in rows}


def _set_cursor(services: Services, history_id: str) -> None:
    with services.pool.connection() as conn:
        conn.execute("UPDATE gmail_sync_cursors SET history_id = %s", (history_id,))


def _mailbox_ids(services: Services) -> set[str]:
    page = services.connectors.gmail.list_messages(max_results=500)
    assert page.next_page_token is None
    return {ref.id for ref in page.messages}


@pytest.fixture(scope="module")
def full_index(services: Services) -> GmailIndexStats:
    """The seed mailbox, indexed once from nothing."""
    assert services.sandbox_url is not None
    httpx.post(f"{services.sandbox_url}/_sandbox/reset", timeout=10).raise_for_status()
    drop_index(services.pool, MEMORY_MESSAGES)
    seen: list[tuple[int, int]] = []
    stats = index_gmail(services, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (stats.fetched, stats.fetched)
    return stats


def test_full_index_stores_inbound_and_sent_mail(
    services: Services, full_index: GmailIndexStats
) -> None:
    rows = _rows(services)
    assert full_index.full_resync
    assert full_index.fetched == full_index.indexed == len(rows) == len(_mailbox_ids(services))
    assert full_index.history_id == services.connectors.gmail.get_profile().history_id
    assert {row["direction"] for row in rows.values()} == {"inbound", "sent"}

    inbound = rows["msg-northwind-002"]
    assert inbound["thread_id"] == SEED_LEAD_THREAD_ID
    assert inbound["direction"] == "inbound" and inbound["contact_email"] == SEED_LEAD_EMAIL
    assert inbound["company_domain"] == SEED_LEAD_EMAIL.split("@")[1]
    assert "Priya Natarajan" in str(inbound["sender"])
    sent = rows["msg-northwind-001"]
    assert sent["direction"] == "sent" and sent["contact_email"] == SEED_LEAD_EMAIL
    assert str(sent["content"]).startswith("Dispatch flow at Northwind's Leeds cross-dock\n\nHi")
    assert all(len(str(row["preview"])) <= 150 for row in rows.values())
    assert str(sent["preview"]).startswith("Hi Priya, Thanks for getting in touch")


def test_embedded_text_has_no_quoted_history(
    services: Services, full_index: GmailIndexStats
) -> None:
    replies = [r for r in _rows(services).values() if str(r["content"]).startswith("Re:")]
    assert replies
    assert not any("wrote:\n" in str(r["content"]) for r in replies)
    assert not any("\n>" in str(r["content"]) for r in replies)


def test_rerun_indexes_nothing(services: Services, full_index: GmailIndexStats) -> None:
    before = _rows(services)
    again = index_gmail(services)
    assert not again.full_resync
    assert (again.fetched, again.indexed, again.removed) == (0, 0, 0)
    assert _rows(services).keys() == before.keys()


def test_incremental_indexes_exactly_the_new_message(
    services: Services, full_index: GmailIndexStats
) -> None:
    before = _rows(services)
    gmail = services.connectors.gmail
    new_id = gmail.send_message(
        ReplyDraft(
            to=[EmailAddress(email=NEW_CONTACT, name="Tomas Berg")],
            subject="Cold-chain audit for Fjord Freight",
            body_text="Hi Tomas,\n\nHere is the cold-chain audit outline we discussed.",
        )
    )
    gmail.delete_draft(gmail.create_draft(ReplyDraft(to=[], subject="scratch", body_text="x")))

    stats = index_gmail(services)

    rows = _rows(services)
    assert not stats.full_resync and stats.indexed == 1 and stats.fetched == 1
    assert rows.keys() - before.keys() == {new_id}
    new = rows[new_id]
    assert new["direction"] == "sent" and new["contact_email"] == NEW_CONTACT
    assert new["company_domain"] == "fjordfreight.example"
    assert stats.history_id == gmail.get_profile().history_id


def test_expired_history_id_falls_back_to_a_full_resync_without_duplicates(
    services: Services, full_index: GmailIndexStats
) -> None:
    before = _rows(services)
    _set_cursor(services, "1")  # older than the history the sandbox keeps: Gmail answers 404

    stats = index_gmail(services)

    assert stats.full_resync
    assert (stats.fetched, stats.indexed) == (0, 0) and stats.skipped == len(before)
    assert _rows(services).keys() == before.keys() == _mailbox_ids(services)
    with services.pool.connection() as conn:
        cursor = conn.execute("SELECT history_id FROM gmail_sync_cursors").fetchone()
    assert cursor is not None and int(cursor["history_id"]) == stats.history_id


def test_full_flag_resyncs_and_drops_rows_of_deleted_messages(
    services: Services, full_index: GmailIndexStats
) -> None:
    store = open_message_store(services)  # a stray row, as if its message were deleted since
    store.add_texts(["gone"], metadatas=[{"thread_id": "t", "direction": "sent"}], ids=["gone"])

    stats = index_gmail(services, full=True)

    assert stats.full_resync and stats.removed == 1 and stats.indexed == 0
    assert "gone" not in _rows(services)


def test_retrieval_filters_by_contact_and_scores_in_0_1(
    services: Services, full_index: GmailIndexStats
) -> None:
    memory = LongMemory(services)
    hits = memory.retrieve_context(
        "dispatch delays in staging at the Leeds cross-dock", 10, contact_email=SEED_LEAD_EMAIL
    )
    assert hits
    assert {hit.contact_email for hit in hits} == {SEED_LEAD_EMAIL}
    assert all(0.0 <= hit.relevance <= 1.0 for hit in hits)
    assert [h.relevance for h in hits] == sorted((h.relevance for h in hits), reverse=True)
    assert hits[0].thread_id == SEED_LEAD_THREAD_ID and len(hits[0].preview) <= 150
    assert hits[0].timestamp.tzinfo is not None

    anywhere = retrieve_context(services, "dispatch delays Leeds cross-dock", 10)
    assert len({hit.contact_email for hit in anywhere}) > 1


def test_retrieval_filters_by_company(services: Services, full_index: GmailIndexStats) -> None:
    domain = SEED_LEAD_EMAIL.split("@")[1]
    hits = LongMemory(services).retrieve_context("meeting next week", 5, company_domain=domain)
    assert hits and all(str(hit.contact_email).endswith("@" + domain) for hit in hits)
    assert LongMemory(services).retrieve_context("x", 5, company_domain="nobody.example") == []


def test_switching_embeddings_is_a_clear_error(
    services: Services, full_index: GmailIndexStats
) -> None:
    other = EmbeddingSpec(EmbeddingsProvider.LOCAL, "all-MiniLM-L6-v2", 384)
    switched = dataclasses.replace(services, embedding_spec=other)
    with pytest.raises(IndexMismatchError, match="sales-agent index rebuild"):
        LongMemory(switched).retrieve_context("pricing", 3)


def test_operators_never_see_each_others_memories(services: Services) -> None:
    dana = LongMemory(services, operator_email="dana@chaingepartners.example")
    marcus = LongMemory(services, operator_email="Marcus@BrightlineGrowth.example")

    dana.remember_fact(SEED_LEAD_EMAIL, "Prefers calls on Tuesday mornings.", source="operator")
    dana.remember_fact(SEED_LEAD_EMAIL, "Prefers calls on Tuesday mornings.")  # kept once
    marcus.remember_fact(SEED_LEAD_EMAIL, "Budget signed off in Q3.")
    dana.record_feedback("Shorter openings, please.", kind="edit")
    marcus.record_feedback("Never mention discounts.")

    assert [f.fact for f in dana.facts_for(SEED_LEAD_EMAIL)] == [
        "Prefers calls on Tuesday mornings."
    ]
    assert [f.fact for f in marcus.facts_for(SEED_LEAD_EMAIL.upper())] == [
        "Budget signed off in Q3."
    ]
    assert [(n.kind, n.text) for n in dana.feedback()] == [("edit", "Shorter openings, please.")]
    assert [n.text for n in marcus.feedback()] == ["Never mention discounts."]
    assert dana.operator.contacts() == [SEED_LEAD_EMAIL]
    assert dana.facts_for("someone@else.example") == []
