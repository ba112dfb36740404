"""The client's core: where settings come from (ferry._config.resolve), who the server sees (token, basic auth,
the MLFLOW_* fallback), and every error the server answers arriving as its exception class with code, status
and field — against the real server wherever the server can be made to answer it."""
import http.server
import json
import re
import socket
import threading
from pathlib import Path

import pytest

import ferry
from ferry import errors
from ferry._config import DEFAULT_URL, resolve

REPO = Path(__file__).resolve().parents[3]


# ---- configuration -------------------------------------------------------------------------------------------


def test_the_url_comes_from_the_argument_then_ferry_url_then_the_mlflow_tracking_uri():
    env = {"FERRY_URL": "http://ferry-env:1", "MLFLOW_TRACKING_URI": "http://mlflow-env:2/"}
    assert resolve("http://arg:3/", env=env).url == "http://arg:3"
    assert resolve(env=env).url == "http://ferry-env:1"
    assert resolve(env={"MLFLOW_TRACKING_URI": "https://mlflow-env:2/"}).url == "https://mlflow-env:2"
    assert resolve(env={}).url == DEFAULT_URL


def test_only_an_http_tracking_uri_names_a_server():
    for uri in ("file:///tmp/mlruns", "databricks", "sqlite:///mlflow.db"):
        assert resolve(env={"MLFLOW_TRACKING_URI": uri}).url == DEFAULT_URL
    with pytest.raises(ValueError, match="http"):
        resolve("127.0.0.1:5050", env={})
    with pytest.raises(ValueError, match="http"):
        resolve(env={"FERRY_URL": "ftp://host"})


def test_the_token_comes_from_the_argument_then_ferry_token_then_mlflow_tracking_token():
    env = {"FERRY_TOKEN": "t-ferry", "MLFLOW_TRACKING_TOKEN": "t-mlflow", "FERRY_USERNAME": "u", "FERRY_PASSWORD": "p"}
    assert resolve(token="t-arg", env=env).token == "t-arg"
    s = resolve(env=env)
    assert (s.token, s.username) == ("t-ferry", None)  # a token wins over basic-auth variables
    assert resolve(env={"MLFLOW_TRACKING_TOKEN": "t-mlflow"}).token == "t-mlflow"
    # A username given as an argument is basic auth even where a token is in the environment.
    s = resolve(username="alice", password="pw", env=env)
    assert (s.token, s.username, s.password) == (None, "alice", "pw")


def test_basic_auth_comes_from_ferry_then_mlflow_variables():
    s = resolve(env={"FERRY_USERNAME": "fu", "FERRY_PASSWORD": "fp", "MLFLOW_TRACKING_USERNAME": "mu", "MLFLOW_TRACKING_PASSWORD": "mp"})
    assert (s.token, s.username, s.password) == (None, "fu", "fp")
    s = resolve(env={"MLFLOW_TRACKING_USERNAME": "mu", "MLFLOW_TRACKING_PASSWORD": "mp"})
    assert (s.username, s.password) == ("mu", "mp")
    assert resolve(env={}).token is None and resolve(env={}).username is None


def test_tls_settings_come_from_ferry_then_mlflow_variables():
    assert resolve(env={}).verify is True
    assert resolve(env={"FERRY_INSECURE_TLS": "true"}).verify is False
    assert resolve(env={"MLFLOW_TRACKING_INSECURE_TLS": "1"}).verify is False
    assert resolve(env={"FERRY_INSECURE_TLS": "no"}).verify is True
    assert resolve(env={"FERRY_CA_BUNDLE": "/etc/ca.pem", "MLFLOW_TRACKING_SERVER_CERT_PATH": "/other.pem"}).verify == "/etc/ca.pem"
    assert resolve(env={"MLFLOW_TRACKING_SERVER_CERT_PATH": "/other.pem"}).verify == "/other.pem"
    assert resolve(verify="/arg.pem", env={"FERRY_INSECURE_TLS": "1"}).verify == "/arg.pem"
    # The transport's session is what requests checks certificates with.
    client = ferry.Client("https://ferry.example", token="t", verify="/etc/ca.pem")
    assert client._t.session.verify == "/etc/ca.pem"


def test_timeouts_come_from_the_argument_then_the_variables():
    assert resolve(env={}).timeout == 60.0
    assert resolve(env={"FERRY_TIMEOUT": "5", "MLFLOW_HTTP_REQUEST_TIMEOUT": "7"}).timeout == 5.0
    assert resolve(env={"MLFLOW_HTTP_REQUEST_TIMEOUT": "7"}).timeout == 7.0
    assert resolve(timeout=2, env={"FERRY_TIMEOUT": "5"}).timeout == 2


