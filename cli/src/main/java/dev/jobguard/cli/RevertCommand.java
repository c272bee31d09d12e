package dev.jobguard.cli;

import dev.jobguard.journal.RevertException;
import dev.jobguard.journal.RevertOptions;
import dev.jobguard.journal.RevertReport;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** Puts back what a journaled run changed, from its change journal. */
@Command(
        name = "revert",
        description = {
            "Puts back what a run changed, from its change journal (jobs with journal = true), in one transaction:"
                    + " rows it inserted are deleted, rows it updated or deleted get their values back. A row"
                    + " changed since the run is never overwritten: it stops the revert, unless --force.",
            "Exit codes: 0 reverted (or, with --dry-run, would be); 1 not applied because rows changed since the run,"
                    + " refused (the run was reverted already, or is itself a revert), or failed (nothing applied);"
                    + " 2 no change journal for that id (unknown run, journal off, nothing written, or purged)."
        })
final class RevertCommand extends GuardCommand {

    @Parameters(
            index = "0",
            paramLabel = "RUN_ID",
            converter = NonBlank.class,
            description = "The run's id (from 'runs').")
    String runId;

    @Option(names = "--dry-run", description = "Do the revert and roll it back: show what it would do.")
    boolean dryRun;

    @Option(
            names = "--force",
            description = "Revert the rows not changed since the run even when others were; those are left alone.")
    boolean force;

    @Option(names = "--reason", paramLabel = "REASON", description = "Why (recorded with the revert).")
    String reason;

    @Mixin
    ActorOption actor;

    @Option(names = "--json", description = "Print the revert's report as a JSON object instead.")
    boolean json;

    @Override
    int run(Session session) {
        if (actor.name == null || actor.name.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--by must name who reverts");
        }
        if (!session.journalExists()) {
            return noJournal(
                    session,
                    "there is no change journal in this database (no table " + session.tablePrefix() + "change)");
        }
        RevertOptions options = RevertOptions.DEFAULTS
                .withDryRun(dryRun)
                .withForce(force)
                .withActor(actor.name)
                .withReason(reason);
        RevertReport report;
        try {
            report = session.guard().revert(runId, options); // recorded in the audit trail with the revert
        } catch (RevertException refused) {
            switch (refused.reason()) {
                case NO_JOURNAL:
                    return noJournal(session, null);
                case REFUSED:
                    err().println(FailureHandler.oneLine(refused) + ". Nothing was changed.");
                    return FAILURE;
                default:
                    throw refused; // FAILED: one line and exit 1, the stack trace with --verbose
            }
        }
        if (json) {
            printJson(report);
        } else {
            out().println(report.summary());
            if (report.applied() && !report.dryRun()) {
                out().println("Recorded as revert " + report.revertId() + " by " + actor.name + ".");
            }
        }
        if (!report.applied()) {
            err().println("jobguard: nothing was reverted: "
                    + report.conflictCount() + " row(s) changed since run " + report.runId()
                    + "; --force reverts the other rows and leaves those alone");
            return FAILURE;
        }
        return OK;
    }

    /** No journal for the id: exit 2, saying whether the store knows the run at all. */
    private int noJournal(Session session, String why) {
        if (session.guard().run(runId.strip()).isEmpty()) {
            return unknown("unknown run '" + runId + "': no run and no change journal with that id"
                    + (why == null ? "" : "; " + why));
        }
        return unknown("run '" + runId + "' has no change journal, nothing to revert: "
                + (why != null
                        ? why
                        : "its job ran without journal = true, it wrote nothing, or its journal was purged"));
    }

    private void printJson(RevertReport report) {
        Json out = new Json()
                .beginObject()
                .name("runId")
                .value(report.runId())
                .name("revertId")
                .value(report.dryRun() ? null : report.revertId())
                .name("dryRun")
                .value(report.dryRun())
                .name("applied")
                .value(report.applied())
                .name("partial")
                .value(report.partial())
                .name("rowsReverted")
                .value(report.rowsReverted())
                .name("rowsByTable")
                .beginObject();
        for (Map.Entry<String, Map<String, Long>> table : new TreeMap<>(report.rowsByTable()).entrySet()) {
            out.name(table.getKey()).counts(new TreeMap<>(table.getValue()));
        }
        out.endObject().name("conflicts").beginArray();
        for (RevertReport.Conflict conflict : report.conflicts()) {
            out.beginObject()
                    .name("table")
                    .value(conflict.table())
                    .name("key")
                    .value(conflict.key())
                    .name("detail")
                    .value(conflict.detail())
                    .endObject();
        }
        out.endArray()
                .name("conflictCount")
                .value(report.conflictCount())
                .name("gaps")
                .beginArray();
        for (String gap : report.gaps()) {
            out.value(gap);
        }
        out().println(out.endArray()
                .name("gapCount")
                .value(report.gaps().size())
                .endObject());
    }
}
