from langchain_core.messages import AIMessage

from sales_agent.server.run_events import EventTranslator, graph_modes

CONFIG = {"configurable": {"thread_id": "t", "checkpoint_ns": "", "checkpoint_id": "c2"}}
PARENT = {"configurable": {"thread_id": "t", "checkpoint_ns": "", "checkpoint_id": "c1"}}


def test_client_modes_map_to_graph_modes_with_checkpoints_always() -> None:
    assert graph_modes(["messages-tuple", "events"]) == ["checkpoints", "messages", "tasks"]
    assert graph_modes([]) == ["checkpoints"]


def test_checkpoint_events_carry_their_ids_and_only_when_asked() -> None:
    payload = {"config": CONFIG, "parent_config": PARENT, "values": {}}
    asked = EventTranslator(frozenset({"checkpoints", "debug"}))
    [(event, data)] = asked.translate((), "checkpoints", payload)
    assert event == "checkpoints"
    assert data["checkpoint"]["checkpoint_id"] == "c2"
    assert data["parent_checkpoint"]["checkpoint_id"] == "c1"
    [(_, debug)] = asked.translate((), "debug", {"type": "checkpoint", "payload": payload})
    assert debug["payload"]["parent_checkpoint"]["checkpoint_id"] == "c1"
    assert list(EventTranslator(frozenset({"values"})).translate((), "checkpoints", payload)) == []


def test_messages_tasks_and_subgraph_namespaces() -> None:
    translator = EventTranslator(frozenset({"messages", "messages-tuple", "events"}))
    message = AIMessage(content="hi", id="m1")
    events = [e for e, _ in translator.translate(("sub:1",), "messages", (message, {"n": 1}))]
    assert events == ["messages|sub:1", "messages/metadata|sub:1", "messages/complete|sub:1"]
    again = [e for e, _ in translator.translate((), "messages", (message, {}))]
    assert again == ["messages", "messages/complete"]  # metadata once per message
    [(event, data)] = translator.translate(
        (), "tasks", {"id": "x", "name": "write_draft", "input": {}}
    )
    assert (event, data["event"], data["name"]) == ("events", "on_chain_start", "write_draft")
