"""One error tree for everything the simulator refuses.

Each error carries the HTTP status Nuki answers with and the *shape* of Nuki's body for it
(a serialized Java exception with ``detailMessage``, Restlet's status object for 422, or the
bare ``stackTrace`` body Nuki sends with 423). The HTTP layer turns any :class:`SimError`
into a response in one place; the texts themselves live in :mod:`nuki_sim.simulator.domain.messages`.
"""

from __future__ import annotations

from enum import Enum


class BodyShape(Enum):
    """Which of Nuki's error body formats a status uses."""

    DETAIL = "detail"  # {"detailMessage": ..., "stackTrace": [], "suppressedExceptions": []}
    RESTLET = "restlet"  # {"code", "description", "homeRef", "reasonPhrase", "uri"}
    BARE = "bare"  # {"stackTrace": [], "suppressedExceptions": []}


class SimError(Exception):
    """Base of every refusal. ``message`` is what a client reads; ``hint`` says what to do."""

    status: int = 400
    shape: BodyShape = BodyShape.DETAIL

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class BadParameter(SimError):
    """400: a value Nuki rejects before anything reaches the lock."""

    status = 400


class Unauthorized(SimError):
    """401: missing, unknown or under-scoped token (Nuki does not distinguish them)."""

    status = 401


class Forbidden(SimError):
    """403: the object exists but belongs to another account."""

    status = 403


class NotFound(SimError):
    """404: no such object."""

    status = 404


class Conflict(SimError):
    """409: the request conflicts with what the cloud knows (duplicate code, no space)."""

    status = 409


class PayloadTooLarge(SimError):
    """413: the body is larger than the simulator accepts."""

    status = 413


class RequestTimeout(SimError):
    """408: the client stopped sending its body (a slow client must not hold a connection)."""

    status = 408


class Unprocessable(SimError):
    """422: Nuki answers over-long keypad code names with Restlet's status body."""

    status = 422
    shape = BodyShape.RESTLET


class Locked(SimError):
    """423: another operation on the same lock or authorization is still running."""

    status = 423
    shape = BodyShape.BARE


class ClockError(SimError):
    """A request to move time in a way the clock cannot (backwards, or a system clock)."""

    status = 400
