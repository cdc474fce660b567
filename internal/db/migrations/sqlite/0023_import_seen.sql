-- import_batches.seen_at: when a running import last committed (Unix ms).
-- A batch "running" with no sign of life for importer.StaleAfter was
-- killed (an import command stopped with SIGKILL, a machine that went
-- down): it is shown as interrupted and its users can be invited.
ALTER TABLE import_batches ADD COLUMN seen_at BIGINT NOT NULL DEFAULT 0;
