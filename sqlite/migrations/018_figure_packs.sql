-- Figure packs (internal/sqlstore/packs.go): the current figures of each
-- indicator in one compact value, which a report reads in one go instead
-- of row by row. A pack is derived from measurements, never their record:
-- the triggers below delete an indicator's pack in the transaction that
-- inserts, updates or deletes any of its figures (whatever writes them),
-- and rmf packs the indicators left without one before that transaction
-- commits. An indicator without a pack is read row by row.
--
-- An UPDATE OR REPLACE that gives a figure the id of another indicator's
-- figure deletes that figure without a delete trigger (unless
-- recursive_triggers is on): the BEFORE UPDATE OF id trigger drops the pack
-- of the figure whose id is taken. The same by INSERT OR REPLACE with an
-- explicit id is not caught: a BEFORE INSERT trigger runs for every figure
-- an import stores (a tenth of a large import); rmf never inserts a figure
-- with an id of its choosing, and DB.CheckPacks finds such a pack.
CREATE TABLE figure_packs (
	indicator TEXT PRIMARY KEY REFERENCES indicators (code) ON UPDATE CASCADE ON DELETE CASCADE,
	figures   INTEGER NOT NULL CHECK (figures >= 0), -- how many figures the pack holds
	data      BLOB NOT NULL
);

CREATE TRIGGER figure_packs_insert AFTER INSERT ON measurements
BEGIN
	DELETE FROM figure_packs WHERE indicator = NEW.indicator;
END;

CREATE TRIGGER figure_packs_update AFTER UPDATE ON measurements
BEGIN
	DELETE FROM figure_packs WHERE indicator IN (OLD.indicator, NEW.indicator);
END;

CREATE TRIGGER figure_packs_delete AFTER DELETE ON measurements
BEGIN
	DELETE FROM figure_packs WHERE indicator = OLD.indicator;
END;

CREATE TRIGGER figure_packs_replace_update BEFORE UPDATE OF id ON measurements
	WHEN NEW.id IS NOT OLD.id
BEGIN
	DELETE FROM figure_packs WHERE indicator = (SELECT indicator FROM measurements WHERE id = NEW.id);
END;
