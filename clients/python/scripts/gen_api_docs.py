#!/usr/bin/env python3
"""Writes docs/python-client-api.md from the ferry package itself: each public class and function with its
signature and the first paragraph of its docstring, grouped as a user reaches them (``ferry.*``,
``ferry.Client``, ``client.<part>`` in the client's order, other public modules, reports, errors).

    python clients/python/scripts/gen_api_docs.py            # writes docs/python-client-api.md
    python clients/python/scripts/gen_api_docs.py --out -    # prints it

tests/test_api_docs.py fails when the committed page and the package differ.
"""
from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import re
import sys
from pathlib import Path
from typing import Any, Callable, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
PKG_ROOT = HERE.parent
OUT = HERE.parents[2] / "docs" / "python-client-api.md"
# Modules documented elsewhere on the page (client, errors, _report) or not the user's to call (_private).
SPECIAL = {"client", "errors"}

HEADER = """# Python client API reference

Generated from the `ferry` package (`clients/python`) by `python clients/python/scripts/gen_api_docs.py`; do not
edit by hand (`clients/python/tests/test_api_docs.py` fails when this page and the package differ). Every method
answers the server's JSON (typed in `ferry._types`) or a report object, and raises a `ferry.FerryError` subclass
with the server's error code (see [errors](errors.md)).
"""


def first_paragraph(obj: Any) -> str:
    # The object's own docstring: inspect.getdoc would lend an override its base's (mlflow's, for the plugin).
    doc = inspect.cleandoc(obj.__doc__) if isinstance(getattr(obj, "__doc__", None), str) else ""
    para = doc.strip().split("\n\n")[0]
    return " ".join(para.split())


def _annotation(a: Any) -> str:
    text = a if isinstance(a, str) else inspect.formatannotation(a)
    return re.sub(r"\btyping\.", "", text)


def signature(fn: Callable[..., Any], drop_self: bool) -> str:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return "(...)"
    params = list(sig.parameters.values())
    if drop_self and params and params[0].name in ("self", "cls"):
        params = params[1:]
    parts: List[str] = []
    star_done = False
    for p in params:
        if p.kind is p.KEYWORD_ONLY and not star_done:
            parts.append("*")
            star_done = True
        if p.kind is p.VAR_POSITIONAL:
            star_done = True
        text = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "") + p.name
        if p.annotation is not p.empty:
            text += f": {_annotation(p.annotation)}"
        if p.default is not p.empty:
            default = repr(p.default)
            # An object's default repr carries its address, which changes every run.
            default = "..." if " at 0x" in default else default
            text += f" = {default}" if p.annotation is not p.empty else f"={default}"
        parts.append(text)
    out = "(" + ", ".join(parts) + ")"
    if sig.return_annotation is not sig.empty:
        out += f" -> {_annotation(sig.return_annotation)}"
    return out


def _report_classes() -> List[type]:
    try:
        return own_public(importlib.import_module("ferry._report"))[0]
    except ImportError:
        return []


def members(cls: type) -> List[Tuple[str, Any]]:
    """Public methods and properties, the package's own (bases inside ferry included, but not a report class
    documented in its own section), in source order."""
    seen: List[Tuple[str, Any]] = []
    names = set()
    documented = set(_report_classes()) - {cls}
    for base in cls.__mro__:
        if not base.__module__.startswith("ferry") or base in documented:
            continue
        for name, value in base.__dict__.items():
            if name.startswith("_") or name in names:
                continue
            if isinstance(value, (staticmethod, classmethod)):
                value = value.__func__
            # An undocumented override of a report method is the same call as the one in the Reports section.
            if not getattr(value, "__doc__", None) and any(name in d.__dict__ for d in documented if d in cls.__mro__):
                continue
            if inspect.isfunction(value) or isinstance(value, property):
                names.add(name)
                seen.append((name, value))
    return seen


def describe_class(cls: type, title: str) -> List[str]:
    lines = [f"### {title}", ""]
    doc = first_paragraph(cls)
    if doc:
        lines += [doc, ""]
    reports = [b for b in cls.__mro__[1:] if b in set(_report_classes())]
    if reports:
        lines += [f"A `ferry._report.{reports[0].__name__}` (see [Reports](#reports)).", ""]
    init = cls.__dict__.get("__init__")
    if init is not None and not _is_part(cls):
        lines += [f"`{cls.__name__}{signature(init, True)}`", ""]
    for name, value in members(cls):
        if isinstance(value, property):
            ann = value.fget.__annotations__.get("return") if value.fget else None
            head = f"`{name}`" + (f" *(property: {_annotation(ann)})*" if ann else " *(property)*")
            lines.append(f"- {head}" + (f" — {first_paragraph(value)}" if first_paragraph(value) else ""))
        else:
            lines.append(f"- `{name}{signature(value, True)}`" + (f" — {first_paragraph(value)}" if first_paragraph(value) else ""))
    return lines + [""]


