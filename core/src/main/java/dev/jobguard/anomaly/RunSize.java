package dev.jobguard.anomaly;

import java.util.Set;

/** A run's size as a baseline is drawn from it ({@link Baseline#of}): the rows it changed, in all and per table. */
public interface RunSize {

    /** Rows changed in all tables. */
    long rowsChanged();

    /** Rows changed in one table, over all operations (0 for a table it did not change). */
    long rowsChanged(String table);

    /** The tables it changed rows in. */
    Set<String> tablesChanged();
}
