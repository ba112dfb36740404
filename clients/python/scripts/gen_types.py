#!/usr/bin/env python3
"""Writes ferry/_types.py from Ferry's OpenAPI document: a TypedDict for each operation's JSON answer
(``<OperationId>Response``) and JSON body (``<OperationId>Body``), one for each object nested in them, ``Literal``
unions for enums, and ``OPERATIONS`` (operationId -> (method, path)).

    python clients/python/scripts/gen_types.py                     # starts a server from dist/ and asks it
    python clients/python/scripts/gen_types.py --url http://127.0.0.1:5050
    python clients/python/scripts/gen_types.py --file openapi.json [--out -]

The contract's schemas are inlined in the document (no components, no $ref), so nested objects are named after
where they sit (``ListJobsResponseJobsItem``); a shape that occurs in several places is written once, under its
shortest name, and every other name it is reached by (an operation's, a nested object's) is an alias of it, so a
name stays when another operation with the same shape arrives. The output is sorted and depends on nothing but
the document's paths, so regenerating from an unchanged contract gives the same file (tests/test_types.py).
"""
from __future__ import annotations

import argparse
import json
import keyword
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "ferry" / "_types.py"
REPO = HERE.parents[2]
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
# Keywords that say what a value is; the rest (lengths, patterns, descriptions) only validate or document it.
SHAPE_KEYS = ("type", "properties", "required", "items", "prefixItems", "anyOf", "oneOf", "allOf", "enum", "const", "additionalProperties")
WIDTH = 116

HEADER = '''"""Typed shapes of Ferry's HTTP API, generated from its OpenAPI document (/openapi.json).

Do not edit: regenerate with ``python clients/python/scripts/gen_types.py`` (after ``npm run build``);
tests/test_types.py fails when this file and the server's document differ.

``<OperationId>Response`` is an operation's JSON answer, ``<OperationId>Body`` its JSON request body;
``OPERATIONS`` maps each operationId to its method and path template.
"""
# fmt: off
from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional, Tuple, TypedDict, Union
'''


def pascal(s: str) -> str:
    parts = re.split(r"[^0-9A-Za-z]+", s)
    out = "".join(p[:1].upper() + p[1:] for p in parts if p)
    return out if out and not out[0].isdigit() else "N" + out


