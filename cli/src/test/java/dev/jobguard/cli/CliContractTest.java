package dev.jobguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.Operation;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.Trip;
import dev.jobguard.TripReason;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.JobState;
import dev.jobguard.state.JobStatus;
import dev.jobguard.state.RunRecord;
import dev.jobguard.state.StateChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI's contract against one database: subclasses say which, and prepare the tables with auto-create. */
abstract class CliContractTest {

    /** The database, reachable; tables prepared by the store under {@link #prefix()}. */
    abstract DataSource dataSource();

    /** The CLI's connection options (URL, user, password, table prefix). */
    abstract List<String> connection();

    abstract String prefix();

    JdbcStateStore store;
    String job;

    @BeforeEach
    void prepareStore() {
        store = JdbcStateStore.builder(dataSource())
                .autoCreateTables(true)
                .tablePrefix(prefix())
                .build();
        store.jobs();
        job = "cli-job-" + UUID.randomUUID().toString().substring(0, 8);
    }

    Cli.Result cli(String... command) {
        return Cli.run(connection(), command);
    }

    @Test
    void statusListsADisabledJobWithItsReason() {
        store.change(new StateChange(job, JobStatus.DISABLED, null, "deleted too much", "alice", Instant.now()));

        Cli.Result result = cli("status");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Global switch: ENABLED");
        String line =
                result.out().lines().filter(l -> l.startsWith(job)).findFirst().orElseThrow();
        assertThat(line).contains("DISABLED", "deleted too much", "alice");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void disableThenEnableWithDryRunChangesTheStoredState() {
        Cli.Result disabled = cli("disable", job, "--reason", "incident 42", "--actor", "bob");

        assertThat(disabled.exitCode()).isZero();
        JobState state = store.read(job).job();
        assertThat(state.status()).isEqualTo(JobStatus.DISABLED);
        assertThat(state.reason()).isEqualTo("incident 42");
        assertThat(state.actor()).isEqualTo("bob");
        assertThat(disabled.out()).contains("Disabled job '" + job + "'", "was never seen");

        Cli.Result enabled = cli("enable", job, "--reason", "try the fix", "--mode", "dry-run");

        assertThat(enabled.exitCode()).isZero();
        state = store.read(job).job();
        assertThat(state.status()).isEqualTo(JobStatus.ENABLED);
        assertThat(state.modeOverride()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(state.reason()).isEqualTo("try the fix");
        assertThat(state.actor()).isEqualTo(System.getProperty("user.name"));
        assertThat(enabled.out()).contains("with mode dry-run").doesNotContain("never seen");
    }

    @Test
    @SuppressWarnings("unchecked")
    void disableForADurationStoresItsEndAndStatusShowsTheTimeLeft() {
        Instant before = Instant.now();
        Cli.Result disabled = cli("disable", job, "--reason", "INC-9 migration", "--for", "2h", "--by", "alice");

        assertThat(disabled.exitCode()).as(disabled.err()).isZero();
        JobState state = store.read(job).job();
        assertThat(state.isDisabled()).isTrue();
        assertThat(state.disabledUntil())
                .isBetween(
                        before.plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MILLIS),
                        Instant.now().plus(Duration.ofHours(2)));
        assertThat(disabled.out()).contains("until " + Text.time(state.disabledUntil()), "from now");

        Cli.Result status = cli("status");
        String line =
                status.out().lines().filter(l -> l.startsWith(job)).findFirst().orElseThrow();
        assertThat(line)
                .contains("DISABLED until " + Text.time(state.disabledUntil()))
                .containsPattern("1h5\\dm left");

        Map<String, Object> json = byName(
                (List<Map<String, Object>>)
                        JsonParser.parse(cli("status", "--json").out()),
                "job",
                job);
        assertThat(json).containsEntry("disabledUntil", state.disabledUntil().toString());
    }

    @Test
    void disableUntilATimeWithAnOffsetStoresThatInstant() {
        Instant until = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MINUTES);
        String withOffset = until.atOffset(ZoneOffset.ofHours(1)).toLocalDateTime() + "+01:00";

        Cli.Result disabled = cli("disable", job, "--reason", "freeze", "--until", withOffset);

        assertThat(disabled.exitCode()).as(disabled.err()).isZero();
        assertThat(store.read(job).job().disabledUntil()).isEqualTo(until);
    }

