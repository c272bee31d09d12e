package dev.jobguard.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.SQLException;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The raw and the guarded part of an interleaved benchmark, run in turn within one invocation (which goes first
 * alternates), each timed on the wall clock and on the thread's CPU clock and summed per iteration. Their ratio is not
 * moved by what else the machine does while the benchmark runs, as separate forks of the two are; the CPU figures are
 * not moved by other processes taking the CPU either.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class RawGuardedSplit {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public long rawNanos;
    public long guardedNanos;
    public long rawCpuNanos;
    public long guardedCpuNanos;
    private boolean rawFirst;

    /** One part of an invocation. */
    @FunctionalInterface
    interface Part<T> {
        T run() throws SQLException;
    }

    @Setup(Level.Iteration)
    public void clear() {
        rawNanos = 0;
        guardedNanos = 0;
        rawCpuNanos = 0;
        guardedCpuNanos = 0;
    }

    /** Runs both parts, in the other order than the last invocation, timing each; returns the guarded part's result. */
    <T> T inTurn(Part<?> raw, Part<T> guarded) throws SQLException {
        rawFirst = !rawFirst;
        if (rawFirst) {
            time(true, raw);
            return time(false, guarded);
        }
        T result = time(false, guarded);
        time(true, raw);
        return result;
    }

    private <T> T time(boolean raw, Part<T> part) throws SQLException {
        long start = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        T result = part.run();
        long tookCpu = THREADS.getCurrentThreadCpuTime() - cpu;
        long took = System.nanoTime() - start;
        if (raw) {
            rawNanos += took;
            rawCpuNanos += tookCpu;
        } else {
            guardedNanos += took;
            guardedCpuNanos += tookCpu;
        }
        return result;
    }
}
