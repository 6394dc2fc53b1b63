-- When the request that owns a pending key last said it is still running
-- (every 2 s, server/src/idempotency.rs): a pending key whose owner went
-- silent belongs to a server that died, and another request may take it over.
ALTER TABLE idempotency_keys ADD COLUMN alive_at BIGINT;
