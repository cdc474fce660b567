-- Node numbers leased by running processes (issue 14 §7). Every row id
-- carries the number of the process that made it (internal/db/ids.go), so
-- several processes on one database never make the same id. A process
-- claims the lowest number that is free or whose lease expired, renews
-- it while it runs and gives it back when it stops; internal/db owns this
-- table's SQL (nodes.go).
--
-- expires_at is on the database's clock (PostgreSQL's, so nodes whose
-- clocks differ agree on it). id_floor is a millisecond the holder's ids
-- never pass: whoever takes the number next makes ids above it, so an id
-- made under the previous lease is never made again.
CREATE TABLE nodes (
	number     INTEGER PRIMARY KEY,
	owner      BIGINT  NOT NULL,
	expires_at BIGINT  NOT NULL,
	id_floor   BIGINT  NOT NULL
);
