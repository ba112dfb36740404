"""Validation suites (Great Expectations' JSON): store, infer from a dataset version, attach to datasets and
deployments, run on a DataFrame (nothing stored) or a stored version (recorded), and read past results."""
from __future__ import annotations

from typing import Any, Dict, Iterator, Mapping, Optional, Union

from ._http import Transport, path
from .datasets import _TYPES, PAGE, frame_body, offset_pages
from .offline import ValidationReport, post_table, table


def spec_of(suite: Any) -> Dict[str, Any]:
    """A suite as JSON: a dict as is, or a Great Expectations ExpectationSuite (its ``to_json_dict()``)."""
    if isinstance(suite, Mapping):
        return dict(suite)
    if hasattr(suite, "to_json_dict"):
        return dict(suite.to_json_dict())
    raise TypeError(f"a suite is a dict of expectations or a Great Expectations ExpectationSuite, not {type(suite).__name__}")


class Suites:
    def __init__(self, t: Transport) -> None:
        self._t = t

    def list(self, *, page_size: int = PAGE) -> Iterator[Dict[str, Any]]:
        """Every suite, by name (name, expectation count, last change)."""
        return offset_pages(self._t, "/api/v1/suites", "suites", None, page_size)

    def get(self, name: str) -> Dict[str, Any]:
        """A suite with its expectations and attachments."""
        return self._t.request("GET", path("/api/v1/suites/{name}", name=name))["suite"]

    def put(self, name: str, suite: Any) -> Dict[str, Any]:
        """Create or replace a suite; answers ``created`` and the suite as stored."""
        return self._t.request("PUT", path("/api/v1/suites/{name}", name=name), json=spec_of(suite))

    def delete(self, name: str) -> None:
        self._t.request("DELETE", path("/api/v1/suites/{name}", name=name))

    def infer(self, dataset: str, *, name: Optional[str] = None, save: bool = False) -> Dict[str, Any]:
        """Propose a suite from a dataset version's profile (``dataset="credit@3"``); ``save=True`` stores it."""
        body: Dict[str, Any] = {"dataset": dataset, "save": save}
        if name is not None:
            body["name"] = name
        return self._t.request("POST", "/api/v1/suites/infer", json=body)

    def attach(self, name: str, *, dataset: Optional[str] = None, deployment: Optional[str] = None) -> Dict[str, Any]:
        """Run the suite on every version pushed to ``dataset``, or every traffic window of ``deployment``."""
        if (dataset is None) == (deployment is None):
            raise ValueError("give exactly one of dataset= or deployment=")
        body = {"dataset": dataset} if dataset is not None else {"deployment": deployment}
        return self._t.request("POST", path("/api/v1/suites/{name}/attachments", name=name), json=body)["suite"]

    def detach(self, name: str, *, dataset: Optional[str] = None, deployment: Optional[str] = None) -> None:
        if (dataset is None) == (deployment is None):
            raise ValueError("give exactly one of dataset= or deployment=")
        kind, target = ("dataset", dataset) if dataset is not None else ("deployment", deployment)
        self._t.request("DELETE", path("/api/v1/suites/{name}/attachments/{kind}/{target}", name=name, kind=kind, target=target))

    def validate(self, suite: Union[str, Any], data: Any) -> ValidationReport:
        """Validate a table (a DataFrame, a dict of columns or a list of records) against a stored suite (its name:
        the table goes as a data file, as ``datasets.push`` sends it, so its columns keep their types) or a suite
        given here (a dict). Nothing is stored."""
        if isinstance(suite, str):
            from . import _frames

            if not _frames._is_pandas_frame(data):
                import pandas as pd

                data = pd.DataFrame(data)
            body, fmt = frame_body(data)  # typed (Parquet, or JSON Lines): CSV would read text "002" as the number 2
            answer = self._t.request("POST", path("/api/v1/suites/{name}/validate", name=suite), params={"format": fmt},
                                     data=body, headers={"Content-Type": _TYPES[fmt]})
            return ValidationReport(answer, f"Validation against {suite}")
        body = {"suite": spec_of(suite), "data": table(data)}
        answer = post_table(self._t, "/api/v1/validate", body)
        return ValidationReport(answer, f"Validation against {answer['result']['suite']}")

    def validate_version(self, name: str, dataset: str) -> ValidationReport:
        """Validate a stored dataset version (``"credit@3"``) and record the result (it shows in ``validations``)."""
        answer = self._t.request("POST", path("/api/v1/suites/{name}/validations", name=name), json={"dataset": dataset})
        return ValidationReport(answer, f"Validation of {answer['target']} against {name}")

    def validations(self, *, suite: Optional[str] = None, target: Optional[str] = None, target_kind: Optional[str] = None,
                    success: Optional[bool] = None, page_size: int = PAGE) -> Iterator[Dict[str, Any]]:
        """Recorded results, newest first (filters as the server takes them)."""
        q = {"suite": suite, "target": target, "target_kind": target_kind, "success": success}
        return offset_pages(self._t, "/api/v1/validations", "validations", q, page_size)

    def validation(self, id: int) -> Dict[str, Any]:
        """One recorded result, whole."""
        return self._t.request("GET", path("/api/v1/validations/{id}", id=id))["validation"]
