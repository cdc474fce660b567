-- The fields a user chose to publish are sealed with their data key
-- (internal/vault) like every other personal value: shown to everyone
-- while the account lives, unreadable in any copy of the database (a
-- backup taken before) once the key is destroyed by a deletion. New rows
-- keep value empty; rows written before this migration are sealed at the
-- next start (library.SealLeftovers), which then empties value.
ALTER TABLE public_profiles ADD COLUMN value_enc BLOB;