def shape(schema: Any) -> Any:
    """The schema with only the keywords that decide its Python type (the key that finds equal shapes)."""
    if isinstance(schema, list):
        return [shape(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: Dict[str, Any] = {}
    for k in SHAPE_KEYS:
        if k not in schema:
            continue
        v = schema[k]
        if k == "properties":
            out[k] = {name: shape(s) for name, s in v.items()}
        elif k in ("enum", "const", "required", "type"):
            out[k] = v
        else:
            out[k] = shape(v)
    return out


def key_of(schema: Any) -> str:
    return json.dumps(shape(schema), sort_keys=True)


def json_content(content: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    for ctype, c in sorted((content or {}).items()):
        if ctype.split(";")[0].strip() == "application/json" and "schema" in c:
            return c["schema"]
    return None


def operations(doc: Dict[str, Any]) -> List[Tuple[str, str, str, Dict[str, Any]]]:
    ops = []
    for route, item in doc.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op and op.get("operationId"):
                ops.append((op["operationId"], method.upper(), route, op))
    ops.sort(key=lambda o: o[0])
    ids = [o[0] for o in ops]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise SystemExit(f"operationIds used twice: {dup}")
    return ops


def roots(doc: Dict[str, Any]) -> List[Tuple[str, Dict[str, Any], str]]:
    """(name, schema, docstring) of every operation's JSON answer and JSON body."""
    out = []
    for op_id, method, route, op in operations(doc):
        where = f"{method} {route}"
        summary = (op.get("summary") or "").strip()
        ok = sorted(s for s in op.get("responses", {}) if s.startswith("2"))
        for status in ok[:1]:
            s = json_content(op["responses"][status].get("content"))
            if s is not None:
                out.append((pascal(op_id) + "Response", s, f"The answer of ``{where}``: {summary}"))
        body = json_content((op.get("requestBody") or {}).get("content"))
        if body is not None:
            out.append((pascal(op_id) + "Body", body, f"The JSON body of ``{where}``: {summary}"))
    return out


def is_object(s: Any) -> bool:
    return isinstance(s, dict) and s.get("type") == "object" and bool(s.get("properties"))


def variant_names(base: str, variants: List[Dict[str, Any]]) -> List[str]:
    """Names for the object variants of a union: after a field every variant fixes to one value (``kind``), else numbered."""
    objs = [v for v in variants if is_object(v)]
    common = set.intersection(*(set(v["properties"]) for v in objs)) if objs else set()
    for field in sorted(common):
        vals = []
        for v in objs:
            p = v["properties"][field]
            one = p.get("enum") if isinstance(p.get("enum"), list) and len(p["enum"]) == 1 else None
            one = one or ([p["const"]] if "const" in p else None)
            vals.append(one[0] if one else None)
        if all(isinstance(x, str) for x in vals) and len(set(vals)) == len(vals):
            return [base + pascal(x) for x in vals]
    return [f"{base}Variant{i + 1}" for i in range(len(objs))]


class Collector:
    """Pass one: every object shape and the names it is reached by."""

    def __init__(self) -> None:
        self.names: Dict[str, List[str]] = {}  # shape key -> names
        self.first: Dict[str, Tuple[str, Dict[str, Any]]] = {}  # name -> (key, schema)
        self.in_body: set = set()  # names reached from a request body
        self.body = False  # whether the root being visited is a request body

    def visit(self, schema: Any, name: str) -> None:
        if not isinstance(schema, dict):
            return
        alts = schema.get("anyOf") or schema.get("oneOf")
        if isinstance(alts, list):
            non_null = [a for a in alts if not (isinstance(a, dict) and a.get("type") == "null")]
            if len(non_null) == 1:
                self.visit(non_null[0], name)
            else:
                objs = [a for a in non_null if is_object(a)]
                for a, n in zip(objs, variant_names(name, non_null)):
                    self.visit(a, n)
                for i, a in enumerate(x for x in non_null if not is_object(x)):
                    self.visit(a, f"{name}Alt{i + 1}")
            return
        if is_object(schema):
            k = key_of(schema)
            if name in self.first and self.first[name][0] != k:
                raise SystemExit(f"two different shapes would both be named {name}")
            self.first.setdefault(name, (k, schema))
            if self.body:
                self.in_body.add(name)
            if name not in self.names.setdefault(k, []):
                self.names[k].append(name)
            for prop, s in sorted(schema["properties"].items()):
                self.visit(s, name + pascal(prop))
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict):
                self.visit(extra, name + "Value")
            return
        t = schema.get("type")
        if t == "array":
            items = schema.get("items")
            if isinstance(items, dict):
                self.visit(items, name + "Item")
            for i, s in enumerate(schema.get("prefixItems") or []):
                self.visit(s, f"{name}Item{i + 1}")
        elif t == "object" and isinstance(schema.get("additionalProperties"), dict):
            self.visit(schema["additionalProperties"], name + "Value")

    def canonical(self) -> Dict[str, str]:
        """Shape key -> the one name it is written under: an answer's name before a body's (a shape both
        send and receive reads as what the server answers), then the shortest, then the first in order."""
        rank = lambda n: (n in self.in_body, len(n), n)  # noqa: E731
        return {k: min(ns, key=rank) for k, ns in self.names.items()}


def literal(values: List[Any]) -> str:
    return "Literal[" + ", ".join(json.dumps(v) if isinstance(v, str) else repr(v) for v in values) + "]"


def union(types: List[str]) -> str:
    seen: List[str] = []
    lits: List[str] = []
    for t in types:
        if t.startswith("Literal[") and t.endswith("]"):
            lits.append(t[len("Literal["):-1])
        elif t not in seen:
            seen.append(t)
    if lits:
        seen.insert(0, "Literal[" + ", ".join(lits) + "]")
    has_none = "None" in seen
    rest = [t for t in seen if t != "None"]
    if "Any" in rest:
        return "Any"
    if not rest:
        return "None"
    inner = rest[0] if len(rest) == 1 else "Union[" + ", ".join(rest) + "]"
    return f"Optional[{inner}]" if has_none else inner


SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}


class Writer:
    """Pass two: Python source, each class after the classes its fields name."""

    def __init__(self, collector: Collector) -> None:
        self.c = collector
        self.canon = collector.canonical()
        self.done: Dict[str, bool] = {}
        self.docs: Dict[str, str] = {}
        self.classes: Dict[str, List[str]] = {}  # public name -> its lines (helper halves included)

    def type_of(self, schema: Any, name: str) -> str:
        if not isinstance(schema, dict):
            return "Any"
        if "const" in schema:
            return literal([schema["const"]])
        if isinstance(schema.get("enum"), list):
            return literal(schema["enum"])
        alts = schema.get("anyOf") or schema.get("oneOf")
        if isinstance(alts, list):
            non_null = [a for a in alts if not (isinstance(a, dict) and a.get("type") == "null")]
            if len(non_null) == 1:
                types = [self.type_of(non_null[0], name)]
            else:
                objs = iter(variant_names(name, non_null))
                alt = (f"{name}Alt{i + 1}" for i in range(len(non_null)))
                types = [self.type_of(a, next(objs) if is_object(a) else next(alt)) for a in non_null]
            if len(non_null) < len(alts):
                types.append("None")
            return union(types)
        if is_object(schema):
            return self.emit(schema, name)
        t = schema.get("type")
        if isinstance(t, list):
            return union([self.type_of({**schema, "type": x}, name) for x in t])
        if t in SCALARS:
            return SCALARS[t]
        if t == "array":
            if isinstance(schema.get("items"), dict):
                return f"List[{self.type_of(schema['items'], name + 'Item')}]"
            prefix = schema.get("prefixItems") or []
            if prefix:
                return f"List[{union([self.type_of(s, f'{name}Item{i + 1}') for i, s in enumerate(prefix)])}]"
            return "List[Any]"
        if t == "object":
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict):
                return f"Dict[str, {self.type_of(extra, name + 'Value')}]"
            return "Dict[str, Any]"
        return "Any"

    def emit(self, schema: Dict[str, Any], name: str) -> str:
        """The class for an object shape (written once, under its canonical name); returns that name."""
        cname = self.canon[key_of(schema)]
        if cname in self.done:
            return cname
        self.done[cname] = True
        schema = self.c.first[cname][1]
        required = set(schema.get("required") or [])
        fields = []
        for prop, s in sorted(schema["properties"].items()):
            fields.append((prop, self.type_of(s, cname + pascal(prop)), prop in required, (s or {}).get("description")))
        self.write_class(cname, fields, self.docs.get(cname) or schema.get("description"))
        return cname

    def write_class(self, name: str, fields: List[Tuple[str, str, bool, Optional[str]]], doc: Optional[str]) -> None:
        req = [f for f in fields if f[2]]
        opt = [f for f in fields if not f[2]]
        plain = all(f[0].isidentifier() and not keyword.iskeyword(f[0]) for f in fields)
        lines: List[str] = ["", ""]
        if not plain:
            # A field name Python cannot spell in a class body: the functional form, required and optional halves.
            parts = []
            if req or not opt:
                parts.append((f"_{name}Required" if opt else name, req, True))
            if opt:
                parts.append((f"_{name}Optional" if req else name, opt, False))
            for pname, pf, total in parts:
                lines.append(f"{pname} = TypedDict({pname!r}, {{")
                for f in pf:
                    lines.extend(self.comment(f[3]))
                    # Quoted: the classes are written in name order, so a field may name one written further down.
                    lines.append(f"    {f[0]!r}: {f[1]!r},")
                lines.append("}" + ("" if total else ", total=False") + ")")
            if req and opt:
                lines.append(f"class {name}(_{name}Required, _{name}Optional):")
                lines.extend(self.docstring(doc, "    ") or ["    pass"])
            self.classes[name] = lines
            return
        if req and opt:
            lines.append(f"class _{name}Required(TypedDict):")
            lines.extend(self.body(req))
            lines.extend(["", "", f"class {name}(_{name}Required, total=False):"])
        elif opt:
            lines.append(f"class {name}(TypedDict, total=False):")
        else:
            lines.append(f"class {name}(TypedDict):")
        head = self.docstring(doc, "    ")
        if req and opt:
            lines.extend(head + self.body(opt))
        else:
            lines.extend(head + self.body(fields))
        self.classes[name] = lines

    @staticmethod
    def docstring(doc: Optional[str], indent: str) -> List[str]:
        if not doc:
            return []
        text = " ".join(doc.split()).replace("\\", "\\\\").replace('"""', "'''")
        wrapped = textwrap.wrap(text, WIDTH - len(indent) - 6)
        if len(wrapped) == 1:
            return [f'{indent}"""{wrapped[0]}"""']
        return [f'{indent}"""{wrapped[0]}'] + [indent + w for w in wrapped[1:]] + [f'{indent}"""']

    @staticmethod
    def body(fields: List[Tuple[str, str, bool, Optional[str]]]) -> List[str]:
        out = []
        for prop, t, _, desc in fields:
            out.extend(Writer.comment(desc))
            out.append(f"    {prop}: {t}")
        return out or ["    pass"]

    @staticmethod
    def comment(desc: Optional[str]) -> List[str]:
        return ["    #: " + w for w in textwrap.wrap(" ".join((desc or "").split()), WIDTH - 7)]


