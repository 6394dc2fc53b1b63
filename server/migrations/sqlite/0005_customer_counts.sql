-- Exact totals for customer lists without counting a million rows: each write
-- to customers adds a +1 or -1 row here through triggers, in the write's own
-- transaction, so a total is the sum of a tenant's rows for the filter's
-- columns. Appending instead of updating one counter row keeps concurrent
-- writers of one tenant from queueing on a lock (PostgreSQL) and imports from
-- deadlocking; the server folds each group's rows into one every second
-- (server/src/store/counts.rs). NULL country or currency is kept as ''.
CREATE TABLE customer_counts (
    id          INTEGER PRIMARY KEY,
    tenant_id   TEXT NOT NULL,
    country     TEXT NOT NULL,
    currency    TEXT NOT NULL,
    status      TEXT NOT NULL,
    unresolved  BOOLEAN NOT NULL,
    n           BIGINT NOT NULL
);
CREATE INDEX customer_counts_group ON customer_counts (tenant_id, country, currency, status, unresolved);

INSERT INTO customer_counts (tenant_id, country, currency, status, unresolved, n)
SELECT tenant_id, COALESCE(country, ''), COALESCE(currency, ''), status, external_id IS NULL, COUNT(*)
FROM customers WHERE deleted_at IS NULL
GROUP BY tenant_id, COALESCE(country, ''), COALESCE(currency, ''), status, external_id IS NULL;

CREATE TRIGGER customer_counts_insert AFTER INSERT ON customers
WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO customer_counts (tenant_id, country, currency, status, unresolved, n)
    VALUES (new.tenant_id, COALESCE(new.country, ''), COALESCE(new.currency, ''), new.status, new.external_id IS NULL, 1);
END;

CREATE TRIGGER customer_counts_delete AFTER DELETE ON customers
WHEN old.deleted_at IS NULL BEGIN
    INSERT INTO customer_counts (tenant_id, country, currency, status, unresolved, n)
    VALUES (old.tenant_id, COALESCE(old.country, ''), COALESCE(old.currency, ''), old.status, old.external_id IS NULL, -1);
END;

-- Only an update that moves a live customer between groups, or in or out of
-- the live ones, changes a count.
CREATE TRIGGER customer_counts_update_old AFTER UPDATE OF tenant_id, country, currency, status, external_id, deleted_at ON customers
WHEN old.deleted_at IS NULL AND (new.deleted_at IS NOT NULL OR old.tenant_id IS NOT new.tenant_id
    OR old.country IS NOT new.country OR old.currency IS NOT new.currency OR old.status IS NOT new.status
    OR (old.external_id IS NULL) IS NOT (new.external_id IS NULL)) BEGIN
    INSERT INTO customer_counts (tenant_id, country, currency, status, unresolved, n)
    VALUES (old.tenant_id, COALESCE(old.country, ''), COALESCE(old.currency, ''), old.status, old.external_id IS NULL, -1);
END;

CREATE TRIGGER customer_counts_update_new AFTER UPDATE OF tenant_id, country, currency, status, external_id, deleted_at ON customers
WHEN new.deleted_at IS NULL AND (old.deleted_at IS NOT NULL OR old.tenant_id IS NOT new.tenant_id
    OR old.country IS NOT new.country OR old.currency IS NOT new.currency OR old.status IS NOT new.status
    OR (old.external_id IS NULL) IS NOT (new.external_id IS NULL)) BEGIN
    INSERT INTO customer_counts (tenant_id, country, currency, status, unresolved, n)
    VALUES (new.tenant_id, COALESCE(new.country, ''), COALESCE(new.currency, ''), new.status, new.external_id IS NULL, 1);
END;
