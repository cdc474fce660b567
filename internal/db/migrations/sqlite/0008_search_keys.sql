-- PostgreSQL's 0008 rebuilds its GIN index over a function that declares
-- its cost to the planner. SQLite's FTS5 index (0003) needs no such
-- thing, and nothing changes here; the file keeps both engines at the same
-- migration number.
SELECT 1;
