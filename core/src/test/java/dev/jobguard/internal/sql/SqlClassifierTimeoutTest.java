package dev.jobguard.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SqlClassifierTimeoutTest {

    /** A valid statement JSqlParser needs about a second for: a long multi-row VALUES list. */
    private static String slowToParseInsert() {
        StringBuilder sql = new StringBuilder("INSERT INTO invoices (id, note) VALUES ");
        for (int i = 0; i < 10_000; i++) {
            sql.append(i == 0 ? "" : ", ")
                    .append('(')
                    .append(i)
                    .append(", 'n")
                    .append(i)
                    .append("')");
        }
        return sql.toString();
    }

    @Test
    void aSlowParseIsInterruptedAndTheFallbackClassifiesTheStatement() {
        String sql = slowToParseInsert();
        SqlClassifier patient = new SqlClassifier(0, Duration.ofSeconds(60));
        SqlClassifier hasty = new SqlClassifier(0, Duration.ofMillis(20));

        long start = System.nanoTime();
        SqlStatementInfo parsed = patient.classify(sql).first();
        long untimed = System.nanoTime() - start;
        start = System.nanoTime();
        SqlStatementInfo timedOut = hasty.classify(sql).first();
        long timed = System.nanoTime() - start;

        assertThat(parsed.parsed()).as("parses without the time box").isTrue();
        assertThat(timedOut.parsed()).as("falls back within the time box").isFalse();
        assertThat(timedOut.kind()).isEqualTo(StatementKind.INSERT);
        assertThat(timedOut.table()).isEqualTo("invoices");
        assertThat(timed).as("the interrupted parse stops early").isLessThan(untimed / 2);
    }

    @Test
    void aParseFinishingAfterTheDeadlineCountsAsTimedOut() {
        SqlClassifier classifier = new SqlClassifier(16, Duration.ofNanos(1));

        SqlStatementInfo info = classifier
                .classify("UPDATE invoices SET paid = true WHERE id = 1")
                .first();

        assertThat(info.parsed()).isFalse();
        assertThat(info.kind()).isEqualTo(StatementKind.UPDATE);
        assertThat(info.table()).isEqualTo("invoices");
    }

    @Test
    void aTimedOutParseIsCached() {
        SqlClassifier classifier = new SqlClassifier(16, Duration.ofNanos(1));

        ClassifiedSql first = classifier.classify("DELETE FROM invoices");
        ClassifiedSql second = classifier.classify("DELETE FROM invoices");

        assertThat(second).isSameAs(first);
        assertThat(first.first().parsed()).isFalse();
    }

    @Test
    void aTimeoutSendsEveryStatementOfTheStringToTheFallback() {
        SqlClassifier classifier = new SqlClassifier(0, Duration.ofMillis(20));

        ClassifiedSql classified = classifier.classify("DELETE FROM audit_log; " + slowToParseInsert());

        assertThat(classified.statements())
                .extracting(SqlStatementInfo::kind, SqlStatementInfo::table, SqlStatementInfo::parsed)
                .containsExactly(
                        tuple(StatementKind.DELETE, "audit_log", false),
                        tuple(StatementKind.INSERT, "invoices", false));
    }

    @Test
    void deepNestingSkipsTheParserInsteadOfOverflowingTheStack() {
        SqlClassifier classifier = new SqlClassifier(0, Duration.ofSeconds(60));
        String sql = "UPDATE t SET a = " + "(".repeat(5_000) + "1" + ")".repeat(5_000);

        long start = System.nanoTime();
        SqlStatementInfo info = classifier.classify(sql).first();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(info.parsed()).isFalse();
        assertThat(info.kind()).isEqualTo(StatementKind.UPDATE);
    }

    @Test
    void timeoutsRunOnOneSharedDaemonThread() {
        new SqlClassifier(0, Duration.ofSeconds(1)).classify("SELECT 1");
        new SqlClassifier(0, Duration.ofSeconds(2)).classify("SELECT 2");

        assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(thread -> thread.getName().equals("jobguard-sql-timeout"))
                .singleElement()
                .matches(Thread::isDaemon, "is a daemon");
    }
}
