package dev.jobguard.console;

import dev.jobguard.RunReport;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a job once now, in DRY_RUN, on this node: the console's "run now in dry-run" button, offered where the jobs
 * live (the Spring adapter gives one; the standalone console has none).
 */
@FunctionalInterface
public interface DryRunNow {

    /**
     * Starts the dry run.
     *
     * @return the run's report once it ends
     * @throws IllegalArgumentException when the job cannot be run now here, saying why
     */
    CompletableFuture<RunReport> start(String job, String actor, String reason);
}
