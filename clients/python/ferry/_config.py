"""Where Ferry is and who is calling: arguments first, then FERRY_* variables, then the MLFLOW_* ones the mlflow
client already reads (so a notebook set up for MLflow against Ferry needs nothing more)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping, Optional, Union
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "http://127.0.0.1:5050"


@dataclass(frozen=True)
class Settings:
    url: str
    token: Optional[str] = None
    username: Optional[str] = None
    password: Optional[str] = None
    #: requests' ``verify``: True, False (insecure) or a CA bundle path.
    verify: Union[bool, str] = True
    timeout: float = 60.0

    def __repr__(self) -> str:  # never print a secret
        auth = "token" if self.token else ("basic" if self.username else "none")
        return f"Settings(url={redact(self.url)!r}, auth={auth})"


def redact(url: str) -> str:
    """The URL with any credentials in it (``http://user:secret@host``, or a token as the user name,
    ``https://TOKEN@host``) replaced by ``***``."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"***@{host}"))


def _first(env: Mapping[str, str], *names: str) -> Optional[str]:
    for n in names:
        v = env.get(n)
        if v:
            return v
    return None


def _truthy(v: Optional[str]) -> bool:
    return (v or "").strip().lower() in ("1", "true", "yes", "on")


def resolve(
    url: Optional[str] = None,
    token: Optional[str] = None,
    username: Optional[str] = None,
    password: Optional[str] = None,
    verify: Optional[Union[bool, str]] = None,
    timeout: Optional[float] = None,
    env: Optional[Mapping[str, str]] = None,
) -> Settings:
    e = os.environ if env is None else env
    tracking = e.get("MLFLOW_TRACKING_URI") or ""
    # Only an http(s) tracking URI names a server; file: or databricks URIs are not Ferry.
    mlflow_url = tracking if tracking.startswith(("http://", "https://")) else None
    chosen = url or e.get("FERRY_URL") or mlflow_url or DEFAULT_URL
    if not chosen.startswith(("http://", "https://")):
        raise ValueError(f"Ferry's URL must start with http:// or https://, got {chosen!r}")
    if token is None and username is None:
        token = _first(e, "FERRY_TOKEN", "MLFLOW_TRACKING_TOKEN")
        if token is None:
            username = _first(e, "FERRY_USERNAME", "MLFLOW_TRACKING_USERNAME")
    if token is None and username is not None and password is None:
        # A user name given as an argument still takes its password from the environment.
        password = _first(e, "FERRY_PASSWORD", "MLFLOW_TRACKING_PASSWORD")
    if verify is None:
        if _truthy(_first(e, "FERRY_INSECURE_TLS", "MLFLOW_TRACKING_INSECURE_TLS")):
            verify = False
        else:
            verify = _first(e, "FERRY_CA_BUNDLE", "MLFLOW_TRACKING_SERVER_CERT_PATH") or True
    if timeout is None:
        t = _first(e, "FERRY_TIMEOUT", "MLFLOW_HTTP_REQUEST_TIMEOUT")
        timeout = float(t) if t else 60.0
    return Settings(url=chosen.rstrip("/"), token=token, username=username, password=password, verify=verify, timeout=timeout)
