"""The client: one Transport shared by one object per part of Ferry's API (``client.deployments``,
``client.datasets``, ``client.jobs`` …). Each part lives in its own module and is built on first use."""
from __future__ import annotations

import importlib
from typing import Any, Dict, Optional, Union

import requests

from ._config import Settings, redact, resolve
from ._http import Transport

# attribute -> (module, class): each module owns one part of the API.
_PARTS = {
    "deployments": ("deployments", "Deployments"),
    "models": ("models", "Models"),
    "monitoring": ("monitoring", "Monitoring"),
    "datasets": ("datasets", "Datasets"),
    "suites": ("suites", "Suites"),
    "abtests": ("abtests", "ABTests"),
    "jobs": ("jobs", "Jobs"),
    "loops": ("loops", "Loops"),
    "alerts": ("alerts", "Alerts"),
}


class Client:
    """Ferry's API from Python.

    ``Client()`` reads ``FERRY_URL`` / ``FERRY_TOKEN`` and falls back to ``MLFLOW_TRACKING_URI`` /
    ``MLFLOW_TRACKING_TOKEN`` (or ``MLFLOW_TRACKING_USERNAME`` / ``MLFLOW_TRACKING_PASSWORD``).
    """

    def __init__(
        self,
        url: Optional[str] = None,
        *,
        token: Optional[str] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        verify: Optional[Union[bool, str]] = None,
        timeout: Optional[float] = None,
        session: Optional[requests.Session] = None,
    ) -> None:
        self.settings: Settings = resolve(url, token, username, password, verify, timeout)
        self._t = Transport(self.settings, session)
        self._parts: Dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        spec = _PARTS.get(name)
        if spec is None:
            raise AttributeError(name)
        part = self._parts.get(name)
        if part is None:
            module = importlib.import_module(f"ferry.{spec[0]}")
            part = getattr(module, spec[1])(self._t)
            self._parts[name] = part
        return part

    def __dir__(self):  # tab completion in notebooks
        return sorted(set(super().__dir__()) | set(_PARTS))

    @property
    def url(self) -> str:
        return self.settings.url

    def health(self) -> Dict[str, Any]:
        """``GET /health``."""
        return self._t.request("GET", "/health")

    def whoami(self) -> Dict[str, Any]:
        """The caller as the server sees it (``GET /api/v1/whoami``)."""
        return self._t.request("GET", "/api/v1/whoami")

    def __repr__(self) -> str:
        return f"ferry.Client({redact(self.settings.url)!r})"


_default: Optional[Client] = None


def default_client() -> Client:
    """The client module-level helpers (``ferry.drift``, ``ferry.validate``) use, built from the environment."""
    global _default
    if _default is None:
        _default = Client()
    return _default


def set_default_client(client: Optional[Client]) -> None:
    global _default
    _default = client
