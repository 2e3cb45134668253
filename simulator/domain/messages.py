"""Nuki Web's error texts, verbatim where they are known, in one place.

Texts marked "observed" were seen in real responses (see the fact sheet); the rest follow
the same pattern and say what to do next.
"""

from __future__ import annotations

# observed: ioBroker.nuki-extended issue #273
TOKEN_NOT_AUTHORIZED = "Your access token is not authorized"


# observed: developer.nuki.io threads 16794 and 39051
def invalid_value(parameter: str, value: object) -> str:
    """Nuki's 400 text for a parameter value it will not take.

    Nuki renders the value as Java does: a missing value is ``null`` (thread 39051) and a
    boolean is ``true``/``false``, never Python's ``None``/``True``.
    """
    if value is None:
        value = "null"
    elif isinstance(value, bool):
        value = "true" if value else "false"
    return f"The supplied value '{value}' for parameter '{parameter}' is not valid"


# observed: thread 35593 (Restlet's status body for 422)
RESTLET_422 = {
    "code": 422,
    "description": (
        "The server understands the content type of the request entity and the syntax of the "
        "request entity is correct but was unable to process the contained instructions"
    ),
    "homeRef": "/",
    "reasonPhrase": "Unprocessable Entity",
    "uri": "http://www.webdav.org/specs/rfc2518.html#STATUS_422",
}

FORBIDDEN = "Forbidden"
SMARTLOCK_NOT_FOUND = "Smartlock not found"
AUTH_NOT_FOUND = "Smartlock authorization not found"
DUPLICATE_CODE = (
    "Parameter conflicts: a keypad code with this code already exists on this smartlock"
)
NO_SPACE = "Parameter conflicts: the smartlock already holds the maximum number of keypad codes"
AUTH_LOCKED = "Another operation on this authorization is still running"
LOCK_BUSY = "Another action on this smartlock is still running"
ACCOUNT_USER_NOT_FOUND = "Account user not found"
ACCOUNT_USER_LOCKED = "The account user is being deleted"
EMAIL_EXISTS = "Email address already exists"