def render(doc: Dict[str, Any]) -> str:
    """_types.py's text for an OpenAPI document."""
    rs = roots(doc)
    c = Collector()
    for name, schema, _ in rs:
        c.body = name.endswith("Body")
        c.visit(schema, name)
    w = Writer(c)
    for name, schema, docline in rs:
        # An operation's own docstring goes on its class where the class carries the operation's name.
        if is_object(schema) and w.canon[key_of(schema)] == name:
            w.docs[name] = docline
    aliases: List[str] = []
    for name, schema, _ in rs:
        t = w.type_of(schema, name)
        if t != name:
            aliases.append(f"{name} = {t}")
    # Every nested object keeps the name of where it sits, whichever name its shape is written under: a new
    # operation with the same shape (and a shorter name) must not rename what callers already import.
    roots_ = {name for name, _, _ in rs}
    nested = sorted(f"{n} = {w.canon[k]}" for n, (k, _) in c.first.items() if n not in roots_ and w.canon[k] != n)
    ops = operations(doc)
    lines = [HEADER.rstrip("\n")]
    for name in sorted(w.classes):
        lines.extend(w.classes[name])
    lines.extend(["", "", "# Each operation's own name where its shape has another (the same shape, written once)."])
    lines.extend(sorted(aliases, key=lambda a: a.split(" = ")[0]))
    lines.extend(["", "", "# Nested objects by where they sit, where the same shape is written under another name."])
    lines.extend(nested)
    lines.extend(["", "", "#: operationId -> (method, path template with the server's {name} placeholders)."])
    lines.append("OPERATIONS: Dict[str, Tuple[str, str]] = {")
    lines.extend(f"    {op_id!r}: ({method!r}, {route!r})," for op_id, method, route, _ in ops)
    lines.append("}")
    return "\n".join(lines) + "\n"


