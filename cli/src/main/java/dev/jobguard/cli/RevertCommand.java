package dev.jobguard.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Reverting a run needs the change journal, which jobguard does not record yet. */
@Command(name = "revert", description = "Reverts a run's changes (NOT AVAILABLE YET: needs the change journal).")
final class RevertCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run's id.")
    String runId;

    @Option(names = "--dry-run", description = "Show what would be reverted, change nothing.")
    boolean dryRun;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine()
                .getErr()
                .println("jobguard: revert is not available yet: it needs the change journal, which jobguard does"
                        + " not record yet. Nothing was changed (run " + runId + ").");
        spec.commandLine().getErr().flush();
        return CommandLine.ExitCode.SOFTWARE;
    }
}
