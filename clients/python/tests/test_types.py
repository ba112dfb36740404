"""ferry/_types.py is what scripts/gen_types.py makes of the live server's /openapi.json: the contract and the
package's types never drift apart (a contract change fails here until the file is regenerated)."""
import difflib
import importlib
import importlib.util
import sys
import types
import typing
from pathlib import Path

import requests

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def _gen_types():
    spec = importlib.util.spec_from_file_location("ferry_gen_types", SCRIPTS / "gen_types.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_committed_types_are_what_the_live_openapi_document_generates(ferry_server):
    gen = _gen_types()
    doc = requests.get(ferry_server["url"] + "/openapi.json", timeout=30).json()
    want = gen.render(doc)
    have = gen.OUT.read_text()
    if have != want:
        diff = "".join(list(difflib.unified_diff(have.splitlines(True), want.splitlines(True), "committed", "generated"))[:80])
        raise AssertionError(f"ferry/_types.py is stale: run `python clients/python/scripts/gen_types.py`\n{diff}")


def test_types_import_and_every_annotation_resolves():
    gen_types = importlib.import_module("ferry._types")
    dicts = [v for v in vars(gen_types).values() if isinstance(v, type) and hasattr(v, "__required_keys__")]
    assert len(dicts) > 100
    for td in dicts:
        typing.get_type_hints(td)  # a name the generator wrote but never defined fails here
    assert gen_types.OPERATIONS["getHealth"] == ("GET", "/health")
    # Named as the brief promises: <OperationId>Response / <OperationId>Body, Literal unions for enums.
    assert {"deployment", "features", "dataset_drift"} <= set(gen_types.GetDriftResponse.__required_keys__)
    assert "next_page_token" in typing.get_type_hints(gen_types.ListJobsResponse)
    status = typing.get_type_hints(gen_types.GetHealthResponse)["status"]
    assert typing.get_origin(status) is typing.Literal and typing.get_args(status) == ("ok",)
    assert "ferry._types" in sys.modules


def test_render_splits_required_and_optional_fields_and_names_nested_objects(monkeypatch):
    gen = _gen_types()
    doc = {
        "paths": {
            "/api/v1/things/{name}": {
                "get": {
                    "operationId": "getThing",
                    "summary": "One thing",
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["name", "class"],
                                        "properties": {
                                            "name": {"type": "string", "description": "its name"},
                                            "class": {"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["b"]}]},
                                            "size": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
                                            "parts": {"type": "array", "items": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}},
                                        },
                                    }
                                }
                            }
                        }
                    },
                }
            }
        }
    }
    text = gen.render(doc)
    # A real module: the annotations are strings resolved in their module's namespace.
    mod = types.ModuleType("ferry_types_probe")
    monkeypatch.setitem(sys.modules, mod.__name__, mod)
    exec(compile(text, "_types.py", "exec"), mod.__dict__)
    ns = mod.__dict__
    thing = ns["GetThingResponse"]
    assert thing.__required_keys__ == frozenset({"name", "class"})
    assert thing.__optional_keys__ == frozenset({"size", "parts"})
    hints = typing.get_type_hints(thing)
    assert hints["class"] == typing.Literal["a", "b"]
    assert hints["size"] == typing.Optional[int]
    assert hints["parts"] == typing.List[ns["GetThingResponsePartsItem"]]
    assert ns["OPERATIONS"] == {"getThing": ("GET", "/api/v1/things/{name}")}
    assert "#: its name" in text
    assert gen.render(doc) == text  # deterministic


def test_a_shared_shape_is_written_once_and_every_name_it_sits_at_stays(monkeypatch):
    gen = _gen_types()
    part = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}

    def op(op_id):
        schema = {"type": "object", "required": ["part"], "properties": {"part": part}}
        return {"get": {"operationId": op_id, "responses": {"200": {"content": {"application/json": {"schema": schema}}}}}}

    text = gen.render({"paths": {"/a": op("getLongerName"), "/b": op("getX")}})
    mod = types.ModuleType("ferry_types_shared")
    monkeypatch.setitem(sys.modules, mod.__name__, mod)
    exec(compile(text, "_types.py", "exec"), mod.__dict__)
    # One class, under the shortest name; the other operation's names are aliases of it.
    assert text.count("class ") == 2
    assert mod.GetLongerNameResponse is mod.GetXResponse
    assert mod.GetLongerNameResponsePart is mod.GetXResponsePart
