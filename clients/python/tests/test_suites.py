"""client.suites against a real server: put (GE 0.x spellings too), get, list past one page, infer from a version,
attach to a dataset (runs on push) and a deployment, validate a DataFrame by name (CSV) and as a dict (nothing
stored), validate a stored version (recorded), the results listed and read back, and refusals naming the field."""
import numpy as np
import pandas as pd
import pytest

import ferry
from model_fixtures import register

SUITE = {
    "expectations": [
        {"type": "expect_column_to_exist", "kwargs": {"column": "x"}},
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "x", "min_value": -4, "max_value": 4}},
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "k", "value_set": ["a", "b", "c"]}},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "x"}},
    ]
}


def frame(n=200, seed=0, bad=0):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"x": rng.normal(0, 1, n).clip(-3.9, 3.9), "k": rng.choice(["a", "b", "c"], n)})
    if bad:
        df.loc[: bad - 1, "k"] = "zz"
        df.loc[: bad - 1, "x"] = np.nan
    return df


def test_put_get_list_delete(client, unique):
    name = unique("suite")
    put = client.suites.put(name, SUITE)
    assert put["created"] and len(put["suite"]["expectations"]) == 4
    assert not client.suites.put(name, SUITE)["created"]
    got = client.suites.get(name)
    assert got["name"] == name and got["attachments"] == []
    # GE 0.x spelling: expectation_suite_name / expectation_type.
    legacy = unique("suite")
    client.suites.put(legacy, {"expectation_suite_name": "ignored",
                               "expectations": [{"expectation_type": "expect_column_to_exist", "kwargs": {"column": "x"}}]})
    assert client.suites.get(legacy)["suite"]["expectations"][0]["type"] == "expect_column_to_exist"
    names = [s["name"] for s in client.suites.list(page_size=1)]
    # By name (the two share a prefix, so any collation orders them alike); one page each, every suite once.
    assert [n for n in names if n in (name, legacy)] == sorted([name, legacy]) and len(names) == len(set(names))
    client.suites.delete(name)
    client.suites.delete(legacy)
    with pytest.raises(ferry.NotFoundError):
        client.suites.get(name)


def test_validate_by_name_and_by_dict_agree_and_store_nothing(client, unique):
    name = unique("suite")
    client.suites.put(name, SUITE)
    before = len(list(client.suites.validations(suite=name)))
    df = frame(300, bad=12)
    by_name = client.suites.validate(name, df)
    by_dict = client.suites.validate(SUITE, df)
    assert not by_name.success and not by_dict.success
    assert by_name.statistics == by_dict.statistics
    assert by_name.statistics["unsuccessful_expectations"] == 2
    rows = by_dict.to_frame().set_index("expectation")
    assert rows.loc["expect_column_values_to_be_in_set", "unexpected_count"] == 12
    assert rows.loc["expect_column_values_to_be_in_set", "partial_unexpected"].startswith("zz")
    assert rows.loc["expect_column_values_to_not_be_null", "unexpected_count"] == 12
    assert by_dict.result["suite"] == "inline" and by_dict["file"]["rows"] == 300
    assert client.suites.validate(SUITE, frame(100)).success
    # Records and dicts of columns validate as DataFrames do.
    assert client.suites.validate(name, {"x": [0.1, 0.2], "k": ["a", "b"]}).success
    assert not client.suites.validate(SUITE, [{"x": 9.0, "k": "a"}]).success
    assert len(list(client.suites.validations(suite=name))) == before
    client.suites.delete(name)


CODES = ["002", "1e3", "TRUE", "NA", ""]
CODE_SUITE = {
    "expectations": [
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "code", "value_set": CODES}},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "code"}},
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "n", "min_value": 0, "max_value": 19}},
    ]
}


