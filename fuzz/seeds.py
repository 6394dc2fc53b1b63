"""Writes the committed seed corpus (fuzz/corpus/<target>/) from the shared
vectors in tests/vectors, in each target's input format (see its header):

    python3 fuzz/seeds.py
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from urllib.parse import urlencode
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VECTORS = ROOT / "tests" / "vectors"
CORPUS = ROOT / "fuzz" / "corpus"

VALIDATE_OPS = ["customer_create", "customer_update", "list_params", "page_params", "bind", "stripe_import", "invoice_create", "subscription_create", "customer_id"]
# The route each validation op's input is the body (or, for GETs, the query) of.
OP_ROUTES = {
    "customer_create": "POST /api/customers",
    "customer_update": "PATCH /api/customers/{id}",
    "list_params": "GET /api/customers",
    "page_params": "GET /api/customers/unresolved",
    "bind": "POST /api/customers/{id}/bind",
    "stripe_import": "POST /api/customers/import/stripe",
    "invoice_create": "POST /api/invoices",
    "subscription_create": "POST /api/subscriptions",
}
DECODE_TYPES = ["customer", "customer_page", "deleted", "import_result", "invoice", "invoice_list", "subscription", "subscription_list", "event"]


def load(name: str) -> dict:
    return json.loads((VECTORS / f"{name}.json").read_text())


def seeds() -> dict[str, list[bytes]]:
    out: dict[str, list[bytes]] = {"validate": [], "decode": [], "error_body": [], "webhook_verify": [], "server_request": []}
    for c in load("validation")["cases"]:
        op = VALIDATE_OPS.index(c["op"])
        text = c["input"] if c["op"] == "customer_id" else json.dumps(c["input"])
        out["validate"].append(bytes([op]) + text.encode())
    for c in load("decoding")["cases"]:
        out["decode"].append(bytes([DECODE_TYPES.index(c["type"])]) + json.dumps(c["body"]).encode())
    for c in load("errors")["cases"]:
        body = c["body"] if isinstance(c["body"], str) else json.dumps(c["body"])
        out["error_body"].append((c["status"] - 100).to_bytes(2, "big") + body.encode())
    hooks = load("webhooks")
    for c in hooks["verify"]:
        headers = "\n".join(f"{k}: {v}" for k, v in c["headers"].items())
        out["webhook_verify"].append(c["body"].encode() + b"\0" + headers.encode() + b"\0" + "\n".join(c["secrets"]).encode())
        out["decode"].append(bytes([DECODE_TYPES.index("event")]) + c["body"].encode())
    out["server_request"] = server_requests()
    return out


def routes() -> list[str]:
    """Every route: the SDK's (tests/surface.json) and the server's own (docs/SERVER-API.md's tables)."""
    surface = json.loads((ROOT / "tests" / "surface.json").read_text())
    found = {m["route"] for r in surface["resources"] for m in r["methods"]}
    table = (ROOT / "docs" / "SERVER-API.md").read_text()
    found |= set(re.findall(r"^\| `((?:GET|POST|PATCH|PUT|DELETE) /api/[^`]*)`", table, re.M))
    return sorted(found)


def request(route: str, body: str = "", headers: tuple[str, ...] = ("Content-Type: application/json",)) -> bytes:
    """One server_request input: the request line, headers, a blank line, the body."""
    return "\n".join([route, *headers]).encode() + b"\n\n" + body.encode()


def server_requests() -> list[bytes]:
    """A request per route, and each validation vector as its route's body or query."""
    out = [request(r, "{}" if r.startswith(("POST", "PATCH")) else "") for r in routes()]
    for c in load("validation")["cases"]:
        route = OP_ROUTES.get(c["op"])
        if route is None:
            continue
        if route.startswith("GET"):
            query = {k: v if isinstance(v, str) else json.dumps(v) for k, v in c["input"].items()} if isinstance(c["input"], dict) else {}
            out.append(request(f"{route}?{urlencode(query)}", headers=()))
        else:
            out.append(request(route, json.dumps(c["input"])))
    return out


def main() -> None:
    for target, inputs in seeds().items():
        folder = CORPUS / target
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for data in inputs:
            (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)
        print(f"{target}: {len(inputs)} seeds")


if __name__ == "__main__":
    main()
