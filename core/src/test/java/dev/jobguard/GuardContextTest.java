package dev.jobguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class GuardContextTest {

    private final JobGuard guard = JobGuard.builder().build();

    @Test
    void outsideARunTheContextIsInactiveAndSideEffectsRun() throws Exception {
        GuardContext context = GuardContext.current();
        List<String> done = new ArrayList<>();

        context.sideEffect("mail", () -> done.add("mail"));
        context.recordChanges("invoices", 10);
        Runnable task = () -> done.add("task");

        assertThat(context.isActive()).isFalse();
        assertThat(context.isDryRun()).isFalse();
        assertThat(context.jobName()).isEmpty();
        assertThat(done).containsExactly("mail");
        assertThat(context.wrap(task)).isSameAs(task);
    }

    @Test
    void aDryRunSkipsSideEffectsAndNamesThemInTheReport() {
        List<String> done = new ArrayList<>();
        RunReport report =
                guard.run(GuardPolicy.builder("mailer").mode(GuardMode.DRY_RUN).build(), () -> {
                    assertThat(GuardContext.current().isDryRun()).isTrue();
                    GuardContext.current().sideEffect("send-email", () -> done.add("sent"));
                });

        assertThat(done).isEmpty();
        assertThat(report.skippedSideEffects()).containsExactly("send-email");
    }

    @Test
    void anEnforcedRunPerformsSideEffects() {
        List<String> done = new ArrayList<>();
        RunReport report = guard.run(
                GuardPolicy.builder("mailer").build(),
                () -> GuardContext.current().sideEffect("send-email", () -> done.add("sent")));

        assertThat(done).containsExactly("sent");
        assertThat(report.skippedSideEffects()).isEmpty();
    }

    @Test
    void changesRecordedOutsideJdbcCountAndTripTheRun() {
        AtomicReference<Exception> thrown = new AtomicReference<>();
        RunReport report = guard.run(
                GuardPolicy.builder("sync").tableLimit("crm.contacts", 10).build(), () -> {
                    GuardContext.current().recordChanges("crm.contacts", 6);
                    try {
                        GuardContext.current().recordChanges("CRM.Contacts", 6);
                    } catch (RowLimitExceededException e) {
                        thrown.set(e);
                        throw e;
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.rowsChanged("crm.contacts", Operation.OTHER)).isEqualTo(12);
        assertThat(thrown.get()).hasMessageContaining("tableLimit[crm.contacts]=10");
    }

    @Test
    void recordChangesRejectsNonsense() {
        assertThatThrownBy(() -> GuardContext.current().recordChanges("", 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GuardContext.current().recordChanges("t", -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrappedTasksCarryTheRunToAnotherThreadAndNotBeyond() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<String> seenInside = new AtomicReference<>();
            AtomicReference<Boolean> activeAfterwards = new AtomicReference<>();
            RunReport report = guard.run(GuardPolicy.builder("fan-out").build(), () -> {
                Callable<String> job = () -> GuardContext.current().jobName().orElse("none");
                seenInside.set(executor.submit(GuardContext.current().wrap(job)).get());
                executor.submit(() ->
                                activeAfterwards.set(GuardContext.current().isActive()))
                        .get();
            });

            assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(seenInside.get()).isEqualTo("fan-out");
            assertThat(activeAfterwards.get()).isFalse();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aWrappedTaskLogsWithTheRunsMdcOnItsThreadAndClearsItAfterwards() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<String> mdcInside = new AtomicReference<>();
            AtomicReference<String> mdcAfterwards = new AtomicReference<>("unset");
            RunReport report = guard.run(GuardPolicy.builder("fan-out-logs").build(), () -> {
                executor.submit(GuardContext.current()
                                .wrap(() -> mdcInside.set(MDC.get(JobGuard.MDC_JOB) + " " + MDC.get(JobGuard.MDC_RUN))))
                        .get();
                executor.submit(() -> mdcAfterwards.set(MDC.get(JobGuard.MDC_JOB)))
                        .get();
            });

            assertThat(mdcInside.get()).isEqualTo("fan-out-logs " + report.runId());
            assertThat(mdcAfterwards.get()).isNull();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void theRunIsUnboundAndTheMdcClearedAfterTheRun() {
        AtomicReference<String> mdcJob = new AtomicReference<>();
        guard.run(GuardPolicy.builder("tidy").build(), () -> mdcJob.set(MDC.get(JobGuard.MDC_JOB)));

        assertThat(mdcJob.get()).isEqualTo("tidy");
        assertThat(MDC.get(JobGuard.MDC_JOB)).isNull();
        assertThat(MDC.get(JobGuard.MDC_RUN)).isNull();
        assertThat(GuardContext.current().isActive()).isFalse();
    }

    @Test
    void aJobThatThrowsIsReportedFailedWithItsException() {
        IllegalStateException boom = new IllegalStateException("boom");
        RunReport report = guard.run(GuardPolicy.builder("fails").build(), () -> {
            throw boom;
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(report.failure()).containsSame(boom);
        assertThat(GuardContext.current().isActive()).isFalse();
    }

    @Test
    void aGuardedRunInsideAnotherOnTheSameThreadIsRefused() {
        AtomicReference<RunReport> inner = new AtomicReference<>();
        List<String> ran = new ArrayList<>();
        RunReport outer = guard.run(
                GuardPolicy.builder("outer").build(),
                () -> inner.set(guard.run(GuardPolicy.builder("inner").build(), () -> ran.add("inner"))));

        assertThat(outer.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(inner.get().outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(inner.get().failure().orElseThrow()).hasMessageContaining("nested guarded runs");
        assertThat(ran).isEmpty();
    }
}
