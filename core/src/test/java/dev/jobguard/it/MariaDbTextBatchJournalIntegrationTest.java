package dev.jobguard.it;

import java.util.Map;

/**
 * The change journal on MariaDB with batches sent statement by statement ({@code useBulkStmts=false}): the driver
 * then reports each entry of a failed batch, so the entries that took effect are journaled.
 */
class MariaDbTextBatchJournalIntegrationTest extends AbstractJournalIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    protected Map<String, String> driverOptions() {
        return Map.of("useBulkStmts", "false");
    }
}
