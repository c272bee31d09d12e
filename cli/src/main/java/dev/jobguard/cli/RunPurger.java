package dev.jobguard.cli;

import dev.jobguard.state.StateStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;

/**
 * Deletes ended runs that started before a time, with their rows per table, in one transaction. Plain SQL on the
 * store's tables because core's StateStore has no purge yet; times are stored as UTC date-times.
 */
final class RunPurger {

    record Purged(int runs, int tableRows) {}

    private final DataSource dataSource;
    private final String runTable;
    private final String runTableTable;

    RunPurger(DataSource dataSource, String tablePrefix) {
        if (!tablePrefix.matches("[A-Za-z_][A-Za-z0-9_]{0,39}")) {
            throw new IllegalArgumentException("jobguard: invalid table prefix '" + tablePrefix + "'");
        }
        this.dataSource = dataSource;
        this.runTable = tablePrefix + "run";
        this.runTableTable = tablePrefix + "run_table";
    }

    Purged purge(Instant startedBefore) {
        String old = "started_at < ? AND outcome <> 'RUNNING'";
        LocalDateTime cutoff = LocalDateTime.ofInstant(startedBefore.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement tables = connection.prepareStatement("DELETE FROM " + runTableTable
                            + " WHERE run_id IN (SELECT id FROM " + runTable + " WHERE " + old + ")");
                    PreparedStatement runs = connection.prepareStatement("DELETE FROM " + runTable + " WHERE " + old)) {
                tables.setObject(1, cutoff);
                int tableRows = tables.executeUpdate();
                runs.setObject(1, cutoff);
                int runCount = runs.executeUpdate();
                connection.commit();
                return new Purged(runCount, tableRows);
            } catch (SQLException | RuntimeException failed) {
                connection.rollback();
                throw failed;
            }
        } catch (SQLException failed) {
            throw new StateStoreException(
                    "jobguard: could not purge runs from " + runTable + " and " + runTableTable + ": "
                            + failed.getMessage(),
                    failed);
        }
    }
}
