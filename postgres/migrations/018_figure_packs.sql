-- PostgreSQL's copy of sqlite/migrations/018_figure_packs.sql, table by table
-- the same (names, columns, meaning): integers are bigint, BLOB bytea; the
-- triggers are statement triggers reading the rows the statement wrote.
--
-- Figure packs (internal/sqlstore/packs.go): the current figures of each
-- indicator in one compact value, which a report reads in one go instead
-- of row by row. A pack is derived from measurements, never their record:
-- the triggers below delete an indicator's pack in the transaction that
-- inserts, updates or deletes any of its figures (whatever writes them),
-- and rmf packs the indicators left without one before that transaction
-- commits. An indicator without a pack is read row by row.
--
-- A writer that is not rmf (another program, psql) is queued behind rmf's
-- writer: the trigger takes the project's advisory lock, the one rmf's
-- writes hold (postgres/dialect.go BeginWrite), before deleting, so that
-- neither packs what the other has not committed. The function names its
-- table by the schema of the table written (a project renamed keeps
-- working) and runs as its owner (a writer allowed to write figures need
-- not be allowed to delete packs).
CREATE TABLE figure_packs (
	indicator text COLLATE "C" PRIMARY KEY REFERENCES indicators (code) ON UPDATE CASCADE ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
	figures   bigint NOT NULL CHECK (figures >= 0), -- how many figures the pack holds
	data      bytea NOT NULL
);

CREATE FUNCTION figure_packs_forget() RETURNS trigger LANGUAGE plpgsql
	SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(hashtextextended('rmf project ' || TG_TABLE_SCHEMA, 0));
	IF TG_OP = 'INSERT' THEN
		EXECUTE format('DELETE FROM %I.figure_packs WHERE indicator IN (SELECT indicator FROM new_figures)', TG_TABLE_SCHEMA);
	ELSIF TG_OP = 'DELETE' THEN
		EXECUTE format('DELETE FROM %I.figure_packs WHERE indicator IN (SELECT indicator FROM old_figures)', TG_TABLE_SCHEMA);
	ELSE
		EXECUTE format('DELETE FROM %I.figure_packs WHERE indicator IN (SELECT indicator FROM old_figures UNION SELECT indicator FROM new_figures)', TG_TABLE_SCHEMA);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER figure_packs_insert AFTER INSERT ON measurements
	REFERENCING NEW TABLE AS new_figures
	FOR EACH STATEMENT EXECUTE FUNCTION figure_packs_forget();

CREATE TRIGGER figure_packs_update AFTER UPDATE ON measurements
	REFERENCING OLD TABLE AS old_figures NEW TABLE AS new_figures
	FOR EACH STATEMENT EXECUTE FUNCTION figure_packs_forget();

CREATE TRIGGER figure_packs_delete AFTER DELETE ON measurements
	REFERENCING OLD TABLE AS old_figures
	FOR EACH STATEMENT EXECUTE FUNCTION figure_packs_forget();
