"""The error family every novabilling SDK shares (see the API reference)."""

from __future__ import annotations

import builtins

# Annotations here are strings (the __future__ import), so typing, which costs
# milliseconds of `import novabilling`, is imported only by type checkers.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional, Sequence

__all__ = [
    "FieldError",
    "NovaBillingError",
    "ValidationError",
    "ApiError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "PreconditionFailedError",
    "RateLimitError",
    "InternalServerError",
    "ConnectionError",
    "TimeoutError",
    "DecodeError",
    "WebhookVerificationError",
]


class FieldError:
    """What is wrong with one field: ``field``, a machine-readable ``code`` and a ``message``."""

    __slots__ = ("field", "code", "message")

    def __init__(self, field: str, code: Optional[str], message: str) -> None:
        self.field = field
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"FieldError(field={self.field!r}, code={self.code!r}, message={self.message!r})"

    def __reduce__(self) -> tuple[object, ...]:
        return (FieldError, (self.field, self.code, self.message))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FieldError):
            return NotImplemented
        return (self.field, self.code, self.message) == (other.field, other.code, other.message)

    __hash__ = None  # type: ignore[assignment]


class NovaBillingError(Exception):
    """Base of every error this SDK raises."""

    message: str
    status: Optional[int]
    code: Optional[str]
    errors: list[FieldError]
    request_id: Optional[str]
    retry_after: Optional[float]
    required_scope: Optional[str]

    def __init__(
        self,
        text: str,
        *,
        message: Optional[str] = None,
        status: Optional[int] = None,
        code: Optional[str] = None,
        errors: Sequence[FieldError] = (),
        request_id: Optional[str] = None,
        retry_after: Optional[float] = None,
        required_scope: Optional[str] = None,
    ) -> None:
        super().__init__(text)
        self.message = message if message is not None else text
        self.status = status
        self.code = code
        self.errors = list(errors)
        self.request_id = request_id
        self.retry_after = retry_after
        self.required_scope = required_scope

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only fields survive pickling (multiprocessing, concurrent.futures).
        kwargs = {
            "message": self.message, "status": self.status, "code": self.code, "errors": self.errors,
            "request_id": self.request_id, "retry_after": self.retry_after,
            "required_scope": self.required_scope,
        }
        return (_rebuild, (type(self), self.args, kwargs))


def _rebuild(cls: type[NovaBillingError], args: tuple[object, ...], kwargs: dict[str, object]) -> NovaBillingError:
    return cls(*args, **kwargs)  # type: ignore[arg-type]


class ValidationError(NovaBillingError, ValueError):
    """Input rejected before any request was sent. ``errors`` names each field."""

    @property
    def field(self) -> Optional[str]:
        return self.errors[0].field if self.errors else None


class ApiError(NovaBillingError):
    """The server answered with an error status."""

    status: int
    code: str


class BadRequestError(ApiError):
    """400, 413 or 422: the request was refused as sent."""


class AuthenticationError(ApiError):
    """401: the API key is missing, malformed or unknown."""


class PermissionDeniedError(ApiError):
    """403: the key may not do this. On ``insufficient_scope``, ``required_scope``
    names the scope it lacks (such as ``customers:write``)."""


class NotFoundError(ApiError):
    """404: no such object in your tenant (or a route the server does not have)."""


class ConflictError(ApiError):
    """409: e.g. ``email_taken``, ``external_id_taken``, ``already_bound``."""


class PreconditionFailedError(ApiError):
    """412: the ``if_match`` ETag is stale."""


class RateLimitError(ApiError):
    """429. ``retry_after`` says how many seconds to wait, when the server said."""

    retry_after: Optional[float]


class InternalServerError(ApiError):
    """5xx."""


class ConnectionError(NovaBillingError, builtins.ConnectionError):
    """No answer: refused, reset, DNS or TLS failure (after retries)."""


class TimeoutError(NovaBillingError, builtins.TimeoutError):
    """No answer in time (after retries)."""


class DecodeError(NovaBillingError):
    """A success status whose body is not what the API sends."""


class WebhookVerificationError(NovaBillingError, ValueError):
    """A received webhook is not authentic, not fresh, or not an event: answer
    it with a 400 and do not act on it. ``code`` (also ``reason``) says why:
    ``missing_header``, ``invalid_header``, ``no_matching_signature``,
    ``timestamp_too_old``, ``timestamp_too_new``, ``body_not_raw``,
    ``invalid_secret`` or ``invalid_payload``; the message says what to fix."""

    @property
    def reason(self) -> Optional[str]:
        return self.code