def fetch(url: str) -> Dict[str, Any]:
    with urllib.request.urlopen(url.rstrip("/") + "/openapi.json", timeout=60) as r:
        return json.load(r)


def from_fresh_server() -> Dict[str, Any]:
    """The document of a throwaway server started from the repo's dist/ (its own empty data dir)."""
    data_dir = tempfile.mkdtemp(prefix="ferry-gen-types-")
    proc = subprocess.Popen(
        ["node", "bin/ferry.js", "server", "--port", "0", "--data-dir", data_dir],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "FERRY_ADMIN_TOKEN": "fry_gen_types_unused_0000000000000000"},
    )
    try:
        deadline = time.monotonic() + 60
        assert proc.stdout is not None
        for line in proc.stdout:
            m = re.search(r"Ferry listening on (http://\S+)", line)
            if m:
                return fetch(m.group(1))
            if time.monotonic() > deadline:
                break
        raise SystemExit("the server did not start (run `npm run build` first)")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(data_dir, ignore_errors=True)


def main(argv: Optional[List[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--url", help="a running server (its /openapi.json)")
    src.add_argument("--file", help="a saved OpenAPI document")
    ap.add_argument("--out", default=str(OUT), help="where to write (- for stdout)")
    a = ap.parse_args(argv)
    if a.file:
        doc = json.loads(Path(a.file).read_text())
    elif a.url:
        doc = fetch(a.url)
    else:
        doc = from_fresh_server()
    text = render(doc)
    if a.out == "-":
        sys.stdout.write(text)
    else:
        Path(a.out).write_text(text)
        print(f"wrote {a.out} ({text.count(chr(10))} lines)")


if __name__ == "__main__":
    main()
