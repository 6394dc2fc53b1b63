-- Exact totals for customer lists without counting a million rows: each write
-- to customers adds a +1 or -1 row here through a trigger, in the write's own
-- transaction, so a total is the sum of a tenant's rows for the filter's
-- columns. Appending instead of updating one counter row keeps concurrent
-- writers of one tenant from queueing on a lock and imports from deadlocking;
-- the server folds each group's rows into one every second
-- (server/src/store/counts.rs). NULL country or currency is kept as ''.
CREATE TABLE customer_counts (
    id          BIGSERIAL PRIMARY KEY,
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

CREATE FUNCTION customer_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Only a write that moves a live customer between groups, or in or out of
    -- the live ones, changes a count.
    IF TG_OP = 'UPDATE' THEN
        IF (old.deleted_at IS NULL) = (new.deleted_at IS NULL)
            AND old.tenant_id = new.tenant_id AND old.country IS NOT DISTINCT FROM new.country
            AND old.currency IS NOT DISTINCT FROM new.currency AND old.status = new.status
            AND (old.external_id IS NULL) = (new.external_id IS NULL) THEN
            RETURN NULL;
        END IF;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        IF old.deleted_at IS NULL THEN
            INSERT INTO customer_counts (tenant_id, country, currency, status, unresolved, n)
            VALUES (old.tenant_id, COALESCE(old.country, ''), COALESCE(old.currency, ''), old.status, old.external_id IS NULL, -1);
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF new.deleted_at IS NULL THEN
            INSERT INTO customer_counts (tenant_id, country, currency, status, unresolved, n)
            VALUES (new.tenant_id, COALESCE(new.country, ''), COALESCE(new.currency, ''), new.status, new.external_id IS NULL, 1);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER customer_counts_track AFTER INSERT OR DELETE OR UPDATE OF tenant_id, country, currency, status, external_id, deleted_at
ON customers FOR EACH ROW EXECUTE FUNCTION customer_counts_track();
