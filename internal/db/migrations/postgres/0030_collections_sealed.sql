-- A collection's name is sealed with its owner's data key (internal/vault),
-- as the public profile is since 0029: what a teacher writes for
-- themselves (a private collection) or shows (a public one) is unreadable
-- in any copy of the database once a deletion destroys the key. New rows
-- keep title empty; rows written before are sealed at the next start
-- (library.SealLeftovers), which then empties title.
ALTER TABLE collections ADD COLUMN title_enc BYTEA;