def test_no_repr_shows_a_secret():
    secrets_ = ("tok-s3cret", "pw-s3cret", "url-s3cret")
    for kw in ({"token": "tok-s3cret"}, {"username": "alice", "password": "pw-s3cret"}):
        c = ferry.Client("http://alice:url-s3cret@ferry.example:5050", **kw)
        for text in (repr(c), str(c), repr(c.settings), str(c.settings)):
            assert not any(s in text for s in secrets_), text
        assert "ferry.example:5050" in repr(c)


# ---- auth against the server ---------------------------------------------------------------------------------


def _new_user(client, unique, role):
    name = unique("user")
    created = client._t.request("POST", "/api/v1/users", json={"username": name, "role": role})
    return name, created["password"]


def _new_token(client, unique, role):
    return client._t.request("POST", "/api/v1/tokens", json={"name": unique("tok"), "role": role})["token"]


def test_a_token_signs_in(client):
    assert client.whoami() == {"name": "admin", "role": "admin", "kind": "token"}


def test_basic_auth_signs_in_with_a_users_password(ferry_server, client, unique):
    name, password = _new_user(client, unique, "editor")
    me = ferry.Client(ferry_server["url"], username=name, password=password).whoami()
    assert me == {"name": name, "role": "editor", "kind": "user"}
    with pytest.raises(errors.UnauthenticatedError) as e:
        ferry.Client(ferry_server["url"], username=name, password=password + "x").whoami()
    assert (e.value.status, e.value.code) == (401, "UNAUTHENTICATED")


def test_ferry_username_and_password_variables_sign_in(ferry_server, client, unique, monkeypatch):
    name, password = _new_user(client, unique, "viewer")
    monkeypatch.setenv("FERRY_URL", ferry_server["url"])
    monkeypatch.setenv("FERRY_USERNAME", name)
    monkeypatch.setenv("FERRY_PASSWORD", password)
    assert ferry.Client().whoami() == {"name": name, "role": "viewer", "kind": "user"}


