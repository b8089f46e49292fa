-- Issue 11 (SPEC 5): how an indicator's milestones are read (cumulative,
-- per period; '' = inferred) and the shape of its expected path (line,
-- steps; '' = the unit's default).
ALTER TABLE indicators ADD COLUMN milestones TEXT NOT NULL DEFAULT '';
ALTER TABLE indicators ADD COLUMN path TEXT NOT NULL DEFAULT '';
