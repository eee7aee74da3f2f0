"""The package layout has no import cycle: each package imports only packages below it.

Read from the source with `ast` (every `from sales_agent... import` and `import sales_agent...`,
including the ones inside functions), so a lazy import cannot hide a cycle. The graphs'
schema modules (`graph.state`, `graph.context`, `graph.voice_state`) count as a unit of their
own: nodes are typed by them, and the graph builders import the nodes.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

SRC = Path(__file__).parents[2] / "src" / "sales_agent"
GRAPH_SCHEMA = {"graph.state", "graph.context", "graph.voice_state", "graph.story_state"}


def _unit(module: str) -> str:
    """The layer unit of `sales_agent.<module>`: its top package, or the graph schema."""
    parts = module.split(".")
    if ".".join(parts[:2]) in GRAPH_SCHEMA:
        return "graph-schema"
    return parts[0]


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("sales_agent."):
                found.add(node.module.removeprefix("sales_agent."))
            elif node.module == "sales_agent":
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(
                alias.name.removeprefix("sales_agent.")
                for alias in node.names
                if alias.name.startswith("sales_agent.")
            )
    return found


def _package_graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for path in SRC.rglob("*.py"):
        module = ".".join(path.relative_to(SRC).with_suffix("").parts)
        unit = _unit(module)
        edges[unit]  # every unit appears, importing or not
        for target in _imports(path):
            if (other := _unit(target)) != unit:
                edges[unit].add(other)
    return edges


def test_packages_form_layers_without_a_cycle() -> None:
    edges = _package_graph()
    try:
        order = list(TopologicalSorter(edges).static_order())
    except CycleError as error:
        raise AssertionError(f"an import cycle between packages: {error.args[1]}") from None
    assert {"domain", "connectors", "tools", "nodes", "graph", "cli", "server"} <= set(order)


def test_the_domain_imports_nothing_of_ours() -> None:
    assert _package_graph()["domain"] == set()


def test_the_http_layer_never_imports_the_command_line() -> None:
    assert "cli" not in _package_graph()["server"]


def test_the_model_tools_never_reach_the_nodes_or_graphs() -> None:
    edges = _package_graph()
    assert not {"nodes", "graph", "graph-schema", "jobs", "server"} & edges["tools"]
    assert not {"policy", "memory", "nodes", "graph", "tools"} & edges["connectors"]
