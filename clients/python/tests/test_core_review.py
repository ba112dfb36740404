"""Core fixes from the review: credentials in a URL never shown, a user name taking its password from the
environment, paging that stops on a repeated token instead of looping, and every error class importable from ferry."""
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

import ferry
from ferry._config import redact, resolve


def test_a_token_as_the_urls_user_name_is_never_shown():
    assert "SECRET" not in redact("https://SECRET@ferry.example.com/x")
    assert "SECRET" not in redact("https://alice:SECRET@ferry.example.com")
    assert redact("https://ferry.example.com:8443/p") == "https://ferry.example.com:8443/p"
    assert "SECRET" not in repr(resolve(url="https://SECRET@ferry.example.com", env={}))


def test_a_user_name_given_as_an_argument_takes_its_password_from_the_environment():
    s = resolve(url="http://h", username="alice", env={"FERRY_PASSWORD": "pw"})
    assert (s.username, s.password) == ("alice", "pw")
    s = resolve(url="http://h", username="alice", password="given", env={"FERRY_PASSWORD": "pw"})
    assert s.password == "given"


class _LoopingPages(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        body = b'{"jobs": [{"job_id": "a"}], "next_page_token": "same"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_paging_stops_with_an_error_when_the_server_repeats_a_token():
    srv = HTTPServer(("127.0.0.1", 0), _LoopingPages)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        c = ferry.Client(f"http://127.0.0.1:{srv.server_address[1]}", token="t")
        got = []
        with pytest.raises(ferry.FerryError) as e:
            for item in c._t.iterate("/api/v1/jobs", "jobs"):
                got.append(item)
                assert len(got) < 10, "paged forever"
        assert e.value.code == "PAGINATION_LOOP"
        assert len(got) == 2
    finally:
        srv.shutdown()


def test_every_error_class_is_importable_from_the_package():
    from ferry.errors import ERROR_CLASSES

    for name in ("PayloadTooLargeError", "InternalServerError", "DataFileError", "ConversionFailedError"):
        assert issubclass(getattr(ferry, name), ferry.FerryError)
    assert ferry.PayloadTooLargeError is ERROR_CLASSES["PAYLOAD_TOO_LARGE"]
