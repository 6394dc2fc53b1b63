"""Writes the committed seed corpus (fuzz/corpus/<target>/) from the shared
vectors in tests/vectors, in each target's input format (see its header):

    python3 fuzz/seeds.py
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VECTORS = ROOT / "tests" / "vectors"
CORPUS = ROOT / "fuzz" / "corpus"

VALIDATE_OPS = ["customer_create", "customer_update", "list_params", "page_params", "bind", "stripe_import", "invoice_create", "subscription_create", "customer_id"]
DECODE_TYPES = ["customer", "customer_page", "deleted", "import_result", "invoice", "invoice_list", "subscription", "subscription_list", "event"]


def load(name: str) -> dict:
    return json.loads((VECTORS / f"{name}.json").read_text())


def seeds() -> dict[str, list[bytes]]:
    out: dict[str, list[bytes]] = {"validate": [], "decode": [], "error_body": [], "webhook_verify": []}
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
