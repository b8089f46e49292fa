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
-- commits. An indicator without a pack is read row by row. The functions
-- keep the project's schema (search_path FROM CURRENT: the migration runs
-- in it), whichever search path the writer has.
CREATE TABLE figure_packs (
	indicator text COLLATE "C" PRIMARY KEY REFERENCES indicators (code) ON UPDATE CASCADE ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE,
	figures   bigint NOT NULL CHECK (figures >= 0), -- how many figures the pack holds
	data      bytea NOT NULL
);

CREATE FUNCTION figure_packs_forget_new() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
	DELETE FROM figure_packs WHERE indicator IN (SELECT DISTINCT indicator FROM new_figures);
	RETURN NULL;
END
$$;

CREATE FUNCTION figure_packs_forget_old() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
	DELETE FROM figure_packs WHERE indicator IN (SELECT DISTINCT indicator FROM old_figures);
	RETURN NULL;
END
$$;

CREATE FUNCTION figure_packs_forget_both() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
	DELETE FROM figure_packs WHERE indicator IN (SELECT indicator FROM old_figures UNION SELECT indicator FROM new_figures);
	RETURN NULL;
END
$$;

CREATE TRIGGER figure_packs_insert AFTER INSERT ON measurements
	REFERENCING NEW TABLE AS new_figures
	FOR EACH STATEMENT EXECUTE FUNCTION figure_packs_forget_new();

CREATE TRIGGER figure_packs_update AFTER UPDATE ON measurements
	REFERENCING OLD TABLE AS old_figures NEW TABLE AS new_figures
	FOR EACH STATEMENT EXECUTE FUNCTION figure_packs_forget_both();

CREATE TRIGGER figure_packs_delete AFTER DELETE ON measurements
	REFERENCING OLD TABLE AS old_figures
	FOR EACH STATEMENT EXECUTE FUNCTION figure_packs_forget_old();
