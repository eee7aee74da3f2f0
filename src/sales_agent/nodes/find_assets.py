"""AssetHunterAgent: the Drive material that could answer this lead, one candidate per type.

It runs in parallel with the thread read, so it cannot know the intent yet: it finds the
best proposal, case study and report for what the lead wrote about, and the planner picks
the one the intent calls for. A proposal or report made for another client is that client's
confidential material and is never a candidate; case studies are published, so they are.
An empty or missing Drive index means no candidates, never a failed run.
"""

from __future__ import annotations

import logging
from typing import Any

from langgraph.runtime import Runtime

from sales_agent.connectors.drive_models import AssetType
from sales_agent.domain import Asset
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.state import FollowupState, lead_query
from sales_agent.memory.assets import AssetHit, find_assets_near
from sales_agent.memory.vector_index import IndexMismatchError
from sales_agent.policy.crm_names import NameView
from sales_agent.services import ServicesProvider, current_crm_names

__all__ = ["CANDIDATE_TYPES", "find_assets"]

logger = logging.getLogger(__name__)

CANDIDATE_TYPES: tuple[AssetType, ...] = ("proposal", "case_study", "report")
_PER_TYPE = 5  # searched per type, so a few confidential ones can be skipped


def _shareable(hit: AssetHit, names: NameView) -> bool:
    """A case study is written to be shared; another file must name no other client."""
    return hit.asset_type == "case_study" or not names.others_in(hit.file_name)[1]


def find_assets(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """The best shareable file of each candidate type for the lead's topic and industry."""
    svc = services()
    identity = state.identity
    assert identity is not None
    query = lead_query(state)
    other_clients = current_crm_names(svc).view(
        own_company_id=identity.company_id, own_company_name=identity.company_name
    )
    hits: list[AssetHit] = []
    # One embedding for the three searches: on the local model it is most of their cost.
    vector = svc.embeddings.embed_query(query)
    try:
        for asset_type in CANDIDATE_TYPES:
            found = find_assets_near(svc, vector, asset_type=asset_type, limit=_PER_TYPE)
            hits += [hit for hit in found if _shareable(hit, other_clients)][:1]
    except IndexMismatchError as exc:
        # A provider switch awaiting `index rebuild` must not stop follow-ups: no assets.
        logger.warning("assets skipped: %s", exc.message)
        hits = []
    assets = [
        Asset(
            file_id=hit.file_id,
            name=hit.file_name,
            asset_type=hit.asset_type,
            url=f"https://drive.google.com/file/d/{hit.file_id}/view",
            preview=hit.preview,
            score=hit.score,
        )
        for hit in hits
    ]
    if not assets:
        logger.info("no Drive assets found: `sales-agent index drive` builds the index")
    return {"assets": assets}
