-- Webhooks (SQLite). Mirrors migrations/postgres/0002_webhooks.sql.
-- Timestamps are integer milliseconds since the Unix epoch.

-- `event_types` is a JSON array of event types; `[]` subscribes to every type.
-- While a secret is rotated, `previous_secret` still signs until its expiry.
CREATE TABLE webhook_endpoints (
    id                          TEXT PRIMARY KEY,
    tenant_id                   TEXT NOT NULL REFERENCES tenants(id),
    url                         TEXT NOT NULL,
    event_types                 TEXT NOT NULL,
    enabled                     BOOLEAN NOT NULL,
    description                 TEXT,
    secret                      TEXT NOT NULL,
    previous_secret             TEXT,
    previous_secret_expires_at  BIGINT,
    disabled_reason             TEXT,
    failing_since               BIGINT,
    created_at                  BIGINT NOT NULL,
    updated_at                  BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, created_at, id);

-- One row per change, written in the change's transaction; `payload` is the
-- exact body every delivery of it sends.
CREATE TABLE events (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id),
    type         TEXT NOT NULL,
    customer_id  TEXT,
    sequence     BIGINT,
    payload      TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX events_by_created ON events (tenant_id, created_at, id);
CREATE INDEX events_by_type ON events (tenant_id, type, created_at, id);
CREATE INDEX events_by_customer ON events (tenant_id, customer_id, created_at, id) WHERE customer_id IS NOT NULL;
CREATE INDEX events_created ON events (created_at);

-- The delivery outbox: one row per (event, endpoint) to deliver, and one more
-- per redelivery. A worker owns a row while `lease_until` is in the future.
CREATE TABLE webhook_messages (
    id               INTEGER PRIMARY KEY,
    event_id         TEXT NOT NULL,
    endpoint_id      TEXT NOT NULL,
    state            TEXT NOT NULL,
    attempts         BIGINT NOT NULL,
    next_attempt_at  BIGINT NOT NULL,
    lease_owner      TEXT,
    lease_until      BIGINT,
    last_status      BIGINT,
    created_at       BIGINT NOT NULL,
    delivered_at     BIGINT
);
CREATE INDEX webhook_messages_due ON webhook_messages (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX webhook_messages_endpoint ON webhook_messages (endpoint_id, state);
CREATE INDEX webhook_messages_event ON webhook_messages (event_id);
CREATE INDEX webhook_messages_created ON webhook_messages (created_at);

-- The enabled endpoints that take each event (an empty list takes all). Types
-- hold no `%` or `_`, so `LIKE` matches exactly the quoted type inside the
-- JSON array. The one place that says who gets an event: the trigger below
-- and redelivery (store/events.rs) both read it.
CREATE VIEW event_endpoints AS
    SELECT e.id AS event_id, e.created_at AS event_created_at, w.id AS endpoint_id
    FROM events e JOIN webhook_endpoints w ON w.tenant_id = e.tenant_id
    WHERE w.enabled AND (w.event_types = '[]' OR w.event_types LIKE '%"' || e.type || '"%');

-- Each new event's outbox rows, written by its own INSERT: a statement fewer
-- per change (on SQLite every statement is a round trip to sqlx's worker
-- thread; this one cost a third of the create rate).
CREATE TRIGGER events_queue AFTER INSERT ON events BEGIN
    INSERT INTO webhook_messages (event_id, endpoint_id, state, attempts, next_attempt_at, created_at)
    SELECT event_id, endpoint_id, 'pending', 0, event_created_at, event_created_at
    FROM event_endpoints WHERE event_id = NEW.id;
END;

-- Every delivery attempt, for GET /api/webhook-endpoints/{id}/deliveries.
CREATE TABLE webhook_attempts (
    id           INTEGER PRIMARY KEY,
    message_id   BIGINT NOT NULL,
    event_id     TEXT NOT NULL,
    endpoint_id  TEXT NOT NULL,
    attempt      BIGINT NOT NULL,
    status       BIGINT,
    duration_ms  BIGINT NOT NULL,
    error        TEXT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, created_at, id);
CREATE INDEX webhook_attempts_created ON webhook_attempts (created_at);
