-- The budget of the framework (issue 7) and the expenditures imported from
-- finance exports. Budget lines are rewritten with the framework (in
-- SaveFramework's transaction). An expenditure is identified by its budget
-- line, result, category, period and reference; a correction is a new row
-- (a revision) and only the latest is current, as for measurements.

CREATE TABLE budget_project (
	id                   INTEGER PRIMARY KEY CHECK (id = 1),
	total_budget         REAL,
	in_kind              REAL,
	efficiency_threshold REAL
);

CREATE TABLE budget_lines (
	position    INTEGER PRIMARY KEY,
	code        TEXT NOT NULL DEFAULT '',
	result      TEXT NOT NULL DEFAULT '', -- '' for project-wide costs
	category    TEXT NOT NULL,
	amount      REAL NOT NULL CHECK (amount >= 0),
	currency    TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT '',
	src_file    TEXT NOT NULL DEFAULT '',
	src_sheet   TEXT NOT NULL DEFAULT '',
	src_row     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE expenditures (
	id           INTEGER PRIMARY KEY,
	line         TEXT NOT NULL DEFAULT '',
	result       TEXT NOT NULL DEFAULT '',
	category     TEXT NOT NULL DEFAULT '',
	period       TEXT NOT NULL, -- canonical text, as Period.String prints it
	period_kind  INTEGER NOT NULL,
	period_start TEXT NOT NULL,
	period_end   TEXT NOT NULL,
	reference    TEXT NOT NULL DEFAULT '',
	amount       REAL NOT NULL,
	currency     TEXT NOT NULL DEFAULT '',
	description  TEXT NOT NULL DEFAULT '',
	batch_id     INTEGER NOT NULL REFERENCES imports (id),
	file         TEXT NOT NULL DEFAULT '',
	sheet        TEXT NOT NULL DEFAULT '',
	row          INTEGER NOT NULL DEFAULT 0,
	revision     INTEGER NOT NULL,
	current      INTEGER NOT NULL DEFAULT 1 CHECK (current IN (0, 1)),
	UNIQUE (line, result, category, period, reference, revision)
);

CREATE UNIQUE INDEX expenditures_current ON expenditures (line, result, category, period, reference) WHERE current;
CREATE INDEX expenditures_batch ON expenditures (batch_id);
