-- The follow-up of evaluations: the management response matrix. An
-- evaluation has recommendations, a recommendation has key actions, an
-- action has linked logframe codes and a log of dated monitoring comments
-- and status changes. The matrix tables hold the matrix as last imported;
-- the log only grows: its rows are never updated or deleted (triggers below).

CREATE TABLE evaluations (
	id          INTEGER PRIMARY KEY,
	title       TEXT NOT NULL UNIQUE,
	date        TEXT, -- YYYY-MM-DD, NULL when not given
	src_file    TEXT NOT NULL DEFAULT '',
	src_sheet   TEXT NOT NULL DEFAULT '',
	imported_at TEXT NOT NULL -- RFC 3339, UTC, of the last import that changed it
);

CREATE TABLE recommendations (
	id           INTEGER PRIMARY KEY,
	evaluation   INTEGER NOT NULL REFERENCES evaluations (id) ON DELETE RESTRICT,
	position     INTEGER NOT NULL,
	number       TEXT NOT NULL,
	text         TEXT NOT NULL CHECK (text <> ''),
	addressed_to TEXT NOT NULL DEFAULT '',
	priority     INTEGER NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 3),
	response     TEXT NOT NULL CHECK (response IN ('accepted', 'partially accepted', 'rejected')),
	reason       TEXT NOT NULL DEFAULT '',
	src_file     TEXT NOT NULL DEFAULT '',
	src_sheet    TEXT NOT NULL DEFAULT '',
	src_row      INTEGER NOT NULL DEFAULT 0,
	UNIQUE (evaluation, number)
);

-- number is unique within an evaluation ("2.1"); deadline is the canonical
-- text of indicators.Deadline, which reads back with ParseDeadline.
CREATE TABLE actions (
	id             INTEGER PRIMARY KEY,
	evaluation     INTEGER NOT NULL REFERENCES evaluations (id) ON DELETE RESTRICT,
	recommendation INTEGER NOT NULL REFERENCES recommendations (id) ON DELETE RESTRICT,
	position       INTEGER NOT NULL,
	number         TEXT NOT NULL,
	text           TEXT NOT NULL CHECK (text <> ''),
	deadline       TEXT NOT NULL DEFAULT '',
	responsible    TEXT NOT NULL DEFAULT '',
	src_file       TEXT NOT NULL DEFAULT '',
	src_sheet      TEXT NOT NULL DEFAULT '',
	src_row        INTEGER NOT NULL DEFAULT 0,
	UNIQUE (evaluation, number)
);

CREATE INDEX actions_recommendation ON actions (recommendation);

-- Linked result, activity or indicator codes. Not a foreign key: the
-- framework may be re-imported; links are checked against it on import.
CREATE TABLE action_links (
	action   INTEGER NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	code     TEXT NOT NULL,
	PRIMARY KEY (action, code)
);

CREATE INDEX action_links_code ON action_links (code);

-- The monitoring log. date is the canonical period of the entry ('' when
-- the comment had no date), with its first and last day for ordering;
-- status is the status from then on ('' for a plain comment). The id gives
-- the order of recording.
CREATE TABLE action_log (
	id          INTEGER PRIMARY KEY,
	action      INTEGER NOT NULL REFERENCES actions (id) ON DELETE RESTRICT,
	date        TEXT NOT NULL DEFAULT '',
	date_start  TEXT, -- YYYY-MM-DD, NULL when undated
	date_end    TEXT,
	status      TEXT NOT NULL DEFAULT '' CHECK (status IN ('', 'not started', 'ongoing', 'completed', 'cancelled')),
	text        TEXT NOT NULL DEFAULT '',
	source      TEXT NOT NULL DEFAULT '', -- file name, or "rmf actions update"
	src_sheet   TEXT NOT NULL DEFAULT '',
	src_row     INTEGER NOT NULL DEFAULT 0,
	recorded_at TEXT NOT NULL, -- RFC 3339, UTC
	CHECK (status <> '' OR text <> '')
);

CREATE INDEX action_log_action ON action_log (action, id);

CREATE TRIGGER action_log_no_update BEFORE UPDATE ON action_log
BEGIN
	SELECT RAISE(ABORT, 'action_log is append-only: entries are never changed');
END;

CREATE TRIGGER action_log_no_delete BEFORE DELETE ON action_log
BEGIN
	SELECT RAISE(ABORT, 'action_log is append-only: entries are never deleted');
END;