def test_the_mlflow_variables_alone_sign_in(ferry_server, client, unique, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", ferry_server["url"])
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", ferry_server["token"])
    c = ferry.Client()
    assert c.url == ferry_server["url"]
    assert c.whoami()["name"] == "admin"
    # Basic auth the way an mlflow user configures it.
    name, password = _new_user(client, unique, "viewer")
    monkeypatch.delenv("MLFLOW_TRACKING_TOKEN")
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", name)
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", password)
    assert ferry.Client().whoami() == {"name": name, "role": "viewer", "kind": "user"}


def test_a_wrong_token_or_none_is_unauthenticated(ferry_server):
    for c in (ferry.Client(ferry_server["url"], token="fry_not_a_real_token"), ferry.Client(ferry_server["url"])):
        with pytest.raises(errors.UnauthenticatedError) as e:
            c.whoami()
        assert (e.value.status, e.value.code) == (401, "UNAUTHENTICATED")


def test_a_viewer_making_an_editor_call_is_denied(ferry_server, client, unique):
    viewer = ferry.Client(ferry_server["url"], token=_new_token(client, unique, "viewer"))
    assert viewer.whoami()["role"] == "viewer"
    with pytest.raises(errors.PermissionDeniedError) as e:
        viewer._t.request("POST", "/api/v1/deployments", json={"name": unique("dep"), "model": "m", "version": "1"})
    assert (e.value.status, e.value.code) == (403, "PERMISSION_DENIED")
    assert "editor" in e.value.message


# ---- errors ----------------------------------------------------------------------------------------------------


def _server_error_codes():
    text = (REPO / "src" / "errors.ts").read_text()
    block = re.search(r"export const ERROR_STATUS = \{(.*?)\} as const;", text, re.S)
    assert block, "ERROR_STATUS not found in src/errors.ts"
    return dict((code, int(status)) for code, status in re.findall(r"^\s*([A-Z_]+):\s*(\d+),", block.group(1), re.M))


def test_every_server_error_code_has_its_class():
    codes = _server_error_codes()
    assert len(codes) >= 17 and codes["OVERLOADED"] == 503
    assert set(codes) == set(errors.ERROR_CLASSES), set(codes) ^ set(errors.ERROR_CLASSES)
    for code, status in codes.items():
        err = errors.error_from_response(status, {"code": code, "detail": "d", "errors": []})
        assert type(err) is errors.ERROR_CLASSES[code] and (err.code, err.status) == (code, status)
        # An unknown code still lands in the class for its status family.
        generic = errors.error_from_response(status, {"code": "SOMETHING_NEW", "detail": "d"})
        assert generic.code == "SOMETHING_NEW" and isinstance(generic, errors.FerryError)


def _raw_error(client, method, route, **kw):
    with pytest.raises(errors.FerryError) as e:
        client._t.raw(method, route, **kw)
    return e.value


def test_a_bad_field_is_invalid_parameter_naming_the_field(client):
    err = _raw_error(client, "POST", "/api/v1/tokens", json={"name": "not a valid name!"})
    assert type(err) is errors.InvalidParameterError
    assert (err.code, err.status, err.field) == ("INVALID_PARAMETER_VALUE", 400, "name")
    assert err.errors[0]["field"] == "name" and "name" in err.message
    unknown = _raw_error(client, "POST", "/api/v1/tokens", json={"name": "ok", "nmae": "typo"})
    assert (unknown.code, unknown.field) == ("INVALID_PARAMETER_VALUE", "nmae")


def test_broken_json_is_malformed_request(client):
    err = _raw_error(client, "POST", "/api/v1/tokens", data='{"name":', headers={"Content-Type": "application/json"})
    assert type(err) is errors.MalformedRequestError and isinstance(err, errors.InvalidParameterError)
    assert (err.code, err.status) == ("MALFORMED_REQUEST", 400)


def test_a_taken_name_is_already_exists(client, unique):
    name, _ = _new_user(client, unique, "viewer")
    err = _raw_error(client, "POST", "/api/v1/users", json={"username": name})
    assert type(err) is errors.AlreadyExistsError and (err.code, err.status) == ("RESOURCE_ALREADY_EXISTS", 400)


def test_revoking_the_token_in_use_is_invalid_state(ferry_server, client, unique):
    # A throwaway admin token revokes itself; the session's admin token is never at risk.
    created = client._t.request("POST", "/api/v1/tokens", json={"name": unique("tok"), "role": "admin"})
    me = ferry.Client(ferry_server["url"], token=created["token"])
    token_id = created["token_id"]
    err = _raw_error(me, "DELETE", ferry._http.path("/api/v1/tokens/{token_id}", token_id=token_id))
    assert type(err) is errors.InvalidStateError and (err.code, err.status) == ("INVALID_STATE", 400)


def test_unknown_things_and_routes_are_not_found(client, unique):
    err = _raw_error(client, "GET", ferry._http.path("/api/v1/deployments/{name}", name=unique("nope")))
    assert type(err) is errors.NotFoundError and (err.code, err.status) == ("RESOURCE_DOES_NOT_EXIST", 404)
    err = _raw_error(client, "GET", "/api/v1/no-such-route")
    assert type(err) is errors.EndpointNotFoundError and isinstance(err, errors.NotFoundError)
    assert (err.code, err.status) == ("ENDPOINT_NOT_FOUND", 404)
    # MLflow's routes answer {error_code, message}: the same class.
    err = _raw_error(client, "GET", "/api/2.0/mlflow/experiments/get", params={"experiment_id": "987654321"})
    assert type(err) is errors.NotFoundError and (err.code, err.status) == ("RESOURCE_DOES_NOT_EXIST", 404)
    assert "987654321" in err.message


def test_a_foreign_host_header_is_host_not_allowed(client):
    err = _raw_error(client, "GET", "/api/v1/whoami", headers={"Host": "evil.example.com"})
    assert type(err) is errors.HostNotAllowedError and isinstance(err, errors.PermissionDeniedError)
    assert (err.code, err.status) == ("HOST_NOT_ALLOWED", 403)


def test_a_big_body_is_payload_too_large(client):
    body = json.dumps({"name": "x" * (3 * 1024 * 1024)})
    err = _raw_error(client, "POST", "/api/v1/tokens", data=body, headers={"Content-Type": "application/json"})
    assert type(err) is errors.PayloadTooLargeError and (err.code, err.status) == ("PAYLOAD_TOO_LARGE", 413)


def test_a_wrong_content_type_is_unsupported_media_type(client):
    err = _raw_error(client, "POST", "/api/v1/tokens", data="<name>x</name>", headers={"Content-Type": "application/xml"})
    assert type(err) is errors.UnsupportedMediaTypeError and (err.code, err.status) == ("UNSUPPORTED_MEDIA_TYPE", 415)


def test_huge_headers_are_headers_too_large(client):
    err = _raw_error(client, "GET", "/api/v1/whoami", headers={"X-Padding": "a" * 20000})
    assert type(err) is errors.HeadersTooLargeError and (err.code, err.status) == ("HEADERS_TOO_LARGE", 431)


def test_an_unreadable_data_file_is_invalid_data_file(client, unique):
    route = ferry._http.path("/api/v1/datasets/{name}/versions", name=unique("ds"))
    err = _raw_error(client, "POST", route, data=b"a,b\n1,2\n3,4,5\n", headers={"Content-Type": "text/csv"})
    assert type(err) is errors.DataFileError and (err.code, err.status) == ("INVALID_DATA_FILE", 400)


def test_codes_the_server_cannot_be_made_to_answer_here_map_from_their_body():
    # OVERLOADED needs a model's queue full; REQUEST_TIMEOUT a request that stalls; INTERNAL_ERROR a bug.
    err = errors.error_from_response(503, {"type": "t", "title": "OVERLOADED", "status": 503, "detail": "queue full", "code": "OVERLOADED", "errors": []})
    assert type(err) is errors.OverloadedError and (err.status, err.message) == (503, "queue full")
    assert type(errors.error_from_response(408, {"code": "REQUEST_TIMEOUT", "detail": "slow"})) is errors.RequestTimeoutError
    assert type(errors.error_from_response(400, {"code": "BAD_REQUEST", "detail": "x"})) is errors.BadRequestError
    assert type(errors.error_from_response(500, {"code": "INTERNAL_ERROR", "detail": "x"})) is errors.InternalServerError
    # A proxy's HTML page in front of Ferry: the status decides, the text is the message.
    proxy = errors.error_from_response(502, None, "<html>Bad Gateway</html>")
    assert type(proxy) is errors.InternalServerError and proxy.status == 502 and "Bad Gateway" in proxy.message


class _Overloaded(http.server.BaseHTTPRequestHandler):
    """Answers 503 OVERLOADED (Retry-After: 0) until ``ok_after`` calls have come, then 200."""

    calls = 0
    ok_after = 0

    def _answer(self):
        type(self).calls += 1
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if type(self).calls > type(self).ok_after:
            body, status = b'{"ok": true}', 200
            headers = {"Content-Type": "application/json"}
        else:
            body, status = json.dumps({"code": "OVERLOADED", "detail": "queue full", "status": 503, "errors": []}).encode(), 503
            headers = {"Content-Type": "application/problem+json", "Retry-After": "0"}
        self.send_response(status)
        for k, v in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def overloaded():
    # The transport's retry policy on a real socket: Ferry answers OVERLOADED only with a model's queue full.
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Overloaded)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Overloaded.calls = 0
    yield server, ferry.Client(f"http://127.0.0.1:{server.server_address[1]}", token="t")
    server.shutdown()
    server.server_close()


