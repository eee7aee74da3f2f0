"""Admin: the settings in force (secrets masked), the mode, the kill switch, feature flags."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from fastapi import APIRouter
from pydantic import BaseModel, Field

from sales_agent.config import Mode, Settings
from sales_agent.policy.flags import FeatureFlag, list_flags, set_flag
from sales_agent.policy.mode import current_mode, kill_switch_engaged, set_kill_switch, set_mode
from sales_agent.server.admin.deps import (
    Actor,
    Audited,
    ConnDep,
    SettingsDep,
    nothing_to_change,
    policy_errors,
)

__all__ = ["router"]

router = APIRouter()


class ModeState(BaseModel):
    """The mode and whether the kill switch stops every external write."""

    mode: Mode
    kill_switch: bool


class ModeChange(Audited):
    """PUT /api/admin/mode."""

    mode: Mode


class KillSwitch(BaseModel):
    """The kill switch's position."""

    engaged: bool


class FlagChange(Audited):
    """PUT /api/admin/flags/{name}: a new enabled state and/or rollout percent."""

    enabled: bool | None = None
    rollout_percent: int | None = Field(default=None, ge=0, le=100)


def _masked_url(url: str | None) -> str | None:
    if not url:
        return url
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def masked_settings(settings: Settings) -> dict[str, Any]:
    """The settings as JSON with every secret masked (SecretStr fields and URL passwords)."""
    values = settings.model_dump(mode="json")  # SecretStr fields dump as "**********"
    values["database_url"] = _masked_url(settings.database_url)
    return values


@router.get("/config")
def get_config(settings: SettingsDep) -> dict[str, Any]:
    """The server's settings, secrets masked."""
    return masked_settings(settings)


@router.get("/mode")
def get_mode(conn: ConnDep) -> ModeState:
    """The mode and the kill switch (operators may read this)."""
    return ModeState(mode=current_mode(conn), kill_switch=kill_switch_engaged(conn))


@router.put("/mode")
def put_mode(body: ModeChange, conn: ConnDep, actor: Actor) -> ModeState:
    """Switch the mode for every process (audited `mode_changed`)."""
    with policy_errors():
        set_mode(conn, mode=body.mode, actor=actor, reason=body.reason)
    return get_mode(conn)


@router.get("/kill-switch")
def get_kill_switch(conn: ConnDep) -> KillSwitch:
    """Whether the kill switch is engaged."""
    return KillSwitch(engaged=kill_switch_engaged(conn))


def _kill_switch(conn: ConnDep, *, engaged: bool, actor: str, reason: str) -> KillSwitch:
    with policy_errors():
        set_kill_switch(conn, engaged=engaged, actor=actor, reason=reason)
    return KillSwitch(engaged=engaged)


@router.post("/kill-switch/engage")
def engage_kill_switch(body: Audited, conn: ConnDep, actor: Actor) -> KillSwitch:
    """Stop every external write (drafts, sends, CRM writes) at once, runs in flight too."""
    return _kill_switch(conn, engaged=True, actor=actor, reason=body.reason)


@router.post("/kill-switch/release")
def release_kill_switch(body: Audited, conn: ConnDep, actor: Actor) -> KillSwitch:
    """Let external writes resume (within the mode and the other policies)."""
    return _kill_switch(conn, engaged=False, actor=actor, reason=body.reason)


@router.get("/flags")
def get_flags(conn: ConnDep) -> list[FeatureFlag]:
    """Every feature flag."""
    return list_flags(conn)


@router.put("/flags/{name}")
def put_flag(name: str, body: FlagChange, conn: ConnDep, actor: Actor) -> FeatureFlag:
    """Change a flag's enabled state and/or rollout percent (at least one)."""
    if body.enabled is None and body.rollout_percent is None:
        raise nothing_to_change("enabled", "rollout_percent")
    with policy_errors():
        return set_flag(
            conn,
            name=name.upper(),
            enabled=body.enabled,
            rollout_percent=body.rollout_percent,
            actor=actor,
            reason=body.reason,
        )
