"""The package layout holds (README "Layout", docs/architecture.md): imports run one way, from the
features down to the results service, scoring, the item bank and the shared layer; no two packages
import each other, directly or round a loop; a feature imports another feature's public modules only.

The graph is built from the source with `ast` (every import, also those inside functions), so a new
import that breaks the rule fails here before anyone notices a tangle."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SPIEGEL = Path(__file__).resolve().parent.parent / "spiegel"

# Below the features, lowest first: a package may import its own layer and the ones below it.
LAYERS = ("shared", "instrument", "jobs", "scoring", "results")
FEATURES = {"accounts", "boards", "core", "dashboard", "org", "plans", "reports", "rounds", "survey"}
# The data layer: each feature's models.py sits under the results service (which reads answers and
# rounds through them), so it imports only the shared layer, the item bank and other models.
DATA = "models"
# What a feature offers the others: its package, its models and its services.
PUBLIC = {"__init__", "models", "services"}
# Other modules that one feature may import from another, and why.
ALLOWED = {
    "spiegel.accounts.access": "who may see what: every staff page asks it",
    "spiegel.rounds.links": "the join and mirror links every staff list shows (dashboard, rounds)",
    "spiegel.survey.forms": "the home page (core) is the survey's front door: its code box is the join form",
    "spiegel.survey.attempts": "the home page's code box counts failed codes as the join page does",
    "spiegel.survey.codes": "the code alphabet: rounds make the team codes and slips that the survey reads",
}


def modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module → the spiegel modules it imports (``from spiegel.shared import queue`` is an import of
    ``spiegel.shared.queue``)."""
    known = modules(root)
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in known.items():
        graph[name]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                targets = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in known else node.module
                           for alias in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t.split(".")[0] == root.name and t != name)
    return graph


def unit(module: str) -> str:
    """The node a module belongs to: its package under spiegel/, "<feature>.models" for a feature's
    models, "app" for the modules directly in spiegel/ (create_app, config, the CLI, the demo)."""
    parts = module.split(".")
    if len(parts) < 2 or f"{parts[1]}" not in LAYERS and parts[1] not in FEATURES:
        return "app"
    if parts[1] in FEATURES and parts[2:3] == [DATA]:
        return f"{parts[1]}.{DATA}"
    return parts[1]


def unit_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    units: dict[str, set[str]] = defaultdict(set)
    for module, targets in graph.items():
        units[unit(module)].update(unit(t) for t in targets if unit(t) != unit(module))
    return units


def cycles(units: dict[str, set[str]]) -> list[list[str]]:
    """Each loop among the packages, as the path that closes it (one per strongly connected group)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(units.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(units):
        if node not in index:
            visit(node)
    return found


def level(name: str) -> int:
    if name.endswith("." + DATA):
        return LAYERS.index("instrument")  # models: above instrument, below scoring's users
    if name in LAYERS:
        return LAYERS.index(name)
    return len(LAYERS) if name in FEATURES else len(LAYERS) + 1  # the app is on top


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Imports from a lower layer into a higher one (the shared layer importing a feature, scoring
    importing the results service, a model importing a service, anything importing the app)."""
    wrong = []
    for module, targets in graph.items():
        for target in targets:
            source, dest = unit(module), unit(target)
            if source == dest:
                continue
            upward = dest == "app" or (level(dest) > level(source) and not (source.endswith(DATA) and dest.endswith(DATA)))
            model_reaching_up = source.endswith("." + DATA) and not (dest.endswith("." + DATA) or dest in ("shared", "instrument"))
            if upward or model_reaching_up:
                wrong.append(f"{module} -> {target}")
    return sorted(wrong)


def foreign_internals(graph: dict[str, set[str]]) -> list[str]:
    """A feature importing a module of another feature that is neither public nor allowed."""
    wrong = []
    for module, targets in graph.items():
        source = module.split(".")[1:2]
        for target in targets:
            parts = target.split(".")
            if len(parts) < 2 or parts[1] not in FEATURES or parts[1:2] == source:
                continue
            if unit(module) == "app":
                continue  # create_app, the CLI and the demo assemble the features
            name = parts[2] if len(parts) > 2 else "__init__"
            if name not in PUBLIC and target not in ALLOWED:
                wrong.append(f"{module} -> {target}")
    return sorted(wrong)


def test_no_import_cycle_between_packages():
    assert cycles(unit_graph(import_graph(SPIEGEL))) == []


def test_imports_run_down_the_layers():
    assert upward_imports(import_graph(SPIEGEL)) == []


def test_a_feature_imports_only_the_public_modules_of_another():
    assert foreign_internals(import_graph(SPIEGEL)) == []


def test_every_package_is_placed():
    packages = {path.parent.name for path in SPIEGEL.glob("*/__init__.py")}
    assert packages == set(LAYERS) | FEATURES


def test_the_allowed_list_is_still_needed():
    graph = import_graph(SPIEGEL)
    used = {target for module, targets in graph.items() for target in targets
            if target in ALLOWED and module.split(".")[1:2] != target.split(".")[1:2]}
    assert used == set(ALLOWED)


# -- the checks find what they look for -----------------------------------------------------------


def plant(root: Path, files: dict[str, str]) -> Path:
    package = root / "spiegel"
    for relative, source in files.items():
        path = package / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
        for parent in path.relative_to(package).parents:
            init = package / parent / "__init__.py"
            if not init.exists():
                init.write_text("")
    return package


def test_a_planted_cycle_between_two_features_is_found(tmp_path):
    package = plant(tmp_path, {
        "rounds/services.py": "from spiegel.plans.services import plan_for\n",
        "plans/services.py": "def plan_for():\n    from spiegel.rounds import services\n",
        "survey/services.py": "from spiegel.rounds.models import Round\n",
        "rounds/models.py": "from spiegel.shared.extensions import db\n",
        "shared/extensions.py": "",
    })
    assert cycles(unit_graph(import_graph(package))) == [["plans", "rounds"]]


def test_a_planted_loop_through_three_packages_is_found(tmp_path):
    package = plant(tmp_path, {
        "reports/context.py": "from spiegel.results import profiles\n",
        "results/profiles.py": "from spiegel.shared import charts\n",
        "shared/charts.py": "import spiegel.reports.context\n",
    })
    assert cycles(unit_graph(import_graph(package))) == [["reports", "results", "shared"]]
    assert upward_imports(import_graph(package)) == ["spiegel.shared.charts -> spiegel.reports.context"]


def test_a_feature_reaching_into_another_is_found(tmp_path):
    package = plant(tmp_path, {
        "reports/context.py": "from spiegel.rounds.comparison import heatmap\nfrom spiegel.rounds import services\n",
        "rounds/comparison.py": "", "rounds/services.py": "",
    })
    assert foreign_internals(import_graph(package)) == ["spiegel.reports.context -> spiegel.rounds.comparison"]


def test_a_model_importing_a_service_is_found(tmp_path):
    package = plant(tmp_path, {
        "survey/models.py": "from spiegel.rounds.models import Round\nfrom spiegel.results.profiles import x\n",
        "rounds/models.py": "", "results/profiles.py": "",
    })
    assert upward_imports(import_graph(package)) == ["spiegel.survey.models -> spiegel.results.profiles"]
