-- Issue 16: the reporting cycle and the framework's versions.
--
-- review_log is the append-only log of every approval, return, lock and
-- unlock: who (actor), when (recorded_at, RFC 3339 UTC with nanoseconds,
-- fixed width so that texts sort by time) and why (reason). A lock or an
-- unlock concerns a period; an approval or a return also concerns the
-- figures listed in review_figures (the revisions it approved or returned).
-- A period is locked when its latest lock or unlock entry is a lock; a
-- figure's review state is its latest approval or return (none: submitted).
-- Neither table is ever updated or deleted from (triggers below).

CREATE TABLE review_log (
	id           INTEGER PRIMARY KEY,
	action       TEXT NOT NULL CHECK (action IN ('approve', 'return', 'lock', 'unlock')),
	period       TEXT NOT NULL, -- canonical text, as Period.String prints it
	period_kind  INTEGER NOT NULL,
	period_start TEXT NOT NULL,
	period_end   TEXT NOT NULL,
	indicator    TEXT NOT NULL DEFAULT '', -- the --indicator the action was limited to
	file         TEXT NOT NULL DEFAULT '', -- the --file the action was limited to
	figures      INTEGER NOT NULL DEFAULT 0, -- figures approved or returned
	forced       INTEGER NOT NULL DEFAULT 0 CHECK (forced IN (0, 1)),
	unapproved   INTEGER NOT NULL DEFAULT 0, -- figures not approved when a forced lock was taken
	reason       TEXT NOT NULL DEFAULT '',
	actor        TEXT NOT NULL CHECK (actor <> ''),
	recorded_at  TEXT NOT NULL,
	CHECK (action NOT IN ('return', 'unlock') OR reason <> ''),
	CHECK (NOT forced OR reason <> '')
);

CREATE INDEX review_log_period ON review_log (period, id);

CREATE TABLE review_figures (
	entry       INTEGER NOT NULL REFERENCES review_log (id) ON DELETE RESTRICT,
	measurement INTEGER NOT NULL REFERENCES measurements (id) ON DELETE RESTRICT,
	PRIMARY KEY (entry, measurement)
);

CREATE INDEX review_figures_measurement ON review_figures (measurement, entry);

CREATE TRIGGER review_log_no_update BEFORE UPDATE ON review_log
BEGIN
	SELECT RAISE(ABORT, 'review_log is append-only: approvals, returns, locks and unlocks are never changed');
END;

CREATE TRIGGER review_log_no_delete BEFORE DELETE ON review_log
BEGIN
	SELECT RAISE(ABORT, 'review_log is append-only: approvals, returns, locks and unlocks are never deleted');
END;

CREATE TRIGGER review_figures_no_update BEFORE UPDATE ON review_figures
BEGIN
	SELECT RAISE(ABORT, 'review_figures is append-only: entries are never changed');
END;

CREATE TRIGGER review_figures_no_delete BEFORE DELETE ON review_figures
BEGIN
	SELECT RAISE(ABORT, 'review_figures is append-only: entries are never deleted');
END;

-- Every framework saved (SaveFramework), as the framework it left stored
-- (JSON of indicators.Framework, as loaded back): the report of a past date
-- uses the version in force then. The first version of a database migrated
-- with a framework already stored has saved_at '' (before the log began).
CREATE TABLE framework_versions (
	id       INTEGER PRIMARY KEY,
	saved_at TEXT NOT NULL, -- RFC 3339 UTC with nanoseconds, fixed width
	file     TEXT NOT NULL DEFAULT '',
	actor    TEXT NOT NULL DEFAULT '',
	body     TEXT NOT NULL
);

-- Why a version changed the framework: the --reason of the import or the
-- new rows of its RECORD OF CHANGES sheet.
CREATE TABLE framework_reasons (
	version     INTEGER NOT NULL REFERENCES framework_versions (id) ON DELETE RESTRICT,
	position    INTEGER NOT NULL,
	date        TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD
	label       TEXT NOT NULL DEFAULT '', -- the logframe's version ("2.0")
	level       TEXT NOT NULL DEFAULT '', -- what the change concerns ("outcome 3", "3.2.1")
	reason      TEXT NOT NULL CHECK (reason <> ''),
	reason_code TEXT NOT NULL DEFAULT '',
	approved_by TEXT NOT NULL DEFAULT '',
	src_file    TEXT NOT NULL DEFAULT '',
	src_sheet   TEXT NOT NULL DEFAULT '',
	src_row     INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (version, position)
);

-- What a version changed, one row per change of a baseline, target or
-- milestone, or an indicator or result added or removed.
CREATE TABLE framework_revisions (
	version  INTEGER NOT NULL REFERENCES framework_versions (id) ON DELETE RESTRICT,
	position INTEGER NOT NULL,
	code     TEXT NOT NULL,
	kind     TEXT NOT NULL, -- indicator, goal, outcome, output, activity
	field    TEXT NOT NULL, -- baseline, target, milestone 2021Q4, added, removed
	old      TEXT NOT NULL DEFAULT '',
	new      TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (version, position)
);

CREATE INDEX framework_revisions_code ON framework_revisions (code, version);

CREATE TRIGGER framework_versions_no_update BEFORE UPDATE ON framework_versions
BEGIN
	SELECT RAISE(ABORT, 'framework_versions is append-only: versions are never changed');
END;

CREATE TRIGGER framework_versions_no_delete BEFORE DELETE ON framework_versions
BEGIN
	SELECT RAISE(ABORT, 'framework_versions is append-only: versions are never deleted');
END;

CREATE TRIGGER framework_reasons_no_update BEFORE UPDATE ON framework_reasons
BEGIN
	SELECT RAISE(ABORT, 'framework_reasons is append-only: reasons are never changed');
END;

CREATE TRIGGER framework_reasons_no_delete BEFORE DELETE ON framework_reasons
BEGIN
	SELECT RAISE(ABORT, 'framework_reasons is append-only: reasons are never deleted');
END;

CREATE TRIGGER framework_revisions_no_update BEFORE UPDATE ON framework_revisions
BEGIN
	SELECT RAISE(ABORT, 'framework_revisions is append-only: revisions are never changed');
END;

CREATE TRIGGER framework_revisions_no_delete BEFORE DELETE ON framework_revisions
BEGIN
	SELECT RAISE(ABORT, 'framework_revisions is append-only: revisions are never deleted');
END;
