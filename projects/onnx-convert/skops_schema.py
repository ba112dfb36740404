"""Custom classes in a skops file (mlflow's default sklearn format), found from its schema without loading it:
each class the job cannot import, and where it sits (step 'x' of the Pipeline, transformer 'y' of the
ColumnTransformer), as the pickle path reports for cloudpickle files."""
import importlib
import json
import zipfile
from typing import Any, List, Tuple

# Container class -> the attributes holding its (name, estimator, ...) tuples, and what a member is called.
_MEMBERS = {
    "Pipeline": (("steps",), "step"),
    "ColumnTransformer": (("transformers_", "transformers"), "transformer"),
    "FeatureUnion": (("transformer_list",), "transformer"),
}


def _importable(module: str, name: str) -> bool:
    try:
        return hasattr(importlib.import_module(module), name)
    except Exception:
        return False


def _json_str(node: Any) -> Any:
    if isinstance(node, dict) and node.get("__class__") == "str" and isinstance(node.get("content"), str):
        try:
            return json.loads(node["content"])
        except ValueError:
            return node["content"]
    return None


def missing_classes(path: str) -> List[Tuple[str, str]]:
    with zipfile.ZipFile(path) as z:
        schema = json.loads(z.read("schema.json"))
    found: List[Tuple[str, str]] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, list):
            for n in node:
                walk(n, where)
            return
        if not isinstance(node, dict):
            return
        cls, module = node.get("__class__"), node.get("__module__")
        if node.get("__loader__") == "ObjectNode" and isinstance(cls, str) and isinstance(module, str) and not _importable(module, cls):
            found.append((f"{module}.{cls}", where))
        attrs = node.get("content", {}).get("content") if isinstance(node.get("content"), dict) else None
        if cls in _MEMBERS and isinstance(attrs, dict):
            keys, member = _MEMBERS[cls]
            for key in keys:
                for item in (attrs.get(key) or {}).get("content") or []:
                    parts = item.get("content") if isinstance(item, dict) else None
                    name = _json_str(parts[0]) if isinstance(parts, list) and parts else None
                    if name is None:
                        continue
                    label = f"{member} '{name}' of the {cls}"
                    walk(parts[1:], f"{label} in {where}" if where else label)
            return
        for v in node.values():
            if isinstance(v, (dict, list)):
                walk(v, where)

    walk(schema, "")
    seen, out = set(), []
    for q, w in found:  # a ColumnTransformer holds its transformers twice (declared and fitted)
        if q not in seen:
            seen.add(q)
            out.append((q, w))
    return out
