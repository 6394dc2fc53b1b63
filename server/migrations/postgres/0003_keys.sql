-- Restricted and ephemeral keys (postgres). Mirrors migrations/sqlite/0003_keys.sql.
-- Every key stays one row of api_keys, found by the SHA-256 of its text.
-- `kind`: secret, restricted or ephemeral. `scopes`: a restricted key's,
-- space-separated. `customer_id`: an ephemeral key's customer. Keys made
-- before this migration keep working: they are secret keys, their id made
-- from their hash, without `last4` (only the hash was kept).
ALTER TABLE api_keys ADD COLUMN id TEXT;
ALTER TABLE api_keys ADD COLUMN kind TEXT NOT NULL DEFAULT 'secret';
ALTER TABLE api_keys ADD COLUMN livemode BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE api_keys ADD COLUMN name TEXT;
ALTER TABLE api_keys ADD COLUMN scopes TEXT;
ALTER TABLE api_keys ADD COLUMN customer_id TEXT;
ALTER TABLE api_keys ADD COLUMN last4 TEXT;
ALTER TABLE api_keys ADD COLUMN expires_at BIGINT;
ALTER TABLE api_keys ADD COLUMN last_used_at BIGINT;
UPDATE api_keys SET id = 'key_' || substr(key_hash, 1, 24), livemode = (prefix LIKE 'sk\_live\_%' ESCAPE '\');
CREATE UNIQUE INDEX api_keys_id ON api_keys (id);
