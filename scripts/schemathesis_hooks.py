"""schemathesis hooks for scripts/schemathesis.sh (loaded through SCHEMATHESIS_HOOKS).

An Idempotency-Key answers 422 `idempotency_key_reused` when it comes back
with another request, and schemathesis sends the same few keys everywhere:
each valid key gets a new prefix, so a request is judged on its
own (an invalid key is sent as drawn, and still answered 400).

A customer's externalId and email are unique in its tenant, and hypothesis
draws the same few small values again and again ("0", "0@A.COM"): without
this, nearly every create after the first phases was 409, and the stateful
phase had almost no customer to follow the links from. A value that the
server would take gets a prefix that is new; one it would refuse
is sent as drawn, so a request the server should refuse still is
(schemathesis checks the edited case against the document again).
"""

import itertools
import re
import secrets

import schemathesis

# New to the run and to the database, which on PostgreSQL outlives a run (and
# keeps the Idempotency-Keys and customers of the runs before).
_RUN = secrets.token_hex(3)
_counter = itertools.count()
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# An unquoted (dot-atom) local part: a prefix of letters, digits and "-" keeps it one.
_DOT_ATOM = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")


def _external_id(value, prefix):
    if isinstance(value, str) and value.strip() and not _CONTROL.search(value) and len(prefix + value) <= 255:
        return prefix + value
    return value


def _email(value, prefix):
    if not isinstance(value, str) or value.count("@") != 1 or len(prefix + value) > 254:
        return value
    local, domain = value.split("@")
    if _DOT_ATOM.match(local) and len(prefix + local) <= 64:
        return f"{prefix}{local}@{domain}"
    return value


def _idempotency_key(value, prefix):
    # What the server takes: visible ASCII, spaces and tabs inside, 1 to 255 once trimmed.
    if isinstance(value, str) and re.fullmatch(r"[ \t]*[!-~]([ \t!-~]*[!-~])?[ \t]*", value):
        key = value.strip(" \t")
        if len(prefix + key) <= 255:
            return prefix + key
    return value


def _about_authorization(case):
    """A coverage case about the Authorization header (left out, say): editing
    its headers makes schemathesis judge it again, as valid, and send it with
    the credentials the case is about leaving out."""
    data = getattr(getattr(case.meta, "phase", None), "data", None)
    return (getattr(data, "parameter", None) or "").lower() == "authorization"


# Cases already given fresh values: a case sent again (a replay) is sent as it was.
_done = set()


@schemathesis.hook
def before_call(context, case, kwargs):
    operation = context.operation
    if operation is None or case.id in _done:
        return
    _done.add(case.id)
    prefix = f"st{_RUN}.{next(_counter)}-"
    headers = case.headers or {}
    if not _about_authorization(case):
        for name in [n for n in headers if n.lower() == "idempotency-key"]:
            headers[name] = _idempotency_key(headers[name], prefix)
    route = (operation.method.upper(), operation.path)
    unique = {
        ("POST", "/api/customers"): ("externalId", "email"),
        ("PATCH", "/api/customers/{id}"): ("email",),
        ("POST", "/api/customers/{id}/bind"): ("externalId",),
    }.get(route)
    if not unique or not isinstance(case.body, dict):
        return
    body = dict(case.body)
    if "externalId" in unique and "externalId" in body:
        body["externalId"] = _external_id(body["externalId"], prefix)
    if "email" in unique and "email" in body:
        body["email"] = _email(body["email"], prefix)
    case.body = body
