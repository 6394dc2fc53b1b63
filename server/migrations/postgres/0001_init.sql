-- NovaBilling server schema (PostgreSQL). Mirrors migrations/sqlite/0001_init.sql.
-- Timestamps are integer milliseconds since the Unix epoch; money is integer minor units.
-- Text that is sorted or searched uses COLLATE "C" so the order is the same as SQLite's.

CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL
);

CREATE TABLE api_keys (
    key_hash    TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    prefix      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE customers (
    id                        TEXT COLLATE "C" PRIMARY KEY,
    tenant_id                 TEXT NOT NULL REFERENCES tenants(id),
    external_id               TEXT COLLATE "C",
    external_organization_id  TEXT,
    email                     TEXT COLLATE "C",
    email_lc                  TEXT COLLATE "C",
    name                      TEXT COLLATE "C",
    country                   TEXT,
    currency                  TEXT,
    status                    TEXT NOT NULL,
    metadata                  TEXT NOT NULL,
    stripe_customer_id        TEXT,
    search_lc                 TEXT COLLATE "C" NOT NULL,
    version                   BIGINT NOT NULL,
    created_at                BIGINT NOT NULL,
    updated_at                BIGINT NOT NULL,
    deleted_at                BIGINT
);
CREATE UNIQUE INDEX customers_email_uq ON customers (tenant_id, email_lc) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX customers_external_id_uq ON customers (tenant_id, external_id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX customers_stripe_uq ON customers (tenant_id, stripe_customer_id) WHERE deleted_at IS NULL;
CREATE INDEX customers_by_created ON customers (tenant_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_by_updated ON customers (tenant_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_by_name ON customers (tenant_id, name, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_by_email ON customers (tenant_id, email, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_unresolved ON customers (tenant_id, created_at, id) WHERE deleted_at IS NULL AND external_id IS NULL;

-- Substring search: a trigram index when pg_trgm can be installed (it is a trusted
-- extension since PostgreSQL 13); without it search still works, by scanning.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXECUTE 'CREATE INDEX customers_search_trgm ON customers USING gin (search_lc gin_trgm_ops) WHERE deleted_at IS NULL';
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm unavailable (%); customer search will scan', SQLERRM;
END
$$;

CREATE TABLE subscriptions (
    id           TEXT COLLATE "C" PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    customer_id  TEXT COLLATE "C" NOT NULL REFERENCES customers(id),
    plan_id      TEXT NOT NULL,
    status       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    canceled_at  BIGINT
);
CREATE INDEX subscriptions_customer ON subscriptions (customer_id, status);

CREATE TABLE invoices (
    id            TEXT COLLATE "C" PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    customer_id   TEXT COLLATE "C" NOT NULL REFERENCES customers(id),
    amount_minor  BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    paid_at       BIGINT,
    voided_at     BIGINT
);
CREATE INDEX invoices_customer ON invoices (customer_id, status, currency);

CREATE TABLE idempotency_keys (
    tenant_id   TEXT NOT NULL,
    idem_key    TEXT NOT NULL,
    method      TEXT NOT NULL,
    path        TEXT NOT NULL,
    body_hash   TEXT NOT NULL,
    state       TEXT NOT NULL,
    status      BIGINT,
    headers     TEXT,
    body        TEXT,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

CREATE TABLE rate_limits (
    tenant_id     TEXT NOT NULL,
    window_start  BIGINT NOT NULL,
    count         BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, window_start)
);
