-- PostgreSQL's copy of sqlite/migrations/012_iati_publisher.sql, table by table the same
-- (names, columns, meaning): integers are bigint, REAL double precision,
-- texts compare byte by byte (COLLATE "C", as SQLite's BINARY), integer
-- ids are identities BY DEFAULT (a copy may insert the same ids), foreign
-- keys are DEFERRABLE (INITIALLY IMMEDIATE unless SQLite's are deferred),
-- the append-only logs are kept so by trigger functions raising an error.

-- The IATI publisher details of the project that the project table does not
-- hold (issue 12): the reporting organisation's type and whether it is a
-- secondary reporter, and the activity dates as an IATI file gave them
-- (planned and actual apart; '' when not given); secondary_reporter is NULL
-- when the file did not say. One row when any is set.

CREATE TABLE iati_project (
	id                 bigint PRIMARY KEY CHECK (id = 1),
	reporting_org_type text COLLATE "C" NOT NULL DEFAULT '',
	secondary_reporter bigint CHECK (secondary_reporter IN (0, 1)),
	planned_start      text COLLATE "C" NOT NULL DEFAULT '',
	actual_start       text COLLATE "C" NOT NULL DEFAULT '',
	planned_end        text COLLATE "C" NOT NULL DEFAULT '',
	actual_end         text COLLATE "C" NOT NULL DEFAULT ''
);
