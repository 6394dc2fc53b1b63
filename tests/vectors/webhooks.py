"""Writes webhooks.json: the Standard Webhooks test vector, and ours for every
verification outcome. Signatures are made here with Python's own hmac, apart
from core, so the vectors check core rather than restate it.

    python3 tests/vectors/webhooks.py
"""

import base64
import hashlib
import hmac
import json
from pathlib import Path

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OLD_SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"
T = 1649367553  # the standard vector's time; the cases pass a tolerance that reaches it
FUTURE = 4102444800  # 2100-01-01
WIDE = 3_000_000_000  # seconds: a tolerance that accepts T until about 2117

CUSTOMER = {
    "id": "cust_8f2a",
    "externalId": "usr_98765",
    "externalOrganizationId": None,
    "email": "sarah@kampaltech.ug",
    "name": "Nakato Sarah",
    "country": "UG",
    "currency": "UGX",
    "status": "active",
    "metadata": {"plan": "pro", "seats": 5},
    "stripeCustomerId": None,
    "totalSpent": 0,
    "activeSubscriptions": 0,
    "createdAt": "2026-12-04T08:00:00.000Z",
    "updatedAt": "2026-12-04T08:05:00.000Z",
}


def sign(secret: str, msg_id: str, ts: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{ts}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def event(evt_id: str, kind: str, data: dict) -> str:
    return json.dumps({"id": evt_id, "type": kind, "timestamp": "2026-12-04T08:05:00.123Z", "data": data},
                      separators=(",", ":"))


def headers(msg_id: str, ts, sig: str, names=("webhook-id", "webhook-timestamp", "webhook-signature")) -> dict:
    return {names[0]: msg_id, names[1]: str(ts), names[2]: sig}


def ok(name, body, hdrs, secrets, expect, tolerance=WIDE):
    return {"name": name, "body": body, "headers": hdrs, "secrets": secrets, "tolerance": tolerance, "expect": expect}


def err(name, body, hdrs, secrets, code, contains, tolerance=WIDE):
    return {"name": name, "body": body, "headers": hdrs, "secrets": secrets, "tolerance": tolerance,
            "error": {"code": code, "contains": contains}}


def main() -> None:
    std_body = '{"email":"test@example.com","username":"test_user"}'
    std_id = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk"
    created = event("evt_1", "customer.created", {"customer": CUSTOMER, "sequence": 1})
    updated = event("evt_2", "customer.updated",
                    {"customer": CUSTOMER, "sequence": 3, "changedFields": ["name", "email"]})
    imported = event("evt_3", "customers.imported", {"created": 2, "skipped": 1})
    unknown = event("evt_4", "invoice.paid", {"invoice": {"id": "inv_1"}})
    m = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"
    sig = sign(SECRET, m, T, created)

    def expect(evt_id, kind, seq=None, changed=None, customer_id=None, imported=None, data_keys=()):
        return {"id": evt_id, "type": kind, "timestamp": "2026-12-04T08:05:00.123Z", "sequence": seq,
                "changed_fields": changed, "customer_id": customer_id, "imported": imported,
                "data_keys": sorted(data_keys)}

    created_expect = expect("evt_1", "customer.created", 1, None, "cust_8f2a", None, ["customer", "sequence"])
    verify = [
        ok("customer.created", created, headers(m, T, sig), [SECRET], created_expect),
        ok("customer.updated carries the changed fields; header names in any casing", updated,
           headers(m, T, sign(SECRET, m, T, updated), ("Webhook-Id", "WEBHOOK-TIMESTAMP", "Webhook-Signature")),
           [SECRET], expect("evt_2", "customer.updated", 3, ["name", "email"], "cust_8f2a", None,
                            ["customer", "sequence", "changedFields"])),
        ok("svix-* headers are read too", created, headers(m, T, sig, ("svix-id", "svix-timestamp", "svix-signature")),
           [SECRET], created_expect),
        ok("rotation: two signatures sent, the receiver holds the new secret", created,
           headers(m, T, sign(OLD_SECRET, m, T, created) + " " + sig), [SECRET], created_expect),
        ok("rotation: one signature sent, the receiver holds old and new secrets", created,
           headers(m, T, sig), [OLD_SECRET, SECRET], created_expect),
        ok("entries of other versions are skipped", created, headers(m, T, "v2,AAAA " + sig), [SECRET],
           created_expect),
        ok("customers.imported carries the counts", imported, headers(m, T, sign(SECRET, m, T, imported)), [SECRET],
           expect("evt_3", "customers.imported", imported={"created": 2, "skipped": 1},
                  data_keys=["created", "skipped"])),
        ok("a type this SDK does not know is kept whole", unknown, headers(m, T, sign(SECRET, m, T, unknown)),
           [SECRET], expect("evt_4", "invoice.paid", data_keys=["invoice"])),
        err("the Standard Webhooks vector verifies, and its body is not an event", std_body,
            headers(std_id, T, sign(OLD_SECRET, std_id, T, std_body)), [OLD_SECRET], "invalid_payload",
            "no string `id`"),
        err("a signed body that is not JSON", "hello", headers(m, T, sign(SECRET, m, T, "hello")), [SECRET],
            "invalid_payload", "not JSON"),
        err("webhook-id missing", created, {"webhook-timestamp": str(T), "webhook-signature": sig}, [SECRET],
            "missing_header", "webhook-id header is missing"),
        err("webhook-signature missing", created, {"webhook-id": m, "webhook-timestamp": str(T)}, [SECRET],
            "missing_header", "webhook-signature header is missing"),
        err("a timestamp that is not a number", created, headers(m, "yesterday", sig), [SECRET], "invalid_header",
            "not a whole number"),
        err("no v1 signature in the header", created, headers(m, T, "v2,AAAA"), [SECRET], "invalid_header",
            "no `v1,<base64>` signature"),
        err("signed with another secret", created, headers(m, T, sign(OLD_SECRET, m, T, created)), [SECRET],
            "no_matching_signature", "raw request body"),
        err("the body was re-serialized after parsing", json.dumps(json.loads(created), indent=1),
            headers(m, T, sig), [SECRET], "no_matching_signature", "not parsed and serialized again"),
        err("a different webhook-id than was signed", created, headers("msg_other", T, sig), [SECRET],
            "no_matching_signature", "signing secret"),
        err("too old", created, headers(m, T, sig), [SECRET], "timestamp_too_old", "tolerance of 300 s", 300),
        err("too new", created, headers(m, FUTURE, sign(SECRET, m, FUTURE, created)), [SECRET], "timestamp_too_new",
            "in the future", 300),
        err("an API key instead of the secret", created, headers(m, T, sig), ["sk_test_abc123"], "invalid_secret",
            "an API key was given"),
        err("a secret with a trailing newline", created, headers(m, T, sig), [SECRET + "\n"], "invalid_secret",
            "whitespace"),
        err("a secret that is not base64", created, headers(m, T, sig), ["whsec_not*base64"], "invalid_secret",
            "not valid base64"),
        err("no secret at all", created, headers(m, T, sig), [], "invalid_secret", "no webhook secret"),
    ]
    out = {
        "description": (
            "Webhook verification (Standard Webhooks v1). `sign`: the signature each language's signing helper "
            "makes. `verify`: body (text, passed as its UTF-8 bytes), headers, secrets and tolerance (seconds); "
            "`expect` is the event read (`customer_id` the customer's id, `data_keys` the keys of data) or `error` "
            "the WebhookVerificationError, its `code` and words its message contains. `body_not_raw`: languages "
            "that can be handed a parsed object (Python dict, JavaScript object) must refuse it. Written by "
            "tests/vectors/webhooks.py."
        ),
        "sign": [
            {"name": "Standard Webhooks test vector", "secret": OLD_SECRET, "id": std_id, "timestamp": T,
             "body": std_body, "signature": "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw="},
            {"name": "a customer event", "secret": SECRET, "id": m, "timestamp": T, "body": created,
             "signature": sig},
        ],
        "verify": verify,
        "body_not_raw": {"body": json.loads(created), "headers": headers(m, T, sig), "secrets": [SECRET],
                         "error": {"code": "body_not_raw", "contains": "raw body"}},
    }
    assert out["sign"][0]["signature"] == sign(OLD_SECRET, std_id, T, std_body), "hmac disagrees with the standard"
    path = Path(__file__).with_name("webhooks.json")
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