@pytest.mark.parametrize("pyarrow", [True, False])
def test_validate_by_name_keeps_text_as_text(client, unique, monkeypatch, pyarrow):
    """Sent as CSV, "002" was read as 2, "TRUE" as true and "NA"/"" as missing: text codes failed a set of those very
    strings. With pyarrow the frame goes as Parquet, without it as JSON Lines; both keep the text."""
    import sys

    # Object columns: pandas' own text dtype is stored in pyarrow where pyarrow is installed.
    df = pd.DataFrame({"code": pd.Series(CODES * 4, dtype=object), "n": range(20)})
    off = df.assign(code=df["code"].replace("002", "2"))
    if not pyarrow:
        monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    name = unique("suite")
    client.suites.put(name, CODE_SUITE)
    report = client.suites.validate(name, df)
    assert report["file"]["format"] == ("parquet" if pyarrow else "jsonl")
    assert report.success, report.to_frame().to_string()
    assert client.suites.validate(name, off).statistics["unsuccessful_expectations"] == 1
    client.suites.delete(name)


def test_infer_attach_push_and_recorded_results(client, unique):
    ds, name = unique("ds"), unique("suite")
    client.datasets.push(ds, frame(400))
    proposed = client.suites.infer(f"{ds}@1", name=name, save=True)
    assert proposed["saved"] and proposed["suite"]["expectations"]
    assert client.suites.get(name)["suite"]["name"] == name
    client.suites.put(name, SUITE)
    info = client.suites.attach(name, dataset=ds)
    assert info["attachments"] == [{"target_kind": "dataset", "target": ds}]
    pushed = client.datasets.push(ds, frame(200, seed=3, bad=5))
    assert [(v["suite"], v["success"]) for v in pushed["validations"]] == [(name, False)]
    recorded = client.suites.validate_version(name, f"{ds}@1")
    assert recorded.success and recorded["target"] == f"{ds}@1"
    results = list(client.suites.validations(suite=name, page_size=1))
    assert [r["version"] for r in results] == [1, 2] and [r["success"] for r in results] == [True, False]
    assert [r["id"] for r in client.datasets.validations(ds, 2)] == [results[1]["id"]]
    whole = client.suites.validation(results[0]["id"])
    assert whole["result"]["statistics"]["evaluated_expectations"] == 4
    assert [r["id"] for r in client.suites.validations(target=ds, success=False)] == [results[1]["id"]]
    client.suites.detach(name, dataset=ds)
    assert client.suites.get(name)["attachments"] == []
    client.suites.delete(name)
    client.datasets.delete(ds, force=True)


def test_attach_to_a_deployment(client, unique):
    name = unique("suite")
    dep = unique("dep")
    client.deployments.create(dep, model=dep, version=register(client, "credit_gbdt", dep))
    try:
        client.suites.put(name, SUITE)
        assert client.suites.attach(name, deployment=dep)["attachments"] == [{"target_kind": "deployment", "target": dep}]
        client.suites.detach(name, deployment=dep)
        with pytest.raises(ferry.NotFoundError):
            client.suites.attach(name, deployment=unique("nodep"))
    finally:
        client.deployments.delete(dep)
        client.suites.delete(name)


def test_refusals(client, unique):
    with pytest.raises(ferry.InvalidParameterError) as e:
        client.suites.validate({"expectations": [{"type": "expect_column_to_exist", "kwargs": {}}]}, frame(5))
    assert e.value.errors[0]["field"] == "suite.expectations[0].kwargs.column"
    with pytest.raises(ferry.InvalidParameterError) as e:
        client.suites.put(unique("suite"), {"expectations": [{"type": "expect_column_to_exist", "kwargs": {"column": 3}}]})
    assert e.value.errors[0]["field"] == "expectations[0].kwargs.column"
    with pytest.raises(ferry.NotFoundError):
        client.suites.validate(unique("missing"), frame(5))
    with pytest.raises(ValueError):
        client.suites.attach("x")
    with pytest.raises(TypeError):
        client.suites.validate(42, frame(5))
