"""Ferry's Python client.

    import ferry
    client = ferry.Client()                      # FERRY_URL / FERRY_TOKEN, or MLFLOW_TRACKING_URI / _TOKEN
    client.deployments.create("credit-risk", model="credit", version="2")
    client.deployments.predict("credit-risk", df)
    report = ferry.drift(reference_df, current_df)   # the server's drift statistics, nothing deployed
"""
from ._version import __version__
from .client import Client, default_client, set_default_client
from .errors import (
    AlreadyExistsError,
    ConnectionFailedError,
    DataFileError,
    FerryError,
    InsufficientStorageError,
    InternalServerError,
    InvalidParameterError,
    InvalidStateError,
    NotFoundError,
    OverloadedError,
    PayloadTooLargeError,
    PermissionDeniedError,
    StoreUnavailableError,
    TimeoutExpiredError,
    UnauthenticatedError,
)
from .models import ConversionFailedError


def drift(reference, current, **options):
    """Drift of ``current`` against ``reference`` (two DataFrames), computed by Ferry's statistics."""
    from .offline import drift as _drift

    return _drift(reference, current, **options)


def validate(data, suite, **options):
    """Validate a DataFrame against a suite (a stored suite's name, or a suite as a dict)."""
    from .offline import validate as _validate

    return _validate(data, suite, **options)


__all__ = [
    "__version__",
    "Client",
    "default_client",
    "set_default_client",
    "drift",
    "validate",
    "FerryError",
    "AlreadyExistsError",
    "ConnectionFailedError",
    "ConversionFailedError",
    "DataFileError",
    "InsufficientStorageError",
    "InternalServerError",
    "InvalidParameterError",
    "InvalidStateError",
    "NotFoundError",
    "OverloadedError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "StoreUnavailableError",
    "TimeoutExpiredError",
    "UnauthenticatedError",
]
