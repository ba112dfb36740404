"""Every route the package calls exists in the server's /openapi.json with that method.

The modules are read with ``ast`` (whatever modules exist when this runs): a route is a literal template given to
``path("…")`` or a literal "/…" string, placed after a method literal in a call (``request("GET", …)``,
``raw("POST", …)``, any wrapper with the same shape) or first in ``iterate``/``stream_lines`` (GETs). A ``path()``
template seen elsewhere must exist under some method. The reverse, native /api/v1 operations no module calls, is
printed for the lead (run with ``-s``), not failed: not every operation needs a Python method."""
import ast
import re
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

import pytest
import requests

PKG = Path(__file__).resolve().parents[1] / "ferry"
HTTP_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
GET_CALLS = {"iterate", "stream_lines"}
PLACEHOLDER = re.compile(r"\{([^}]+)\}")
ROUTE_LIKE = re.compile(r"^/(api/|v2/|v2$|health$|ready$|metrics$)")


class Route:
    def __init__(self, file: str, line: int, method: Optional[str], template: str) -> None:
        self.file, self.line, self.method, self.template = file, line, method, template

    def __repr__(self) -> str:
        return f"{self.file}:{self.line} {self.method or '?'} {self.template}"


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _str(node: ast.expr) -> Optional[str]:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_path_call(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and _name(node.func) == "path" and bool(node.args) and _str(node.args[0]) is not None


class Finder(ast.NodeVisitor):
    """Routes and their methods in one module; problems are routes that cannot be checked."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.routes: List[Route] = []
        self.problems: List[str] = []
        self.used: Set[int] = set()  # id() of path() calls already placed after a method
        self.path_calls: List[ast.Call] = []
        self.vars: List[Dict[str, ast.Call]] = [{}]  # per function: variable -> the path("…") call assigned to it

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        scope: Dict[str, ast.Call] = {}
        for n in ast.walk(node):
            if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name) and _is_path_call(n.value):
                scope[n.targets[0].id] = n.value  # type: ignore[assignment]
        self.vars.append(scope)
        self.generic_visit(node)
        self.vars.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def route_of(self, node: ast.expr, method: Optional[str]) -> None:
        if _is_path_call(node):
            self.used.add(id(node))
            self.routes.append(Route(self.file, node.lineno, method, _str(node.args[0])))  # type: ignore[union-attr,arg-type]
        elif _str(node) is not None and _str(node).startswith("/"):  # type: ignore[union-attr]
            self.used.add(id(node))
            self.routes.append(Route(self.file, node.lineno, method, _str(node)))  # type: ignore[arg-type]
        elif isinstance(node, ast.Name) and node.id in self.vars[-1]:
            call = self.vars[-1][node.id]
            self.used.add(id(call))
            self.routes.append(Route(self.file, node.lineno, method, _str(call.args[0])))  # type: ignore[arg-type]
        elif isinstance(node, (ast.JoinedStr, ast.BinOp)):
            self.problems.append(f"{self.file}:{node.lineno}: a route built as a string; give path() a literal template")

    def visit_Call(self, node: ast.Call) -> None:
        if _is_path_call(node):
            self.path_calls.append(node)
            self.used.add(id(node.args[0]))  # the template itself, checked as this call's route
            template = _str(node.args[0]) or ""
            named = {k.arg for k in node.keywords}
            if None not in named and named != set(PLACEHOLDER.findall(template)):
                self.problems.append(f"{self.file}:{node.lineno}: path({template!r}) is given {sorted(named)}")  # type: ignore[type-var]
        args = node.args
        for i, a in enumerate(args[:-1]):
            if _str(a) in HTTP_METHODS:
                self.route_of(args[i + 1], _str(a))
        if _name(node.func) in GET_CALLS and args:
            self.route_of(args[0], "GET")
        # A literal route handed to a helper (a pager, a wrapper): it must exist under some method.
        for a in args:
            if id(a) not in self.used and ROUTE_LIKE.match(_str(a) or ""):
                self.used.add(id(a))
                self.routes.append(Route(self.file, a.lineno, None, _str(a)))  # type: ignore[arg-type]
        self.generic_visit(node)


def package_routes() -> Tuple[List[Route], List[str]]:
    routes: List[Route] = []
    problems: List[str] = []
    for f in sorted(PKG.glob("*.py")):
        if f.name == "_types.py":  # generated from the document itself
            continue
        finder = Finder(f.name)
        finder.visit(ast.parse(f.read_text(), str(f)))
        routes += finder.routes
        # A template made for later (passed around, kept in a table): it must exist under some method.
        routes += [Route(f.name, c.lineno, None, _str(c.args[0]) or "") for c in finder.path_calls if id(c) not in finder.used]
        problems += finder.problems
    return routes, problems


@pytest.fixture(scope="module")
def served(ferry_server) -> Dict[str, Set[str]]:
    doc = requests.get(ferry_server["url"] + "/openapi.json", timeout=30).json()
    return {route: {m.upper() for m in ops if m.upper() in HTTP_METHODS} for route, ops in doc["paths"].items()}


def test_every_route_the_package_calls_is_served_with_that_method(served):
    routes, problems = package_routes()
    # client.py is always there, with /health and /api/v1/whoami: an empty scan would prove nothing.
    assert any(r.template == "/health" and r.method == "GET" for r in routes), routes
    missing = []
    for r in routes:
        methods = served.get(r.template.split("?")[0])
        if methods is None:
            missing.append(f"{r}: no such path in /openapi.json")
        elif r.method is not None and r.method not in methods:
            missing.append(f"{r}: the path is served with {sorted(methods)} only")
    assert not problems + missing, "\n".join(problems + missing)


def test_report_native_operations_no_module_calls(served, capsys):
    routes, _ = package_routes()
    called = {(r.method, r.template) for r in routes}
    any_method = {r.template for r in routes if r.method is None}
    uncovered = sorted(
        f"{m:6} {route}"
        for route, methods in served.items()
        if route.startswith("/api/v1/")
        for m in methods
        if (m, route) not in called and route not in any_method
    )
    native = sum(len(ms) for route, ms in served.items() if route.startswith("/api/v1/"))
    with capsys.disabled():
        print(f"\n{len(uncovered)} of {native} native /api/v1 operations are called by no module of the package:")
        for line in uncovered:
            print("  " + line)
    assert native > 0
