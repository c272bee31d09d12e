package dev.jobguard;

import dev.jobguard.internal.run.TablePatterns;
import dev.jobguard.journal.ChangeJournal;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Warns, once per job (and table), of settings of a policy that this guard cannot honour. */
final class SettingsWarnings {

    private static final Logger log = LoggerFactory.getLogger(JobGuard.class);

    private final TablePatterns ignoredTables;
    private final ChangeJournal journal;
    /** What was said, by job (and table). */
    private final Set<String> warnedOf = ConcurrentHashMap.newKeySet();

    SettingsWarnings(TablePatterns ignoredTables, ChangeJournal journal) {
        this.ignoredTables = ignoredTables;
        this.journal = journal;
    }

    /**
     * Settings of the policy that this guard cannot honour are said once per job (and table), not silently dropped: a
     * limit on a table the guard ignores never applies; a journal without a DataSource records, but nothing can revert.
     */
    void check(GuardPolicy policy) {
        if (policy.journal()
                && policy.mode() != GuardMode.DRY_RUN
                && (journal == null || !journal.canRevert())
                && warnedOf.add(policy.jobName() + "\u0000journal")) {
            log.warn(
                    "jobguard: job '{}' journals its changes (journal = true), but this JobGuard's change journal has"
                            + " no DataSource, so its runs cannot be reverted. Fix: JobGuard.builder().changeJournal("
                            + "ChangeJournal.create(dataSource)), or a JdbcStateStore (its DataSource is used)",
                    policy.jobName());
        }
        policy.tableLimits().forEach((table, limit) -> {
            String pattern = ignoredTables.matching(table);
            if (pattern != null && warnedOf.add(policy.jobName() + '\u0000' + table)) {
                log.warn(
                        "jobguard: job '{}': its limit of {} rows on table {} never applies: the guard ignores that"
                                + " table (ignored-table pattern '{}': a default, or one added with JobGuard.builder()"
                                + ".ignoredTables(...) or jobguard.ignored-tables). Remove the limit, or the pattern if"
                                + " the table's writes should be counted (JobGuard.builder().replaceIgnoredTables(...)"
                                + " drops a default)",
                        policy.jobName(),
                        limit,
                        table,
                        pattern);
            }
        });
    }
}
