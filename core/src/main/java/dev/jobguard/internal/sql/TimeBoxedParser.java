package dev.jobguard.internal.sql;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.statement.Statement;

/**
 * Runs JSqlParser on the calling thread with a deadline. One shared daemon thread sets the parser's
 * {@code interrupted} flag when the deadline passes, which makes the parser give up. The flag is cooperative: a
 * parse finishing after the deadline is reported as timed out whatever it returned.
 */
final class TimeBoxedParser {

    enum Outcome {
        PARSED,
        FAILED,
        TIMED_OUT
    }

    record Result(Outcome outcome, List<Statement> statements) {

        static final Result FAILED = new Result(Outcome.FAILED, List.of());
        static final Result TIMED_OUT = new Result(Outcome.TIMED_OUT, List.of());
    }

    /** Created on first use (holder idiom). */
    private static final class Alarms {

        static final ScheduledThreadPoolExecutor EXECUTOR = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "jobguard-sql-timeout");
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true); // finished parses must not pile up as cancelled alarms
            return executor;
        }
    }

    private TimeBoxedParser() {}

    /**
     * Parses every statement in {@code sql}.
     *
     * @param deadline a {@link System#nanoTime()} value
     */
    static Result parse(String sql, long deadline) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return Result.TIMED_OUT;
        }
        CCJSqlParser parser = new CCJSqlParser(new StringProvider(sql));
        ScheduledFuture<?> alarm =
                Alarms.EXECUTOR.schedule(() -> parser.interrupted = true, remaining, TimeUnit.NANOSECONDS);
        try {
            List<Statement> statements = parser.Statements();
            return timedOut(parser, deadline) ? Result.TIMED_OUT : new Result(Outcome.PARSED, statements);
        } catch (ParseException | RuntimeException | StackOverflowError e) {
            return timedOut(parser, deadline) ? Result.TIMED_OUT : Result.FAILED;
        } finally {
            alarm.cancel(false);
        }
    }

    private static boolean timedOut(CCJSqlParser parser, long deadline) {
        return parser.interrupted || System.nanoTime() - deadline >= 0;
    }
}
