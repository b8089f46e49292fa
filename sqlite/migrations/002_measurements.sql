-- Imported files and the figures they brought. A figure is an indicator's
-- value for a period and a disaggregation; each correction is a new row (a
-- revision) and only the latest is current.

CREATE TABLE imports (
	id          INTEGER PRIMARY KEY,
	file        TEXT NOT NULL,
	sha256      TEXT NOT NULL,
	kind        TEXT NOT NULL,
	imported_at TEXT NOT NULL, -- RFC 3339, UTC
	rows_read   INTEGER NOT NULL DEFAULT 0,
	added       INTEGER NOT NULL DEFAULT 0,
	changed     INTEGER NOT NULL DEFAULT 0,
	unchanged   INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX imports_sha256 ON imports (sha256, kind);

-- measurements.indicator refers to indicators.code: renaming follows
-- (ON UPDATE CASCADE), deleting an indicator that has figures is refused
-- (ON DELETE RESTRICT). The framework is saved with UPDATE, never with
-- INSERT OR REPLACE, so no cascade ever reaches this table.
CREATE TABLE measurements (
	id           INTEGER PRIMARY KEY,
	indicator    TEXT NOT NULL REFERENCES indicators (code) ON UPDATE CASCADE ON DELETE RESTRICT,
	period       TEXT NOT NULL, -- canonical text, as Period.String prints it
	period_kind  INTEGER NOT NULL,
	period_start TEXT NOT NULL, -- YYYY-MM-DD
	period_end   TEXT NOT NULL, -- YYYY-MM-DD, last day included
	dims         TEXT NOT NULL DEFAULT '', -- Disagg.Key(); '' for the total
	value        REAL,
	text         TEXT NOT NULL DEFAULT '',
	numerator    REAL,
	denominator  REAL,
	comment      TEXT NOT NULL DEFAULT '',
	source       TEXT NOT NULL DEFAULT '',
	verified     TEXT NOT NULL DEFAULT '',
	batch_id     INTEGER NOT NULL REFERENCES imports (id),
	file         TEXT NOT NULL DEFAULT '',
	sheet        TEXT NOT NULL DEFAULT '',
	row          INTEGER NOT NULL DEFAULT 0,
	revision     INTEGER NOT NULL,
	current      INTEGER NOT NULL DEFAULT 1 CHECK (current IN (0, 1)),
	UNIQUE (indicator, period, dims, revision)
);

CREATE UNIQUE INDEX measurements_current ON measurements (indicator, period, dims) WHERE current;
CREATE INDEX measurements_batch ON measurements (batch_id);