    @Test
    void aDisableEndingInThePastOrWithTwoEndsIsAUsageErrorAndChangesNothing() {
        Cli.Result past = cli("disable", job, "--reason", "x", "--until", "2020-01-01T00:00Z");
        assertThat(past.exitCode()).isEqualTo(2);
        assertThat(past.err()).contains("--until", "not in the future", job);

        Cli.Result both = cli("disable", job, "--reason", "x", "--for", "2h", "--until", "2099-01-01T00:00Z");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--for", "--until");

        Cli.Result garbled = cli("disable", job, "--reason", "x", "--until", "tomorrow");
        assertThat(garbled.exitCode()).isEqualTo(2);
        assertThat(garbled.err()).contains("2026-12-24T06:00Z");

        assertThat(store.read(job).job().version()).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void historyListsEveryStateChangeNewestFirstWithWhoAndWhy() {
        cli("disable", job, "--reason", "incident 42", "--by", "bob");
        cli("enable", job, "--reason", "try the fix", "--mode", "dry-run", "--by", "alice");

        Cli.Result history = cli("history", job);

        assertThat(history.exitCode()).as(history.err()).isZero();
        List<String> lines = history.out().lines().toList();
        assertThat(lines.get(0)).contains("WHEN", "JOB", "ACTION", "FROM", "TO", "MODE", "BY", "REASON");
        assertThat(lines.get(1)).contains(job, "MODE_PINNED", "DISABLED", "ENABLED", "dry-run", "alice", "try the fix");
        assertThat(lines.get(2)).contains(job, "DISABLED", "bob", "incident 42");
        assertThat(lines).hasSize(3);

        List<Map<String, Object>> json = (List<Map<String, Object>>)
                JsonParser.parse(cli("history", "--json").out());
        assertThat(json.stream().filter(entry -> job.equals(entry.get("job"))).toList())
                .extracting(entry -> entry.get("action"), entry -> entry.get("actor"))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("MODE_PINNED", "alice"),
                        org.assertj.core.groups.Tuple.tuple("DISABLED", "bob"));

        Cli.Result unknown = cli("history", "no-such-job-" + job);
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown job");
    }

    @Test
    void runsAndShowPrintARecordedRunWithItsTrip() {
        RunRecord run = trippedRun(Instant.now().minus(Duration.ofMinutes(5)));
        store.runEnded(
                run,
                List.of(new dev.jobguard.StatementSummary(
                        "UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'",
                        "invoices",
                        Operation.UPDATE,
                        1,
                        150,
                        "no preflight query for a statement with a sub-query")));

        Cli.Result runs = cli("runs", job, "--limit", "5");

        assertThat(runs.exitCode()).isZero();
        assertThat(runs.out().lines().findFirst().orElseThrow())
                .contains("RUN ID", "STARTED", "DURATION", "NODE", "MODE", "OUTCOME", "ROWS", "KEPT", "TRIP");
        assertThat(runs.out())
                .contains(run.runId(), "node-a", "enforce", "TRIPPED", "150", "100", "MAX_ROWS_CHANGED 150>100");

        Cli.Result show = cli("show", run.runId());

        assertThat(show.exitCode()).isZero();
        assertThat(show.out())
                .contains(run.runId(), job, "TRIPPED", "2.5s", "over maxRowsChanged=100")
                .contains(
                        "Statements (most rows first):",
                        "UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'")
                .contains(
                        "Not counted before they ran",
                        "UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN': no preflight query for a"
                                + " statement with a sub-query")
                .containsPattern("Rows committed +100")
                .containsPattern("Rows rolled back +50")
                .contains("DELETE FROM cli_orders")
                .containsPattern("cli_orders\\s+DELETE\\s+140")
                .containsPattern("cli_order_lines\\s+UPDATE\\s+10");
    }

