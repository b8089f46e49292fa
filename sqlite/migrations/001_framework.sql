-- The logframe of the one project a database holds. Every table keeps the
-- framework order in a position column and, where the object came from a
-- file, where: src_file, src_sheet, src_row. Dates are ISO text YYYY-MM-DD.
-- References inside the framework are deferred foreign keys, so that a whole
-- framework can be rewritten in one transaction in any order; child rows
-- (contributions, disaggregations, dimension values, milestones) go with
-- their owner.

CREATE TABLE project (
	id               INTEGER PRIMARY KEY CHECK (id = 1),
	code             TEXT NOT NULL,
	title            TEXT NOT NULL,
	start_date       TEXT NOT NULL,
	end_date         TEXT NOT NULL,
	donor            TEXT NOT NULL DEFAULT '',
	currency         TEXT NOT NULL DEFAULT '',
	reporting        TEXT NOT NULL DEFAULT '',
	year_start       INTEGER NOT NULL DEFAULT 0,
	status_rule      TEXT NOT NULL DEFAULT '',
	iati_identifier  TEXT NOT NULL DEFAULT '',
	reporting_org    TEXT NOT NULL DEFAULT '',
	reporting_org_id TEXT NOT NULL DEFAULT '',
	description      TEXT NOT NULL DEFAULT '',
	src_file         TEXT NOT NULL DEFAULT '',
	src_sheet        TEXT NOT NULL DEFAULT '',
	src_row          INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE results (
	code        TEXT PRIMARY KEY,
	position    INTEGER NOT NULL,
	level       TEXT NOT NULL CHECK (level IN ('goal', 'outcome', 'output', 'activity')),
	parent      TEXT REFERENCES results (code) ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,
	statement   TEXT NOT NULL DEFAULT '',
	assumptions TEXT NOT NULL DEFAULT '',
	src_file    TEXT NOT NULL DEFAULT '',
	src_sheet   TEXT NOT NULL DEFAULT '',
	src_row     INTEGER NOT NULL DEFAULT 0
);

-- An output contributing to other outcomes than its parent.
CREATE TABLE result_contributions (
	result   TEXT NOT NULL REFERENCES results (code) ON UPDATE CASCADE ON DELETE CASCADE,
	position INTEGER NOT NULL,
	outcome  TEXT NOT NULL REFERENCES results (code) ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,
	PRIMARY KEY (result, position)
);

CREATE TABLE indicators (
	code                  TEXT PRIMARY KEY,
	position              INTEGER NOT NULL,
	result                TEXT REFERENCES results (code) ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,
	name                  TEXT NOT NULL DEFAULT '',
	definition            TEXT NOT NULL DEFAULT '',
	unit                  TEXT NOT NULL,
	direction             TEXT NOT NULL DEFAULT '',
	baseline              REAL,
	baseline_text         TEXT NOT NULL DEFAULT '',
	baseline_date         TEXT,
	target                REAL,
	target_text           TEXT NOT NULL DEFAULT '',
	aggregation           TEXT NOT NULL DEFAULT '',
	formula               TEXT NOT NULL DEFAULT '',
	numerator             TEXT NOT NULL DEFAULT '',
	denominator           TEXT NOT NULL DEFAULT '',
	status_rule           TEXT NOT NULL DEFAULT '',
	data_source           TEXT NOT NULL DEFAULT '',
	collection_method     TEXT NOT NULL DEFAULT '',
	frequency             TEXT NOT NULL DEFAULT '',
	responsible           TEXT NOT NULL DEFAULT '',
	means_of_verification TEXT NOT NULL DEFAULT '',
	notes                 TEXT NOT NULL DEFAULT '',
	src_file              TEXT NOT NULL DEFAULT '',
	src_sheet             TEXT NOT NULL DEFAULT '',
	src_row               INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX indicators_result ON indicators (result);

-- The dimensions an indicator is disaggregated by, as the framework names them.
CREATE TABLE indicator_dimensions (
	indicator TEXT NOT NULL REFERENCES indicators (code) ON UPDATE CASCADE ON DELETE CASCADE,
	position  INTEGER NOT NULL,
	dimension TEXT NOT NULL,
	PRIMARY KEY (indicator, position)
);

CREATE TABLE milestones (
	id           INTEGER PRIMARY KEY,
	indicator    TEXT NOT NULL REFERENCES indicators (code) ON UPDATE CASCADE ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
	period       TEXT NOT NULL, -- canonical text, as Period.String prints it
	dims         TEXT NOT NULL DEFAULT '', -- Disagg.Key(); '' for the total
	position     INTEGER NOT NULL,
	period_kind  INTEGER NOT NULL,
	period_start TEXT NOT NULL,
	period_end   TEXT NOT NULL,
	target       REAL NOT NULL DEFAULT 0,
	target_text  TEXT NOT NULL DEFAULT '',
	src_file     TEXT NOT NULL DEFAULT '',
	src_sheet    TEXT NOT NULL DEFAULT '',
	src_row      INTEGER NOT NULL DEFAULT 0,
	UNIQUE (indicator, period, dims)
);

CREATE TABLE dimensions (
	name      TEXT PRIMARY KEY,
	position  INTEGER NOT NULL,
	src_file  TEXT NOT NULL DEFAULT '',
	src_sheet TEXT NOT NULL DEFAULT '',
	src_row   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE dimension_values (
	dimension TEXT NOT NULL REFERENCES dimensions (name) ON UPDATE CASCADE ON DELETE CASCADE,
	position  INTEGER NOT NULL,
	value     TEXT NOT NULL,
	PRIMARY KEY (dimension, position)
);

CREATE TABLE rules (
	code       TEXT PRIMARY KEY,
	position   INTEGER NOT NULL,
	check_expr TEXT NOT NULL,
	severity   TEXT NOT NULL DEFAULT 'error',
	message    TEXT NOT NULL DEFAULT '',
	src_file   TEXT NOT NULL DEFAULT '',
	src_sheet  TEXT NOT NULL DEFAULT '',
	src_row    INTEGER NOT NULL DEFAULT 0
);