def describe_function(fn: Callable[..., Any], qualname: str) -> str:
    doc = first_paragraph(fn)
    return f"- `{qualname}{signature(fn, False)}`" + (f" — {doc}" if doc else "")


def _is_part(cls: type) -> bool:
    from ferry.client import _PARTS

    return any(cls.__module__ == f"ferry.{m}" and cls.__name__ == c for m, c in _PARTS.values())


def own_public(module: Any) -> Tuple[List[type], List[Callable[..., Any]]]:
    """Classes and functions a module defines itself, public by name, in source order."""
    classes, functions = [], []
    for name, value in vars(module).items():
        if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
            continue
        if inspect.isclass(value):
            classes.append(value)
        elif inspect.isfunction(value):
            functions.append(value)
    return classes, functions


def render() -> str:
    import ferry
    from ferry import errors
    from ferry.client import _PARTS

    out = [HEADER]
    out += ["## `ferry`", ""]
    for name in ferry.__all__:
        value = getattr(ferry, name)
        if inspect.isfunction(value):
            out.append(describe_function(value, f"ferry.{name}"))
    out.append("")

    out += ["## The client", ""]
    out += describe_class(ferry.Client, "`ferry.Client`")

    out += ["## Parts of the client", "", "Each is built on first use and shares the client's connection.", ""]
    for attr, (mod_name, cls_name) in _PARTS.items():
        try:
            module = importlib.import_module(f"ferry.{mod_name}")
        except ImportError:
            continue  # a part not written yet
        cls = getattr(module, cls_name, None)
        if cls is None:
            continue
        out += describe_class(cls, f"`client.{attr}` (`ferry.{mod_name}.{cls_name}`)")
        classes, functions = own_public(module)
        for extra in classes:
            if extra is not cls and not issubclass(extra, BaseException):
                out += describe_class(extra, f"`ferry.{mod_name}.{extra.__name__}`")
        out += [describe_function(f, f"ferry.{mod_name}.{f.__name__}") for f in functions]
        if functions:
            out.append("")

    parts = {m for m, _ in _PARTS.values()}
    others = sorted(
        m.name
        for m in pkgutil.iter_modules(ferry.__path__)
        if not m.name.startswith("_") and m.name not in parts and m.name not in SPECIAL
    )
    if others:
        out += ["## Other modules", ""]
    for mod_name in others:
        module = importlib.import_module(f"ferry.{mod_name}")
        classes, functions = own_public(module)
        if not classes and not functions:
            continue
        out += [f"### `ferry.{mod_name}`", ""]
        doc = first_paragraph(module)
        if doc:
            out += [doc, ""]
        out += [describe_function(f, f"ferry.{mod_name}.{f.__name__}") for f in functions]
        if functions:
            out.append("")
        for cls in classes:
            if not issubclass(cls, BaseException):
                out += describe_class(cls, f"`ferry.{mod_name}.{cls.__name__}`")

    try:
        report = importlib.import_module("ferry._report")
    except ImportError:
        report = None
    if report is not None:
        classes, _ = own_public(report)
        if classes:
            out += ["## Reports", "", first_paragraph(report) or "What the analysis calls answer.", ""]
            for cls in classes:
                out += describe_class(cls, f"`ferry._report.{cls.__name__}`")

    out += ["## Errors", "", first_paragraph(errors), "", "| class | code | base |", "|---|---|---|"]
    # Every FerryError subclass the package defines (a part may add its own, e.g. a failed conversion).
    found = {}
    for mod_name in sorted(m.name for m in pkgutil.iter_modules(ferry.__path__)):
        for c in vars(importlib.import_module(f"ferry.{mod_name}")).values():
            if inspect.isclass(c) and issubclass(c, errors.FerryError) and c.__module__.startswith("ferry"):
                found[(c.__module__, c.__name__)] = c
    for cls in sorted(found.values(), key=lambda c: (c is not errors.FerryError, c.__name__)):
        base = cls.__bases__[0].__name__
        out.append(f"| `{cls.__module__}.{cls.__name__}` | `{cls.code}` | `{base}` |")
    return "\n".join(out).rstrip("\n") + "\n"


def main(argv: Optional[List[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(OUT), help="where to write (- for stdout)")
    a = ap.parse_args(argv)
    sys.path.insert(0, str(PKG_ROOT))  # the checkout's package, installed or not
    text = render()
    if a.out == "-":
        sys.stdout.write(text)
    else:
        Path(a.out).write_text(text)
        print(f"wrote {a.out} ({text.count(chr(10))} lines)")


if __name__ == "__main__":
    main()
