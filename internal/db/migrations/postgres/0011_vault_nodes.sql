-- Which master keys each serving process holds (internal/vault nodes.go),
-- so `keys rotate` can refuse to make active a key that a live node lacks.
-- master_keys lists "id:fingerprint" pairs (a fingerprint is a truncated
-- hash of the key, never the key). A row not seen for two minutes is a
-- node that is gone; it is pruned.
CREATE TABLE vault_nodes (
	process_id  TEXT   PRIMARY KEY,
	host        TEXT   NOT NULL,
	pid         BIGINT NOT NULL,
	key_source  TEXT   NOT NULL,
	master_keys TEXT   NOT NULL,
	file_active TEXT   NOT NULL,
	started_at  BIGINT NOT NULL,
	seen_at     BIGINT NOT NULL
);
CREATE INDEX vault_nodes_seen ON vault_nodes (seen_at);
