package dev.jobguard.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.GuardPolicy;
import dev.jobguard.Operation;
import dev.jobguard.Trip;
import dev.jobguard.internal.sql.SqlStatementInfo;
import dev.jobguard.internal.sql.StatementKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A run counts without a monitor on its own thread until another thread uses its counters ({@link OwnerFirstLock}).
 * These tests count on the run's thread while other threads join mid-way, with plain {@code +=} counters that lose
 * updates as soon as two threads count at once unlocked.
 */
class RunContextThreadsTest {

    private static final SqlStatementInfo UPDATE =
            SqlStatementInfo.of(StatementKind.UPDATE, "invoices", true, "UPDATE invoices SET amount = 1");

    private static RunContext run(GuardPolicy policy) {
        return new RunContext("run-1", policy, RunLimits.from(policy), TablePatterns.of(List.of()));
    }

    @Test
    void countsOfTheRunsThreadAndOfThreadsThatJoinLaterAllAddUp() throws Exception {
        RunContext run = run(GuardPolicy.builder("threads").build());
        int helpers = 3;
        int perThread = 400_000;
        ExecutorService pool = Executors.newFixedThreadPool(helpers);
        try {
            CountDownLatch ownerCounting = new CountDownLatch(1);
            CountDownLatch helpersCounting = new CountDownLatch(helpers);
            List<Future<?>> joined = new ArrayList<>();
            for (int h = 0; h < helpers; h++) {
                joined.add(pool.submit(() -> {
                    ownerCounting.await();
                    for (int i = 0; i < perThread; i++) {
                        run.record(UPDATE, 1, false);
                        if (i == 0) {
                            helpersCounting.countDown();
                        }
                    }
                    return null;
                }));
            }
            for (int i = 0; i < perThread; i++) {
                run.record(UPDATE, 1, false);
                if (i == perThread / 10) {
                    ownerCounting.countDown(); // the others join while the run's thread is counting
                    helpersCounting.await(); // and the rest of its counts overlap theirs
                }
            }
            for (Future<?> helper : joined) {
                helper.get();
            }
        } finally {
            pool.shutdownNow();
        }

        long total = (long) (helpers + 1) * perThread;
        assertThat(run.rowsChanged()).isEqualTo(total);
        assertThat(run.statementsExecuted()).isEqualTo(total);
        assertThat(run.rowsByTable()).isEqualTo(Map.of("invoices", Map.of(Operation.UPDATE, total)));
        assertThat(run.statementSummaries()).singleElement().satisfies(summary -> {
            assertThat(summary.executions()).isEqualTo(total);
            assertThat(summary.rows()).isEqualTo(total);
        });
    }

    @Test
    void aReaderOnAnotherThreadSeesEveryCountTheRunsThreadMadeBeforeIt() throws Exception {
        RunContext run = run(GuardPolicy.builder("reader").build());
        for (int i = 0; i < 1_000; i++) {
            run.record(UPDATE, 2, false);
        }
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            assertThat(reader.submit(run::rowsChanged).get()).isEqualTo(2_000L);
            // the run's thread goes on counting under the monitor, the reader reading at the same time
            Future<Long> reading = reader.submit(() -> {
                long seen = 0;
                while (seen < 2_000 + 2 * 200_000) {
                    long now = run.rowsChanged();
                    assertThat(now).isGreaterThanOrEqualTo(seen);
                    run.rowsByTable();
                    seen = now;
                }
                return seen;
            });
            for (int i = 0; i < 200_000; i++) {
                run.record(UPDATE, 2, false);
            }
            assertThat(reading.get()).isEqualTo(2_000L + 2 * 200_000);
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void aLimitCrossedByCountsFromSeveralThreadsTripsOnceAtTheLimit() throws Exception {
        long limit = 100_000;
        RunContext run = run(GuardPolicy.builder("limit").maxRowsChanged(limit).build());
        AtomicInteger trips = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Runnable counting = () -> {
                for (int i = 0; i < limit; i++) {
                    Trip trip = run.record(UPDATE, 1, false);
                    if (trip != null) {
                        trips.incrementAndGet();
                    }
                }
            };
            List<Future<?>> helpers = new ArrayList<>();
            for (int h = 0; h < 2; h++) {
                helpers.add(pool.submit(() -> {
                    start.await();
                    counting.run();
                    return null;
                }));
            }
            start.countDown();
            counting.run();
            for (Future<?> helper : helpers) {
                helper.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(run.rowsChanged()).isEqualTo(3 * limit);
        assertThat(run.trip()).satisfies(trip -> {
            assertThat(trip.limit()).isEqualTo(limit);
            assertThat(trip.figure()).isEqualTo(limit + 1); // the count that crossed it, whichever thread made it
        });
        assertThat(trips.get()).isEqualTo((int) (2 * limit)); // every count past the limit returns the trip
    }
}