    @Test
    void unknownRunOrJobExitsWithTwo() {
        Cli.Result show = cli("show", "no-such-run");
        assertThat(show.exitCode()).isEqualTo(2);
        assertThat(show.err().strip()).isEqualTo("jobguard: unknown run 'no-such-run'");

        Cli.Result runs = cli("runs", "no-such-job-" + job);
        assertThat(runs.exitCode()).isEqualTo(2);
        assertThat(runs.err()).contains("unknown job");
    }

    @Test
    void aBadModeIsAUsageError() {
        Cli.Result result = cli("enable", job, "--reason", "x", "--mode", "yolo");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--mode", "yolo", "dry-run, observe or enforce");
        assertThat(store.read(job).job().version()).isZero();
    }

    @Test
    void purgeRemovesOldRunsOnly() throws SQLException {
        RunRecord old = trippedRun(Instant.now().minus(Duration.ofDays(40)));
        RunRecord recent = trippedRun(Instant.now().minus(Duration.ofDays(1)));
        RunRecord running = RunRecord.started(
                UUID.randomUUID().toString(),
                job,
                "node-a",
                GuardMode.ENFORCE,
                Instant.now().minus(Duration.ofDays(50)));
        store.runEnded(old);
        store.runEnded(recent);
        store.runStarted(running);

        Cli.Result result = cli("purge", "--older-than", "30d");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Purged");
        assertThat(store.run(old.runId())).isEmpty();
        assertThat(tableRows(old.runId())).isZero();
        assertThat(store.run(recent.runId())).isPresent();
        assertThat(tableRows(recent.runId())).isEqualTo(2);
        assertThat(store.run(running.runId())).isPresent();

        assertThat(cli("purge", "--older-than", "P30D").exitCode()).isZero();
        assertThat(store.run(recent.runId())).isPresent();
    }

    @Test
    void purgeRefusesAnAgeOverAHundredYearsAndDeletesNothing() {
        RunRecord recent = trippedRun(Instant.now().minus(Duration.ofDays(1)));
        store.runEnded(recent);

        Cli.Result result = cli("purge", "--older-than", "3000000d");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--older-than", "3000000d", "at most 36500d");
        assertThat(store.run(recent.runId()))
                .as("a cutoff before year 1000 once purged every run on MariaDB")
                .isPresent();
        assertThat(cli("purge", "--older-than", "P36501D").exitCode()).isEqualTo(2);
        assertThat(cli("purge", "--older-than", "36500d").exitCode()).isZero();
        assertThat(store.run(recent.runId())).isPresent();
    }

    @Test
    void revertDryRunChangesNothingThenRevertPutsTheRowsBackOnce() throws SQLException {
        String table = accounts();
        Map<Integer, String> original = rows(table);
        String runId = journaledRun(
                "UPDATE " + table + " SET balance = 0 WHERE id = 1",
                "DELETE FROM " + table + " WHERE id = 2",
                "INSERT INTO " + table + " (id, name, balance) VALUES (4, 'dee', 400)");
        Map<Integer, String> afterRun = Map.of(1, "ann:0", 3, "cy:300", 4, "dee:400");
        assertThat(rows(table)).isEqualTo(afterRun);

        Cli.Result dry = cli("revert", runId, "--dry-run");

        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.err()).isEmpty();
        assertThat(dry.out())
                .contains("Dry run of the revert of run " + runId, "3 row(s) would be put back")
                .doesNotContain("Recorded as revert");
        assertThat(rows(table)).as("a dry run changes nothing").isEqualTo(afterRun);
        assertThat(revertRecords(runId)).isZero();

