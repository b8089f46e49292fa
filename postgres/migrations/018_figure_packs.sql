-- PostgreSQL's copy of sqlite/migrations/018_figure_packs.sql, table by table
-- the same (names, columns, meaning): integers are bigint, BLOB bytea.
--
-- Figure packs (internal/sqlstore/packs.go): the current figures of each
-- indicator in one compact value, which SQLite's reports read in one go
-- instead of row by row. PostgreSQL keeps none yet: rmf reads its figures
-- row by row, and this table stays empty (it is here so that both schemas
-- stay one; rmf db copy skips it). Keeping packs here needs the triggers of
-- the SQLite migration first (statement-level, on measurements), so that a
-- pack can never be stale.
CREATE TABLE figure_packs (
	indicator text COLLATE "C" PRIMARY KEY REFERENCES indicators (code) ON UPDATE CASCADE ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
	figures   bigint NOT NULL CHECK (figures >= 0), -- how many figures the pack holds
	data      bytea NOT NULL
);
