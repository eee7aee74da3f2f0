"""`sales-agent trigger form`: run a form follow-up now, as if the lead had filled the form."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["trigger_app"]

trigger_app = typer.Typer(no_args_is_help=True, help="Start a follow-up by hand, now.")

_PREVIEW_CHARS = 280


@trigger_app.command("form")
def form(
    email: Annotated[str, typer.Option("--email", help="The lead's email address.")],
    message: Annotated[
        str | None, typer.Option("--message", help="What the lead wrote in the form.")
    ] = None,
) -> None:
    """Run the follow-up to its approval here; print the run id, plan, draft and HubSpot note."""
    from pydantic import ValidationError

    from sales_agent.domain.thread_ids import thread_id_for
    from sales_agent.graph.state import FollowupState
    from sales_agent.jobs.enqueue import enqueue_followup
    from sales_agent.jobs.execute import execute_run
    from sales_agent.jobs.followup_runs import compile_followup
    from sales_agent.nodes.log_to_crm import crm_note_url
    from sales_agent.services import open_services
    from sales_agent.triggers.form_submissions import typed_form_trigger

    try:
        trigger = typed_form_trigger(email, message)
    except ValidationError as exc:
        raise typer.BadParameter(exc.errors()[0]["msg"], param_hint="--email") from None
    with open_services() as services:
        graph = compile_followup(services)
        # A queued run executed here: the runs row is the same as a webhook's, and if this
        # process dies mid-way, a worker finishes the run from its last checkpoint.
        run_id = enqueue_followup(services, trigger, metadata={"source": "cli"})
        status = execute_run(services, graph, run_id)
        thread_id = thread_id_for(trigger)
        snapshot = graph.get_state({"configurable": {"thread_id": thread_id}})
        state = FollowupState.model_validate(snapshot.values)
        note_url = crm_note_url(services, state.crm_note_id)
    typer.echo(f"run {run_id} on thread {thread_id}: {status or 'already finished'}")
    plan = state.plan
    typer.echo(f"plan: {plan.action} ({plan.tone}): {plan.reason}" if plan else "plan: none")
    if state.draft is None:
        typer.echo("draft: none")
    else:
        typer.echo(f"draft: {state.draft.subject}")
        typer.echo("  " + state.draft.body[:_PREVIEW_CHARS].replace("\n", "\n  "))
    if state.crm_note_id is None:
        typer.echo("HubSpot note: none")
    else:
        typer.echo(f"HubSpot note {state.crm_note_id}: {note_url or 'on the contact record'}")
    typer.echo(f"outcome: {state.outcome or 'awaiting approval'}")
