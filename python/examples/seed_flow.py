"""The customer guides' flows in Python, against a running server.

NOVABILLING_API_KEY=sk_test_... NOVABILLING_BASE_URL=http://localhost:3000 python seed_flow.py
"""

from __future__ import annotations

import novabilling
from novabilling import NovaBilling

# Your application's users, by email (the BillingOS migration guide's `db.users`).
USERS = {"alice@example.com": "user_alice", "bob@example.com": "user_bob"}


def main() -> None:
    with NovaBilling() as client:
        # A rerun after an interrupted one finds its customers still there: start clean.
        for external_id in ("usr_98765", "user_123"):
            try:
                client.customers.delete(client.customers.get_by_external_id(external_id).id)
            except novabilling.NotFoundError:
                pass

        # NovaBilling: create, update, list, search, get, delete.
        customer = client.customers.create(
            external_id="usr_98765",
            email="sarah@kampaltech.ug",
            name="Nakato Sarah",
            country="UG",
            currency="UGX",
            metadata={"user_id": "usr_98765", "account_type": "business"},
        )
        print(f"Customer created: {customer.id}")

        updated = client.customers.update(
            customer.id,
            name="Nakato Sarah Williams",
            metadata={"user_id": "usr_98765", "account_type": "enterprise", "upgrade_date": "2025-03-01"},
        )
        print(f"Updated: {updated.name}")

        customers = client.customers.list(page=1, limit=20)
        print(f"Showing {len(customers.data)} of {customers.total} customers")
        for c in client.customers.list(search="sarah", page=1, limit=20).data:
            print(f"{c.name} - {c.email}")
        print(client.customers.get(customer.id))

        try:
            client.customers.create(external_id="usr_other", email="SARAH@kampaltech.ug")
        except novabilling.ConflictError as e:
            print(f"Duplicate refused: {e.code} (request {e.request_id})")

        # BillingOS: a B2B customer keyed by your user and organization ids.
        jane = client.customers.create(
            external_id="user_123",
            external_organization_id="org_acme",
            email="jane@example.com",
            name="Jane Smith",
            metadata={"company": "Acme Inc"},
        )
        found = client.customers.get_by_external_id("user_123")
        print(f"Found by external id: {found.id} ({found.external_organization_id})")

        # Migrating from Stripe: import, then bind each unresolved customer to your user.
        result = client.customers.import_stripe([
            {"id": "cus_py_alice", "email": "alice@example.com", "name": "Alice", "currency": "usd"},
            {"id": "cus_py_bob", "email": "bob@example.com", "name": "Bob", "address": {"country": "us"}},
        ])
        print(f"Stripe import: {result.created} created, {result.skipped} skipped")
        for c in list(client.customers.list_unresolved()):  # binding shifts pages: read them first
            user_id = USERS.get(c.email or "")
            if user_id is None:
                continue
            try:
                client.customers.bind(c.id, user_id)
                print(f"Bound {c.id} to {user_id}")
            except novabilling.ConflictError:
                print(f"Already bound: {user_id}")

        client.customers.delete(customer.id)
        print("Customer deleted")
        client.customers.delete(jane.id)


if __name__ == "__main__":
    main()
