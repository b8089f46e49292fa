-- The IATI publisher details of the project that the project table does not
-- hold (issue 12): the reporting organisation's type and whether it is a
-- secondary reporter, and the activity dates as an IATI file gave them
-- (planned and actual apart; '' when not given); secondary_reporter is NULL
-- when the file did not say. One row when any is set.

CREATE TABLE iati_project (
	id                 INTEGER PRIMARY KEY CHECK (id = 1),
	reporting_org_type TEXT NOT NULL DEFAULT '',
	secondary_reporter INTEGER CHECK (secondary_reporter IN (0, 1)),
	planned_start      TEXT NOT NULL DEFAULT '',
	actual_start       TEXT NOT NULL DEFAULT '',
	planned_end        TEXT NOT NULL DEFAULT '',
	actual_end         TEXT NOT NULL DEFAULT ''
);
