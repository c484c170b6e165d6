"""The day's schedule read from the code: the calls of ``ShouwangModel.step`` in the order they run.

The method's source is parsed (:mod:`ast`); each call is resolved on a tiny model to the function
it reaches and shown with its docstring's first line, so the description follows the code.
"""

from __future__ import annotations

import ast
import inspect
import sys
import textwrap
from dataclasses import dataclass, field
from typing import Any

from sim.config import CityConfig, Config
from sim.model import ShouwangModel


@dataclass
class Call:
    """One call of the day's schedule: as written, what it resolves to and its docstring's first line."""

    expr: str
    target: str
    doc: str
    when: str = ""  # the condition it runs under ("" = every time)
    calls: list[Call] = field(default_factory=list)


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _in_order(node: ast.AST, when: str = "") -> list[tuple[str, str]]:
    """The calls under ``node`` in the order they run (arguments first), each with the condition
    of the ``if`` it sits in ("" when it runs every time)."""
    if isinstance(node, ast.If):
        test = ast.unparse(node.test)
        inner = f"{when} and {test}" if when else test
        found = _in_order(node.test, when)
        for stmt in node.body:
            found += _in_order(stmt, inner)
        for stmt in node.orelse:
            found += _in_order(stmt, f"not ({inner})")
        return found
    found = []
    for child in ast.iter_child_nodes(node):
        found += _in_order(child, when)
    if isinstance(node, ast.Call) and (name := _dotted(node.func)):
        found.append((name, when))
    return found


def _aliases(body: list[ast.stmt]) -> dict[str, str]:
    """Locals bound to the model's attributes (``pool, cfg = self.latent, self.cfg``)."""
    out: dict[str, str] = {}
    for stmt in body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            names = stmt.targets[0].elts if isinstance(stmt.targets[0], ast.Tuple) else [stmt.targets[0]]
            values = stmt.value.elts if isinstance(stmt.value, ast.Tuple) else [stmt.value]
            for n, v in zip(names, values):
                if isinstance(n, ast.Name) and (d := _dotted(v)) and d.startswith("self."):
                    out[n.id] = d
    return out


def _resolve(name: str, model: ShouwangModel, namespace: dict[str, Any]) -> Any:
    parts = name.split(".")
    obj: Any = model if parts[0] == "self" else namespace.get(parts[0])
    for part in parts[1:]:
        obj = getattr(obj, part, None)
    return obj


def first_line(obj: Any) -> str:
    """The first paragraph of a docstring on one line: what the ODD quotes for entities and calls."""
    doc = inspect.getdoc(obj) or ""
    return " ".join(doc.split("\n\n")[0].split()) if doc else ""


def schedule(method: str = "step", depth: int = 1) -> list[Call]:
    """The calls of ``ShouwangModel.<method>`` in the order they run, resolved on a tiny model.

    Calls into the project or SimPy are kept (not builtins or list methods); the model's own
    methods (``rounds``, ``detect``) are expanded ``depth`` levels.
    """
    model = tiny_model()
    namespace = vars(sys.modules[ShouwangModel.__module__])
    tree = ast.parse(textwrap.dedent(inspect.getsource(getattr(ShouwangModel, method))))
    body = tree.body[0].body  # type: ignore[attr-defined]
    aliases = _aliases(body)
    out = []
    for name, when in _in_order(ast.Module(body=body, type_ignores=[])):
        head, _, rest = name.partition(".")
        full = f"{aliases[head]}.{rest}" if head in aliases and rest else aliases.get(head, name)
        obj = _resolve(full, model, namespace)
        module = getattr(obj, "__module__", None) or ""
        if obj is None or not module.startswith(("sim", "simpy")):
            continue
        target = f"{module}.{getattr(obj, '__qualname__', full)}"
        call = Call(name, target, first_line(obj), when)
        if depth > 0 and getattr(obj, "__self__", None) is model and name.count(".") == 1:
            call.calls = schedule(name.split(".")[1], depth - 1)
        out.append(call)
    return out


def tiny_model() -> ShouwangModel:
    """A model of a few hundred residents: only its parts' types are read (for the schedule)."""
    city = CityConfig(name="tiny", kind="synthetic", population=300, townships=1, villages_per_township=1,
                      grids=None, township_centres=None, village_centres=None, model_mix={"rural": 1.0})
    return ShouwangModel(Config(days=1, city=city))
