package dev.jobguard.cli;

import dev.jobguard.JobGuard;
import dev.jobguard.state.JdbcStateStore;
import javax.sql.DataSource;

/** What one command works with: the guard's operator API, its store, and the database. */
record Session(JobGuard guard, JdbcStateStore store, DataSource dataSource, String tablePrefix)
        implements AutoCloseable {

    /** Whether the store knows the job: a stored state or at least one run. */
    boolean knows(String job) {
        return guard.state(job).job().version() > 0 || !guard.runs(job, 1).isEmpty();
    }

    @Override
    public void close() {
        guard.close();
    }
}
