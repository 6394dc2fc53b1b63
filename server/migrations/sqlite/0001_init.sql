-- NovaBilling server schema (SQLite). Mirrors migrations/postgres/0001_init.sql.
-- Timestamps are integer milliseconds since the Unix epoch; money is integer minor units.

CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL
);

-- Only the sha256 (hex) of a key is stored; lookups go through the primary key.
CREATE TABLE api_keys (
    key_hash    TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    prefix      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

-- `seq` is the stable rowid that the full-text index points at (VACUUM keeps it).
CREATE TABLE customers (
    seq                       INTEGER PRIMARY KEY,
    id                        TEXT NOT NULL UNIQUE,
    tenant_id                 TEXT NOT NULL REFERENCES tenants(id),
    external_id               TEXT,
    external_organization_id  TEXT,
    email                     TEXT,
    email_lc                  TEXT,
    name                      TEXT,
    country                   TEXT,
    currency                  TEXT,
    status                    TEXT NOT NULL,
    metadata                  TEXT NOT NULL,
    stripe_customer_id        TEXT,
    search_lc                 TEXT NOT NULL,
    version                   BIGINT NOT NULL,
    created_at                BIGINT NOT NULL,
    updated_at                BIGINT NOT NULL,
    deleted_at                BIGINT
);
-- Uniqueness holds among live customers only: a delete frees the email and externalId.
CREATE UNIQUE INDEX customers_email_uq ON customers (tenant_id, email_lc) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX customers_external_id_uq ON customers (tenant_id, external_id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX customers_stripe_uq ON customers (tenant_id, stripe_customer_id) WHERE deleted_at IS NULL;
-- Sort orders of the list route (ties broken by id).
CREATE INDEX customers_by_created ON customers (tenant_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_by_updated ON customers (tenant_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_by_name ON customers (tenant_id, name, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_by_email ON customers (tenant_id, email, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_unresolved ON customers (tenant_id, created_at, id) WHERE deleted_at IS NULL AND external_id IS NULL;

-- Substring search: a trigram index over the lower-cased name, email and externalId.
CREATE VIRTUAL TABLE customers_fts USING fts5 (
    search_lc,
    content = 'customers',
    content_rowid = 'seq',
    tokenize = 'trigram case_sensitive 1'
);
CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts (rowid, search_lc) VALUES (new.seq, new.search_lc);
END;
CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, search_lc) VALUES ('delete', old.seq, old.search_lc);
END;
CREATE TRIGGER customers_fts_update AFTER UPDATE OF search_lc ON customers
WHEN old.search_lc IS NOT new.search_lc BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, search_lc) VALUES ('delete', old.seq, old.search_lc);
    INSERT INTO customers_fts (rowid, search_lc) VALUES (new.seq, new.search_lc);
END;

CREATE TABLE subscriptions (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    customer_id  TEXT NOT NULL REFERENCES customers(id),
    plan_id      TEXT NOT NULL,
    status       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    canceled_at  BIGINT
);
CREATE INDEX subscriptions_customer ON subscriptions (customer_id, status);

CREATE TABLE invoices (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    customer_id   TEXT NOT NULL REFERENCES customers(id),
    amount_minor  BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    paid_at       BIGINT,
    voided_at     BIGINT
);
CREATE INDEX invoices_customer ON invoices (customer_id, status, currency);

-- Idempotency-Key store: one row per (tenant, key), 'pending' while the first request runs.
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

-- Fixed one-minute windows per tenant (used on PostgreSQL; SQLite counts in process).
CREATE TABLE rate_limits (
    tenant_id     TEXT NOT NULL,
    window_start  BIGINT NOT NULL,
    count         BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, window_start)
);
