package dev.jobguard.cli;

import dev.jobguard.state.StateStore;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Deletes old run records and old change journals. */
@Command(
        name = "purge",
        description = "Deletes the records of runs that started longer ago than the given age, the audit trail's"
                + " entries and the change journals (and records of reverts) written before then.")
final class PurgeCommand extends GuardCommand {

    @Option(
            names = "--older-than",
            required = true,
            paramLabel = "DURATION",
            converter = AgeConverter.class,
            description = "Age: ISO-8601 (P30D, PT12H) or short (30d, 12h, 90m, 2w); at most 36500d.")
    Duration olderThan;

    @Override
    int run(Session session) {
        session.guard().jobs(); // checks the tables exist, with the store's message when they do not
        Instant before = Instant.now().minus(olderThan);
        StateStore.Purged purged = session.guard().stateStore().purge(before);
        out().println("Purged " + purged.runs() + " run(s) started before " + Text.time(before)
                + " (runs still running were kept) and " + purged.actions()
                + " audit trail entr(ies) from before then.");
        if (session.journalExists()) {
            int journalRows = session.journal().purge(before);
            out().println("Purged " + journalRows + " change journal row(s) written before " + Text.time(before)
                    + " (runs older than that can no longer be reverted), and the records of reverts made before it.");
        } else {
            out().println("No change journal in this database (no table " + session.tablePrefix()
                    + "change): nothing else to purge.");
        }
        return OK;
    }
}