        Cli.Result shown = cli("show", runId);
        assertThat(shown.exitCode()).isZero();
        assertThat(shown.out())
                .contains("Journal: 3 row change(s), DELETE 1, INSERT 1, UPDATE 1; no gaps")
                .doesNotContain("Reverted:");

        Cli.Result reverted = cli("revert", runId, "--reason", "INC-7: wrong accounts", "--by", "alice");

        assertThat(reverted.exitCode()).as(reverted.err()).isZero();
        assertThat(reverted.err()).isEmpty();
        assertThat(reverted.out())
                .contains("Revert of run " + runId, "3 row(s) put back", "Recorded as revert", "alice");
        assertThat(rows(table)).isEqualTo(original);
        assertThat(revertRecords(runId)).isEqualTo(1);

        assertThat(cli("show", runId).out())
                .containsPattern("Reverted: by alice at \\d{4}-\\d\\d-\\d\\d .*: 3 row\\(s\\) put back; reason: INC-7:"
                        + " wrong accounts");

        Cli.Result again = cli("revert", runId, "--by", "bob");

        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.out()).isEmpty();
        assertThat(again.err().strip())
                .startsWith("jobguard: run " + runId + " was reverted already, by alice at ")
                .endsWith("Nothing was changed.")
                .doesNotContain("\n");
        assertThat(rows(table)).isEqualTo(original);
        assertThat(revertRecords(runId)).isEqualTo(1);
    }

    @Test
    void revertOfAnUnknownRunOrARunWithoutJournalExitsWithTwo() {
        Cli.Result unknown = cli("revert", "no-such-run-" + job);

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).startsWith("jobguard: unknown run 'no-such-run-" + job + "'");

        RunRecord run = trippedRun(Instant.now().minus(Duration.ofMinutes(5)));
        store.runEnded(run);
        Cli.Result withoutJournal = cli("revert", run.runId());

        assertThat(withoutJournal.exitCode()).isEqualTo(2);
        assertThat(withoutJournal.err()).contains("run '" + run.runId() + "' has no change journal");
        assertThat(cli("show", run.runId()).out()).contains("Journal: none");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRowChangedSinceTheRunStopsTheRevertAndForceLeavesOnlyThatRow() throws SQLException {
        String table = accounts();
        String runId = journaledRun(
                "UPDATE " + table + " SET balance = balance + 1 WHERE id IN (1, 2)",
                "DELETE FROM " + table + " WHERE id = 3");
        // after the run, by someone else: a column the run set (a change to another column would be kept, not a
        // conflict)
        execute("UPDATE " + table + " SET balance = 250 WHERE id = 2");
        Map<Integer, String> changed = Map.of(1, "ann:101", 2, "bob:250");
        assertThat(rows(table)).isEqualTo(changed);

        Cli.Result dry = cli("revert", runId, "--dry-run");
        assertThat(dry.exitCode()).as("a dry run predicts the refusal").isEqualTo(1);
        assertThat(rows(table)).isEqualTo(changed);

        Cli.Result stopped = cli("revert", runId);

        assertThat(stopped.exitCode()).isEqualTo(1);
        assertThat(stopped.out()).contains("NOT applied", "1 row(s) changed since the run", "conflict: " + table);
        assertThat(stopped.err()).contains("nothing was reverted", "--force");
        assertThat(rows(table)).as("nothing applied").isEqualTo(changed);
        assertThat(revertRecords(runId)).isZero();

        Cli.Result forced = cli("revert", runId, "--force", "--json", "--by", "carol");

        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(forced.err()).isEmpty();
        Map<String, Object> report = (Map<String, Object>) JsonParser.parse(forced.out());
        assertThat(report.keySet())
                .containsExactly(
                        "runId",
                        "revertId",
                        "dryRun",
                        "applied",
                        "partial",
                        "rowsReverted",
                        "rowsByTable",
                        "conflicts",
                        "conflictCount",
                        "gaps",
                        "gapCount");
        assertThat(report)
                .containsEntry("runId", runId)
                .containsEntry("dryRun", false)
                .containsEntry("applied", true)
                .containsEntry("partial", true)
                .containsEntry("rowsReverted", 2L)
                .containsEntry("rowsByTable", Map.of(table, Map.of("restored", 1L, "reinserted", 1L)))
                .containsEntry("gaps", List.of())
                .containsEntry("conflictCount", 1L)
                .containsEntry("gapCount", 0L);
        assertThat(report.get("revertId")).isInstanceOf(String.class);
        List<Map<String, Object>> conflicts = (List<Map<String, Object>>) report.get("conflicts");
        assertThat(conflicts).hasSize(1);
        assertThat(conflicts.get(0)).containsEntry("table", table);
        assertThat((String) conflicts.get(0).get("key")).contains("2");
        assertThat(rows(table))
                .as("the other rows put back, the changed one left alone")
                .isEqualTo(Map.of(1, "ann:100", 2, "bob:250", 3, "cy:300"));
        assertThat(cli("show", runId).out())
                .contains("Reverted: by carol at ", "2 row(s) put back, 1 conflicting row(s) left alone, PARTIAL");
    }

    @Test
    void purgeRemovesOldChangeJournals() throws SQLException {
        String table = accounts();
        String oldRun = journaledRun("UPDATE " + table + " SET balance = 1 WHERE id = 1");
        String recentRun = journaledRun("UPDATE " + table + " SET balance = 2 WHERE id = 2");
        try (Connection connection = dataSource().getConnection();
                PreparedStatement age = connection.prepareStatement(
                        "UPDATE " + prefix() + "change SET created_at = ? WHERE run_id = ?")) {
            // as core writes it: UTC
            age.setObject(1, LocalDateTime.ofInstant(Instant.now().minus(Duration.ofDays(40)), ZoneOffset.UTC));
            age.setString(2, oldRun);
            assertThat(age.executeUpdate()).isEqualTo(1);
        }

        Cli.Result result = cli("purge", "--older-than", "30d");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Purged 1 change journal row(s) written before");
        assertThat(journalRows(oldRun)).isZero();
        assertThat(journalRows(recentRun)).isEqualTo(1);
        assertThat(store.run(oldRun)).as("the run itself is recent").isPresent();

        Cli.Result revert = cli("revert", oldRun);
        assertThat(revert.exitCode()).isEqualTo(2);
        assertThat(revert.err()).contains("has no change journal");
        assertThat(cli("revert", recentRun).exitCode()).isZero();
        assertThat(rows(table)).containsEntry(2, "bob:200").containsEntry(1, "ann:1");
    }

    @Test
    void missingTablesFailNamingTheUrlAndPrefixToCheckNotTheLibrarysSetting() {
        List<String> options = new java.util.ArrayList<>(connection());
        int at = options.indexOf("--table-prefix");
        options.set(at + 1, "jgcli_missing_");

        Cli.Result result = Cli.run(options, "status");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip())
                .startsWith("jobguard: the database at ")
                .contains("has no table jgcli_missing_job", "--jdbc-url", "--table-prefix")
                .doesNotContain("autoCreateTables")
                .doesNotContain("\n");
    }

    @Test
    void byIsRecordedAsTheActorAndActorStaysAnAlias() {
        Cli.Result disabled = cli("disable", job, "--reason", "incident 43", "--by", "carol");

        assertThat(disabled.exitCode()).isZero();
        assertThat(disabled.out()).contains("(by carol at ");
        assertThat(store.read(job).job().actor()).isEqualTo("carol");

        assertThat(cli("enable", job, "--reason", "fixed", "--by", "dave").exitCode())
                .isZero();
        assertThat(store.read(job).job().actor()).isEqualTo("dave");

        assertThat(cli("disable", job, "--reason", "again", "--actor", "erin").exitCode())
                .isZero();
        assertThat(store.read(job).job().actor()).isEqualTo("erin");
    }

    @Test
    void connectionOptionsComeFromTheEnvironmentWhenTheFlagsAreAbsent() {
        store.change(new StateChange(job, JobStatus.DISABLED, null, "from env", "alice", Instant.now()));
        Map<String, String> environment = new java.util.HashMap<>();
        List<String> options = connection();
        for (int i = 0; i < options.size(); i += 2) {
            environment.put(EnvironmentDefaults.VARIABLES.get(options.get(i)), options.get(i + 1));
        }

        Cli.Result result = Cli.run(environment::get, List.of(), "status");

        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains(job, "from env");

        // a flag wins over its variable
        environment.put(EnvironmentDefaults.TABLE_PREFIX, "jgcli_missing_");
        Cli.Result flagWins = Cli.run(environment::get, List.of("--table-prefix", prefix()), "status");
        assertThat(flagWins.exitCode()).isZero();
        assertThat(flagWins.out()).contains(job);

        // ... and the variable is really used: a wrong prefix there means missing tables
        Cli.Result wrongPrefix = Cli.run(environment::get, List.of(), "status");
        assertThat(wrongPrefix.exitCode()).isEqualTo(1);
        assertThat(wrongPrefix.err()).contains("--table-prefix");
    }

    @Test
    void statusShowsEachJobsLastRun() {
        String idle = job + "-idle";
        store.change(new StateChange(job, JobStatus.DISABLED, null, "tripped", "alice", Instant.now()));
        store.change(new StateChange(idle, JobStatus.ENABLED, null, "never ran", "alice", Instant.now()));
        RunRecord older = trippedRun(Instant.now().minus(Duration.ofHours(2)));
        RunRecord newest = trippedRun(Instant.now().minus(Duration.ofMinutes(3)));
        store.runEnded(older);
        store.runEnded(newest);

        Cli.Result result = cli("status");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines().findFirst().orElseThrow()).startsWith("Global switch:");
        assertThat(result.out()).contains("LAST RUN");
        String line = result.out()
                .lines()
                .filter(l -> l.startsWith(job + " "))
                .findFirst()
                .orElseThrow();
        assertThat(line).endsWith("TRIPPED " + Text.time(newest.startedAt()));
        String idleLine =
                result.out().lines().filter(l -> l.startsWith(idle)).findFirst().orElseThrow();
        assertThat(idleLine).endsWith(" -");
    }

    @Test
    void statusListsAJobThatOnlyEverRanCleanlyAsEnabledWithItsLastRun() {
        String clean = job + "-clean";
        RunRecord run = RunRecord.started(
                UUID.randomUUID().toString(),
                clean,
                "node-a",
                GuardMode.ENFORCE,
                Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.MILLIS));
        store.runStarted(run);

        Cli.Result result = cli("status");

        assertThat(result.exitCode()).isZero();
        String line = result.out()
                .lines()
                .filter(l -> l.startsWith(clean + " "))
                .findFirst()
                .orElseThrow();
        assertThat(line).contains("ENABLED").endsWith("RUNNING " + Text.time(run.startedAt()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void statusJsonIsAnArrayOfJobsWithTheGlobalSwitchAndLastRuns() {
        String reason = "say \"hi\" \\ back\tslash \u00fc \u2028 \u0001";
        store.change(new StateChange(job, JobStatus.DISABLED, GuardMode.OBSERVE, reason, "alice", Instant.now()));
        String idle = job + "-idle";
        store.change(new StateChange(idle, JobStatus.ENABLED, null, "idle", "bob", Instant.now()));
        RunRecord run = trippedRun(Instant.now().minus(Duration.ofMinutes(3)));
        store.runEnded(run);

        Cli.Result result = cli("status", "--json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out().strip()).startsWith("[{").endsWith("}]").doesNotContain("\n");
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) JsonParser.parse(result.out());
        Map<String, Object> global = jobs.get(0);
        assertThat(global)
                .containsEntry("job", "*")
                .containsEntry("status", "ENABLED")
                .containsEntry("lastRun", null);
        assertThat(jobs.stream().filter(j -> "*".equals(j.get("job")))).hasSize(1);

        Map<String, Object> disabled = byName(jobs, "job", job);
        assertThat(disabled.keySet())
                .containsExactly(
                        "job",
                        "status",
                        "modeOverride",
                        "reason",
                        "actor",
                        "changedAt",
                        "version",
                        "disabledUntil",
                        "lastRun");
        assertThat(disabled)
                .containsEntry("status", "DISABLED")
                .containsEntry("modeOverride", "observe")
                .containsEntry("reason", reason)
                .containsEntry("actor", "alice")
                .containsEntry("version", 1L);
        assertThat(Instant.parse((String) disabled.get("changedAt"))).isNotNull();
        assertThat((Map<String, Object>) disabled.get("lastRun"))
                .containsExactly(
                        Map.entry("runId", run.runId()),
                        Map.entry("outcome", "TRIPPED"),
                        Map.entry("startedAt", run.startedAt().toString()));

        assertThat(byName(jobs, "job", idle))
                .containsEntry("modeOverride", null)
                .containsEntry("reason", "idle")
                .containsEntry("lastRun", null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void runsJsonIsAnArrayOfRunsWithTripsAndRowsByTable() {
        RunRecord tripped = trippedRun(Instant.now().minus(Duration.ofMinutes(5)));
        RunRecord running = RunRecord.started(
                UUID.randomUUID().toString(),
                job,
                "node-b",
                GuardMode.DRY_RUN,
                Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MILLIS));
        store.runEnded(tripped);
        store.runStarted(running);

        Cli.Result result = cli("runs", job, "--json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        List<Map<String, Object>> runs = (List<Map<String, Object>>) JsonParser.parse(result.out());
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0)).containsEntry("runId", running.runId());

        Map<String, Object> first = runs.get(1);
        assertThat(first.keySet())
                .containsExactly(
                        "runId",
                        "job",
                        "node",
                        "mode",
                        "startedAt",
                        "endedAt",
                        "outcome",
                        "occurrences",
                        "rowsChanged",
                        "rowCountIsLowerBound",
                        "rowsCommitted",
                        "rowsRolledBack",
                        "rowsByTable",
                        "trip",
                        "detail");
        assertThat(first)
                .containsEntry("runId", tripped.runId())
                .containsEntry("job", job)
                .containsEntry("node", "node-a")
                .containsEntry("mode", "enforce")
                .containsEntry("startedAt", tripped.startedAt().toString())
                .containsEntry("endedAt", tripped.endedAt().toString())
                .containsEntry("outcome", "TRIPPED")
                .containsEntry("occurrences", 1L)
                .containsEntry("rowsChanged", 150L)
                .containsEntry("rowCountIsLowerBound", false)
                .containsEntry("rowsCommitted", 100L)
                .containsEntry("rowsRolledBack", 50L)
                .containsEntry("detail", "limit crossed");
        assertThat(first.get("rowsByTable"))
                .isEqualTo(Map.of(
                        "cli_orders", Map.of("DELETE", 140L),
                        "cli_order_lines", Map.of("UPDATE", 10L)));
        assertThat((Map<String, Object>) first.get("trip"))
                .containsEntry("reason", "MAX_ROWS_CHANGED")
                .containsEntry("limit", 100L)
                .containsEntry("figure", 150L)
                .containsEntry("table", "cli_orders")
                .containsEntry("statement", "DELETE FROM cli_orders WHERE 1=1")
                .containsEntry("beforeExecution", false);

        Map<String, Object> open = runs.get(0);
        assertThat(open)
                .containsEntry("mode", "dry-run")
                .containsEntry("endedAt", null)
                .containsEntry("outcome", null)
                .containsEntry("trip", null)
                .containsEntry("rowsCommitted", null)
                .containsEntry("rowsByTable", Map.of());

        Cli.Result none = cli("runs", "no-such-job-" + job, "--json");
        assertThat(none.exitCode()).isEqualTo(2);
        store.change(new StateChange(job + "-idle", JobStatus.ENABLED, null, "x", "alice", Instant.now()));
        Cli.Result empty = cli("runs", job + "-idle", "--json");
        assertThat(empty.exitCode()).isZero();
        assertThat(JsonParser.parse(empty.out())).isEqualTo(List.of());
    }

    private static Map<String, Object> byName(List<Map<String, Object>> elements, String key, String value) {
        return elements.stream()
                .filter(e -> value.equals(e.get(key)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no element with " + key + "=" + value + " in " + elements));
    }

    RunRecord trippedRun(Instant start) {
        Instant started = start.truncatedTo(ChronoUnit.MILLIS);
        return new RunRecord(
                UUID.randomUUID().toString(),
                job,
                "node-a",
                GuardMode.ENFORCE,
                started,
                started.plusMillis(2500),
                RunOutcome.TRIPPED,
                new Trip(TripReason.MAX_ROWS_CHANGED, 100, 150, "cli_orders", "DELETE FROM cli_orders WHERE 1=1"),
                "limit crossed",
                150,
                false,
                Map.of("cli_orders", Map.of(Operation.DELETE, 140L), "cli_order_lines", Map.of(Operation.UPDATE, 10L)),
                100L,
                50L);
    }

    private int tableRows(String runId) throws SQLException {
        try (Connection connection = dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT COUNT(*) FROM " + prefix() + "run_table WHERE run_id = ?")) {
            select.setString(1, runId);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private final List<String> dataTables = new ArrayList<>();

    @AfterEach
    void dropDataTables() throws SQLException {
        for (String table : dataTables) {
            execute("DROP TABLE IF EXISTS " + table);
        }
    }

    /** A fresh table with a primary key: (1, ann, 100), (2, bob, 200), (3, cy, 300). */
    String accounts() throws SQLException {
        String table = prefix() + "acct_" + UUID.randomUUID().toString().substring(0, 8);
        execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, balance INT NOT NULL)");
        dataTables.add(table);
        execute("INSERT INTO " + table
                + " (id, name, balance) VALUES (1, 'ann', 100), (2, 'bob', 200), (3, 'cy', 300)");
        return table;
    }

    /** One run of the job with the change journal on, executing the statements through the guarded DataSource. */
    String journaledRun(String... statements) {
        DataSource guarded = GuardedDataSource.wrap(dataSource());
        try (JobGuard guard = JobGuard.builder().stateStore(store).build()) {
            RunReport report = guard.run(GuardPolicy.builder(job).journal(true).build(), () -> {
                try (Connection connection = guarded.getConnection();
                        Statement statement = connection.createStatement()) {
                    for (String sql : statements) {
                        statement.executeUpdate(sql);
                    }
                }
            });
            assertThat(report.outcome()).as(report.summary()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(report.journalGaps()).isEmpty();
            return report.runId();
        }
    }

    /** The table's rows as id to "name:balance". */
    Map<Integer, String> rows(String table) throws SQLException {
        Map<Integer, String> rows = new TreeMap<>();
        try (Connection connection = dataSource().getConnection();
                Statement select = connection.createStatement();
                ResultSet result = select.executeQuery("SELECT id, name, balance FROM " + table)) {
            while (result.next()) {
                rows.put(result.getInt(1), result.getString(2) + ":" + result.getInt(3));
            }
        }
        return rows;
    }

    void execute(String sql) throws SQLException {
        try (Connection connection = dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private int journalRows(String runId) throws SQLException {
        return count("SELECT COUNT(*) FROM " + prefix() + "change WHERE run_id = ?", runId);
    }

    private int revertRecords(String runId) throws SQLException {
        return count("SELECT COUNT(*) FROM " + prefix() + "revert WHERE run_id = ?", runId);
    }

    private int count(String sql, String runId) throws SQLException {
        try (Connection connection = dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, runId);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
