-- PostgreSQL's copy of sqlite/migrations/011_milestone_readings.sql, table by table the same
-- (names, columns, meaning): integers are bigint, REAL double precision,
-- texts compare byte by byte (COLLATE "C", as SQLite's BINARY), integer
-- ids are identities BY DEFAULT (a copy may insert the same ids), foreign
-- keys are DEFERRABLE (INITIALLY IMMEDIATE unless SQLite's are deferred),
-- the append-only logs are kept so by trigger functions raising an error.

-- Issue 11 (SPEC 5): how an indicator's milestones are read (cumulative,
-- per period; '' = inferred) and the shape of its expected path (line,
-- steps; '' = the unit's default).
ALTER TABLE indicators ADD COLUMN milestones text COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE indicators ADD COLUMN path text COLLATE "C" NOT NULL DEFAULT '';
