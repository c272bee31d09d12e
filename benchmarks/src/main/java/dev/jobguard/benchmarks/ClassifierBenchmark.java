package dev.jobguard.benchmarks;

import dev.jobguard.internal.sql.ClassifiedSql;
import dev.jobguard.internal.sql.SqlClassifier;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of {@link SqlClassifier#classify} for a typical {@code UPDATE}: {@code firstSight} gives the classifier
 * a text it has not seen (a changing numeric literal is appended), so it tokenizes, parses with JSqlParser and stores
 * the result (evicting once the cache is full); {@code cached} repeats one text, which is a cache lookup.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ClassifierBenchmark {

    static final String UPDATE = "UPDATE invoices SET status = 'CANCELLED', updated_at = CURRENT_TIMESTAMP"
            + " WHERE status = 'OPEN' AND due_date < ? AND customer_id = ? AND id > ";

    private SqlClassifier classifier;
    private long literal;

    @Setup(Level.Trial)
    public void setUp() {
        classifier = SqlClassifier.withDefaults();
    }

    @Benchmark
    public ClassifiedSql firstSight() {
        return classifier.classify(UPDATE + literal++);
    }

    @Benchmark
    public ClassifiedSql cached() {
        return classifier.classify(UPDATE + 0);
    }
}