def test_a_get_is_retried_after_overloaded_and_a_post_is_not(overloaded):
    from ferry import _http

    _, c = overloaded
    _Overloaded.ok_after = 2
    assert c._t.request("GET", "/api/v1/whoami") == {"ok": True}
    assert _Overloaded.calls == 3
    _Overloaded.calls, _Overloaded.ok_after = 0, 1
    with pytest.raises(errors.OverloadedError) as e:
        c._t.request("POST", "/api/v1/deployments", json={})
    assert _Overloaded.calls == 1 and e.value.retry_after == 0.0 and e.value.status == 503
    _Overloaded.calls, _Overloaded.ok_after = 0, 100
    with pytest.raises(errors.OverloadedError):
        c._t.request("GET", "/api/v1/whoami")
    assert _Overloaded.calls == _http.MAX_RETRIES + 1


def test_a_closed_port_is_connection_failed():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    c = ferry.Client(f"http://127.0.0.1:{port}", token="t", timeout=5)
    with pytest.raises(errors.ConnectionFailedError) as e:
        c.health()
    assert (e.value.code, e.value.status) == ("CONNECTION_ERROR", None)
    assert str(port) in e.value.message


def test_path_fills_each_placeholder_as_one_encoded_segment():
    from ferry._http import path

    assert path("/api/v1/datasets/{name}/versions/{ref}", name="a/b c", ref=3) == "/api/v1/datasets/a%2Fb%20c/versions/3"
    with pytest.raises(ValueError, match="unfilled"):
        path("/api/v1/deployments/{name}")


def test_a_full_model_queue_is_overloaded_and_a_predict_is_not_retried(client, unique):
    # Real OVERLOADED: a queue of at most 1 row, and 2 rows that are not a full batch on their own (max 2).
    import time

    import numpy as np
    from model_fixtures import expected, register

    name = unique("bc")
    version = register(client, "breast_cancer_logreg", name)
    batching = {"max_batch_size": 2, "max_queue_delay_ms": 0, "max_queue_rows": 1}
    client._t.request("POST", "/api/v1/deployments", json={"name": name, "routes": [{"model": name, "version": version}], "batching": batching})
    try:
        rows = np.array(expected("breast_cancer_logreg")["inputs"]["float_input"][:2], dtype=np.float32)
        assert len(client.deployments.predict(name, rows[:1], binary=False).predictions) == 1
        started = time.monotonic()
        with pytest.raises(errors.OverloadedError) as e:
            client.deployments.predict(name, rows, binary=False)
        assert (e.value.code, e.value.status) == ("OVERLOADED", 503)
        assert e.value.retry_after is not None and e.value.retry_after > 0
        # A POST is not repeated: the error comes at once, not after Retry-After.
        assert time.monotonic() - started < e.value.retry_after
    finally:
        client._t.request("DELETE", ferry._http.path("/api/v1/deployments/{name}", name=name))
