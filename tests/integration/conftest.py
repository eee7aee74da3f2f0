"""Fixtures for the integration tests: the sandbox they talk to over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sales_agent.sandbox import SandboxServer


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    """An in-process sandbox of the Google and HubSpot APIs for the module, from its seed."""
    with SandboxServer() as server:
        yield server
