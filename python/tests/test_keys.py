"""Keys through the SDK against the real server: restricted keys and their
scopes, ephemeral keys for one customer, revocation, expiry, and the checks
core makes before any request."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from novabilling import AsyncNovaBilling, AuthenticationError, NotFoundError, NovaBilling, PermissionDeniedError, ValidationError


def as_key(server: Any, secret: str) -> NovaBilling:
    return NovaBilling(token=secret, base_url=server.url, max_retries=0)


def test_a_restricted_key_does_what_its_scopes_allow(server: Any, client: NovaBilling) -> None:
    made = client.keys.create(scopes=["customers:read"], name="reader", expires_in=3600)
    assert made.kind == "restricted" and made.scopes == ["customers:read"] and made.name == "reader"
    assert made.secret is not None and made.secret.startswith("rk_test_") and made.secret.endswith(made.last4 or "-")
    assert made.expires_at is not None
    reader = as_key(server, made.secret)
    assert reader.customers.list().total == 0
    with pytest.raises(PermissionDeniedError) as e:
        reader.customers.create(external_id="u1", email="u1@example.com")
    assert e.value.status == 403 and e.value.code == "insufficient_scope"
    assert e.value.required_scope == "customers:write"
    listed = client.keys.list()
    assert [k.id for k in listed if k.kind == "restricted"] == [made.id]
    assert all(k.secret is None for k in listed)
    revoked = client.keys.revoke(made.id)
    assert revoked.revoked_at is not None
    with pytest.raises(AuthenticationError) as a:
        reader.customers.list()
    assert a.value.code == "revoked_api_key"


def test_a_backend_mints_an_ephemeral_key_for_its_user(server: Any, client: NovaBilling) -> None:
    c = client.customers.create(external_id="usr_app", email="app@example.com")
    other = client.customers.create(external_id="usr_other", email="other@example.com")
    eph = client.keys.create_ephemeral_for_external_id("usr_app", ttl=600)
    assert eph.customer_id == c.id and eph.secret is not None and eph.secret.startswith("ek_test_")
    assert 595 <= (eph.expires_at - eph.created_at).total_seconds() <= 600
    app = as_key(server, eph.secret)
    assert app.customers.get(c.id).email == "app@example.com"
    assert app.customers.get_by_external_id("usr_app").id == c.id
    assert app.customers.update(c.id, name="Nakato", country="ug").country == "UG"
    with pytest.raises(PermissionDeniedError) as e:
        app.customers.update(c.id, metadata={"plan": "pro"})
    assert e.value.required_scope == "customers:write"
    with pytest.raises(NotFoundError):
        app.customers.get(other.id)
    with pytest.raises(PermissionDeniedError) as d:
        app.customers.delete(c.id)
    assert d.value.required_scope == "customers:delete"
    client.keys.revoke_ephemeral(eph.id)
    with pytest.raises(AuthenticationError):
        app.customers.get(c.id)


def test_an_ephemeral_key_expires(server: Any, client: NovaBilling) -> None:
    c = client.customers.create(external_id="usr_short", email="short@example.com")
    eph = client.keys.create_ephemeral(c.id, ttl=1)
    assert eph.secret is not None
    app = as_key(server, eph.secret)
    app.customers.get(c.id)
    time.sleep(1.1)
    with pytest.raises(AuthenticationError) as e:
        app.customers.get(c.id)
    assert e.value.code == "expired_api_key"


def test_bad_key_input_fails_before_any_request(client: NovaBilling) -> None:
    with pytest.raises(ValidationError) as e:
        client.keys.create(scopes=["customers:fly"])
    assert e.value.field == "scopes"
    with pytest.raises(ValidationError) as t:
        client.keys.create_ephemeral("cust_1", ttl=90_000)
    assert t.value.field == "expiresIn"
    with pytest.raises(ValidationError) as z:
        client.keys.create_ephemeral("cust_1", ttl=0)
    assert z.value.field == "ttl"


def test_a_mistyped_key_is_refused_by_its_checksum(server: Any) -> None:
    key = server.new_key()
    typo = key[:-8] + ("A" if key[-8] != "A" else "B") + key[-7:]
    with pytest.raises(ValidationError) as e:
        NovaBilling(token=typo, base_url=server.url)
    assert e.value.field == "token" and "checksum" in str(e.value)
    # Python runs on servers: a secret key is accepted without allow_secret_key.
    NovaBilling(token=key, base_url=server.url)


def test_async_keys(aclient: AsyncNovaBilling) -> None:
    async def run() -> None:
        c = await aclient.customers.create(external_id="usr_async", email="async@example.com")
        eph = await aclient.keys.create_ephemeral(c.id)
        assert (eph.expires_at - eph.created_at).total_seconds() == 3600
        assert [k.kind for k in await aclient.keys.list()] == ["secret"]

    asyncio.run(run())
