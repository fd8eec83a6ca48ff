"""The arrows between apps point down (ARCHITECTURE.md keeps the same table).

    core  <-  accounts  <-  feature apps  <-  home  <-  portal

Every module of every app (not its tests, not its migrations) is read with `ast`; each `import` and each
`import_module("app...")` naming another portal app is an edge. An edge may point to a lower layer; between
feature apps only the edges listed in `FEATURE_EDGES` are allowed; no cycle between apps at all.

(`apps.get_model("sources", "Source")` in accounts/permissions.py is a reference by name, not an import: the
permission module answers for every app's objects. It is the one such upward reference.)"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FEATURE_APPS = ("sources", "agenda", "kits", "community", "support", "stories", "newsletter", "search")
LAYER = {"core": 0, "accounts": 1, **dict.fromkeys(FEATURE_APPS, 2), "home": 3, "portal": 4}

# Feature app -> feature app, each with its reason. A new one is a design decision: add it here (and to
# ARCHITECTURE.md), or pass through an extension point (core/extensions.py) instead.
FEATURE_EDGES = {
    ("agenda", "sources"): "an ICS feed is a source; agenda imports run on the sources' run machinery",
    ("kits", "agenda"): "training sessions are published on the aggregated agenda",
    ("community", "sources"): "per-source forum categories and ambassadors' sources",
    ("community", "kits"): "a solved topic becomes a kit FAQ entry; ambassadors' learning record",
    ("support", "kits"): "FAQ entries offered as canned answers",
    ("stories", "sources"): "stories are filed under the source they tell about",
    ("stories", "agenda"): "a story page lists the source's coming events",
    ("newsletter", "sources"): "the issue's new sources and elements",
    ("newsletter", "agenda"): "the issue's coming events",
    ("newsletter", "kits"): "the issue's coming training sessions",
    ("newsletter", "stories"): "the issue's new stories",
    ("search", "sources"): "follows the feed checks' snapshots (sources.signals.snapshot_applied)",
    ("search", "agenda"): "indexes visible events; follows bulk imports (agenda.signals.events_stored)",
    ("search", "community"): "forum visibility and the ambassadors' directory are community's rules",
}


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.relative_to(ROOT).parts:
            continue
        yield path


def _named_apps(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        return [node.module] if node.level == 0 and node.module else []
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if called == "import_module" and isinstance(node.args[0].value, str):
            return [node.args[0].value]
    return []


def import_graph() -> dict[tuple[str, str], list[str]]:
    """(from app, to app) -> the modules where the edge is written."""
    edges = defaultdict(list)
    for app in LAYER:
        for path in _modules(app):
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                for name in _named_apps(node):
                    target = name.split(".")[0]
                    if target in LAYER and target != app:
                        edges[(app, target)].append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return edges


def _allowed(source: str, target: str) -> bool:
    if LAYER[target] < LAYER[source]:
        return True
    return LAYER[source] == LAYER[target] == 2 and (source, target) in FEATURE_EDGES


def test_the_walk_sees_the_edges_it_must_judge():
    graph = import_graph()
    assert ("stories", "sources") in graph and ("accounts", "core") in graph
    assert any(path.startswith("community/models/") for path in graph[("community", "core")])


def test_every_edge_points_down_or_is_an_allowed_feature_edge():
    wrong = {edge: where for edge, where in import_graph().items() if not _allowed(*edge)}
    assert not wrong, "imports against the layering (ARCHITECTURE.md): " + "; ".join(
        f"{source} -> {target} in {', '.join(where)}" for (source, target), where in sorted(wrong.items())
    )


def test_core_imports_no_other_app():
    assert not [edge for edge in import_graph() if edge[0] == "core"]


def test_no_cycle_between_apps():
    successors = defaultdict(set)
    for source, target in import_graph():
        successors[source].add(target)
    visiting, done, cycles = [], set(), []

    def visit(app):
        if app in visiting:
            cycles.append(visiting[visiting.index(app) :] + [app])
            return
        if app in done:
            return
        visiting.append(app)
        for target in sorted(successors[app]):
            visit(target)
        visiting.pop()
        done.add(app)

    for app in LAYER:
        visit(app)
    assert not cycles, "import cycles between apps: " + "; ".join(" -> ".join(cycle) for cycle in cycles)


def test_every_allowed_edge_still_exists():
    """The table describes the code: an edge nobody writes any more leaves it (and ARCHITECTURE.md)."""
    graph = import_graph()
    assert not [edge for edge in FEATURE_EDGES if edge not in graph]
