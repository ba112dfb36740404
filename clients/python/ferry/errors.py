"""Ferry's errors as Python exceptions: one class per stable error code (docs/errors.md), each carrying the
code, the HTTP status, the message and the field at fault."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Type


class FerryError(Exception):
    """Any error Ferry answered with (or a transport failure, code ``CONNECTION_ERROR``)."""

    code: str = "FERRY_ERROR"

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        status: Optional[int] = None,
        field: Optional[str] = None,
        errors: Optional[List[Dict[str, str]]] = None,
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.status = status
        self.errors: List[Dict[str, str]] = list(errors or [])
        # The field at fault: the first named problem, as the server lists them.
        self.field = field if field is not None else (self.errors[0].get("field") if self.errors else None)
        self.body = body

    def __str__(self) -> str:
        where = f" [{self.field}]" if self.field else ""
        return f"{self.code}{where}: {self.message}"


class InvalidParameterError(FerryError):
    code = "INVALID_PARAMETER_VALUE"


class BadRequestError(InvalidParameterError):
    code = "BAD_REQUEST"


class MalformedRequestError(InvalidParameterError):
    code = "MALFORMED_REQUEST"


class DataFileError(InvalidParameterError):
    code = "INVALID_DATA_FILE"


class AlreadyExistsError(FerryError):
    code = "RESOURCE_ALREADY_EXISTS"


class InvalidStateError(FerryError):
    code = "INVALID_STATE"


class UnauthenticatedError(FerryError):
    code = "UNAUTHENTICATED"


class PermissionDeniedError(FerryError):
    code = "PERMISSION_DENIED"


class HostNotAllowedError(PermissionDeniedError):
    code = "HOST_NOT_ALLOWED"


class NotFoundError(FerryError):
    code = "RESOURCE_DOES_NOT_EXIST"


class EndpointNotFoundError(NotFoundError):
    code = "ENDPOINT_NOT_FOUND"


class RequestTimeoutError(FerryError):
    code = "REQUEST_TIMEOUT"


class PayloadTooLargeError(FerryError):
    code = "PAYLOAD_TOO_LARGE"


class UnsupportedMediaTypeError(FerryError):
    code = "UNSUPPORTED_MEDIA_TYPE"


class TooManySignInAttemptsError(FerryError):
    """429: too many failed sign-ins from this address or for this user; the server says when to retry (Retry-After)."""

    code = "TOO_MANY_SIGN_IN_ATTEMPTS"


class HeadersTooLargeError(FerryError):
    code = "HEADERS_TOO_LARGE"


class InternalServerError(FerryError):
    code = "INTERNAL_ERROR"


class OverloadedError(FerryError):
    """503: the model's queue is full or storage does not answer; ``retry_after`` is in seconds."""

    code = "OVERLOADED"
    retry_after: Optional[float] = None


class StoreUnavailableError(OverloadedError):
    """503: the server's database does not answer (PostgreSQL stopped or restarting); retried like ``OverloadedError``
    on calls that are safe to repeat, after ``retry_after`` seconds."""

    code = "STORE_UNAVAILABLE"


class InsufficientStorageError(FerryError):
    """507: the artifact storage is full; nothing of the upload was kept. Free space and upload again."""

    code = "INSUFFICIENT_STORAGE"


class ConnectionFailedError(FerryError):
    """The server could not be reached (no HTTP answer)."""

    code = "CONNECTION_ERROR"


class TimeoutExpiredError(FerryError):
    """A client-side wait (a job, a conversion) ran past its timeout."""

    code = "TIMEOUT"


#: Every code the server can answer with, and its exception class (test_errors checks this against src/errors.ts).
ERROR_CLASSES: Dict[str, Type[FerryError]] = {
    cls.code: cls
    for cls in (
        InvalidParameterError,
        BadRequestError,
        MalformedRequestError,
        DataFileError,
        AlreadyExistsError,
        InvalidStateError,
        UnauthenticatedError,
        PermissionDeniedError,
        HostNotAllowedError,
        NotFoundError,
        EndpointNotFoundError,
        RequestTimeoutError,
        PayloadTooLargeError,
        UnsupportedMediaTypeError,
        TooManySignInAttemptsError,
        HeadersTooLargeError,
        InternalServerError,
        OverloadedError,
        StoreUnavailableError,
        InsufficientStorageError,
    )
}

_BY_STATUS: Dict[int, Type[FerryError]] = {
    400: InvalidParameterError,
    401: UnauthenticatedError,
    403: PermissionDeniedError,
    404: NotFoundError,
    408: RequestTimeoutError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaTypeError,
    429: TooManySignInAttemptsError,
    431: HeadersTooLargeError,
    503: OverloadedError,
    507: InsufficientStorageError,
}


def error_from_response(status: int, body: Any, text: str = "") -> FerryError:
    """The exception for an error answer: RFC 9457 problem details (native routes) or MLflow's
    ``{error_code, message}`` (``/api/2.0``)."""
    code = None
    message = None
    errors: List[Dict[str, str]] = []
    if isinstance(body, dict):
        code = body.get("code") or body.get("error_code")
        message = body.get("detail") or body.get("message") or body.get("error") or body.get("title")
        raw = body.get("errors")
        if isinstance(raw, list):
            errors = [e for e in raw if isinstance(e, dict)]
    cls = ERROR_CLASSES.get(code or "") or _BY_STATUS.get(status) or (InternalServerError if status >= 500 else FerryError)
    return cls(
        message or (text.strip()[:500] if text else f"HTTP {status}"),
        code=code or cls.code,
        status=status,
        errors=errors,
        body=body,
    )
