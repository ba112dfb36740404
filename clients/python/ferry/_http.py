"""One HTTP session to Ferry: auth, JSON in and out, errors as typed exceptions, and a bounded retry where the
server asks for one (503 with Retry-After) on calls that are safe to repeat."""
from __future__ import annotations

import json as _json
import time
from typing import Any, Dict, Iterator, Mapping, Optional
from urllib.parse import quote

import requests

from ._version import __version__
from ._config import Settings, redact
from .errors import ConnectionFailedError, FerryError, OverloadedError, error_from_response

_IDEMPOTENT = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}
MAX_RETRIES = 3
MAX_RETRY_WAIT_S = 10.0


def path(template: str, **params: Any) -> str:
    """Fill ``{name}`` in a route template, each value percent-encoded as one path segment."""
    out = template
    for k, v in params.items():
        out = out.replace("{" + k + "}", quote(str(v), safe=""))
    if "{" in out:
        raise ValueError(f"unfilled path parameter in {out!r}")
    return out


def _clean(params: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    # None means "not given"; booleans go as the server's true/false.
    if not params:
        return None
    out: Dict[str, Any] = {}
    for k, v in params.items():
        if v is None:
            continue
        out[k] = ("true" if v else "false") if isinstance(v, bool) else v
    return out


class Transport:
    def __init__(self, settings: Settings, session: Optional[requests.Session] = None) -> None:
        self.settings = settings
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = f"ferry-client/{__version__}"
        if settings.token:
            self.session.headers["Authorization"] = f"Bearer {settings.token}"
        elif settings.username is not None:
            self.session.auth = (settings.username, settings.password or "")
        self.session.verify = settings.verify

    @property
    def url(self) -> str:
        return self.settings.url

    def raw(
        self,
        method: str,
        route: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        json: Any = None,
        data: Any = None,
        headers: Optional[Mapping[str, str]] = None,
        stream: bool = False,
        timeout: Optional[float] = None,
    ) -> requests.Response:
        """The response of a call that succeeded (2xx); anything else raises the matching FerryError."""
        method = method.upper()
        url = self.settings.url + route
        attempt = 0
        while True:
            attempt += 1
            try:
                resp = self.session.request(
                    method,
                    url,
                    params=_clean(params),
                    json=json,
                    data=data,
                    headers=dict(headers or {}),
                    stream=stream,
                    timeout=timeout if timeout is not None else self.settings.timeout,
                )
            except requests.ConnectionError as e:
                raise ConnectionFailedError(f"cannot reach Ferry at {redact(self.settings.url)}: {e}") from e
            except requests.Timeout as e:
                raise ConnectionFailedError(f"Ferry at {redact(self.settings.url)} did not answer in time: {e}") from e
            if resp.status_code < 400:
                return resp
            err = self._error(resp)
            if isinstance(err, OverloadedError) and method in _IDEMPOTENT and attempt <= MAX_RETRIES:
                resp.close()  # back to the pool before the next try
                # Retry-After: 0 means at once; no header, a second.
                time.sleep(min(err.retry_after if err.retry_after is not None else 1.0, MAX_RETRY_WAIT_S))
                continue
            raise err

    def _error(self, resp: requests.Response) -> FerryError:
        text = resp.text
        try:
            body = resp.json()
        except ValueError:
            body = None
        err = error_from_response(resp.status_code, body, text)
        if isinstance(err, OverloadedError):
            try:
                err.retry_after = float(resp.headers.get("Retry-After", ""))
            except ValueError:
                err.retry_after = None
        return err

    def request(self, method: str, route: str, **kw: Any) -> Any:
        """A JSON call: the decoded body (None for an empty one)."""
        resp = self.raw(method, route, **kw)
        if not resp.content:
            return None
        ctype = resp.headers.get("Content-Type", "")
        if "json" in ctype:
            return resp.json()
        return resp.content

    def iterate(self, route: str, items_key: str, *, params: Optional[Mapping[str, Any]] = None, page_size: Optional[int] = None) -> Iterator[Any]:
        """Every item of a paged list: follows ``next_page_token`` until the server gives none."""
        q: Dict[str, Any] = dict(params or {})
        if page_size is not None:
            q.setdefault("max_results", page_size)
        seen = set()
        while True:
            page = self.request("GET", route, params=q) or {}
            for item in page.get(items_key) or []:
                yield item
            token = page.get("next_page_token")
            if not token:
                return
            # A token seen before would page forever: a server bug, said rather than looped on.
            if token in seen:
                raise FerryError(f"{route} answered a page token it had already given ({token!r}); stopped paging", code="PAGINATION_LOOP")
            seen.add(token)
            q["page_token"] = token

    def stream_lines(self, route: str, *, params: Optional[Mapping[str, Any]] = None, timeout: Optional[float] = None) -> Iterator[str]:
        """A streamed text answer, line by line (job logs with follow=true)."""
        resp = self.raw("GET", route, params=params, stream=True, timeout=timeout)
        try:
            for line in resp.iter_lines(decode_unicode=True):
                if line is not None:
                    yield line
        finally:
            resp.close()


def dumps(value: Any) -> str:
    """JSON with NaN refused (the server refuses it too): a clear error here instead of a 400 there."""
    return _json.dumps(value, allow_nan=False)
