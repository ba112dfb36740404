"""docs/python-client-api.md is what scripts/gen_api_docs.py makes of the package: a method added, renamed or
re-documented fails here until the page is regenerated."""
import difflib
import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "gen_api_docs.py"


def _gen():
    spec = importlib.util.spec_from_file_location("ferry_gen_api_docs", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_committed_api_reference_is_up_to_date():
    gen = _gen()
    want = gen.render()
    have = gen.OUT.read_text() if gen.OUT.exists() else ""
    if have != want:
        diff = "".join(list(difflib.unified_diff(have.splitlines(True), want.splitlines(True), "committed", "generated"))[:80])
        raise AssertionError(f"{gen.OUT.name} is stale: run `python clients/python/scripts/gen_api_docs.py`\n{diff}")


def test_the_reference_covers_the_client_and_its_errors():
    text = _gen().render()
    assert "### `ferry.Client`" in text and "- `whoami() -> Dict[str, Any]`" in text
    assert "| `ferry.errors.NotFoundError` | `RESOURCE_DOES_NOT_EXIST` | `FerryError` |" in text
    assert " at 0x" not in text  # no address from a default's repr: the page would change every run
