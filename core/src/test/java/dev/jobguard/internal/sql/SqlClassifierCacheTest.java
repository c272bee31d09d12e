package dev.jobguard.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

class SqlClassifierCacheTest {

    private static final Duration GENEROUS = Duration.ofSeconds(30);

    @Test
    void neverHoldsMoreThanTheMaximumNumberOfEntries() {
        SqlClassifier classifier = new SqlClassifier(100, GENEROUS);

        for (int i = 0; i < 1_000; i++) {
            classifier.classify("UPDATE t" + i + " SET a = " + i);
            assertThat(classifier.cachedEntries()).isLessThanOrEqualTo(100);
        }
        assertThat(classifier.cachedEntries()).isEqualTo(100);
    }

    @Test
    void servesRepeatedSqlFromTheCache() {
        SqlClassifier classifier = new SqlClassifier(10, GENEROUS);

        ClassifiedSql first = classifier.classify("DELETE FROM invoices WHERE id = ?");
        ClassifiedSql second = classifier.classify("DELETE FROM invoices WHERE id = ?");

        assertThat(second).isSameAs(first);
        assertThat(classifier.cachedEntries()).isEqualTo(1);
    }

    @Test
    void cachesParseFailuresToo() {
        SqlClassifier classifier = new SqlClassifier(10, GENEROUS);

        ClassifiedSql first = classifier.classify("UPDATE TOP (10) invoices SET paid = 1");
        ClassifiedSql second = classifier.classify("UPDATE TOP (10) invoices SET paid = 1");

        assertThat(first.first().parsed()).isFalse();
        assertThat(second).isSameAs(first);
        assertThat(classifier.cachedEntries()).isEqualTo(1);
    }

    @Test
    void zeroEntriesDisablesTheCache() {
        SqlClassifier classifier = new SqlClassifier(0, GENEROUS);

        ClassifiedSql first = classifier.classify("DELETE FROM invoices");
        ClassifiedSql second = classifier.classify("DELETE FROM invoices");

        assertThat(second).isEqualTo(first).isNotSameAs(first);
        assertThat(classifier.cachedEntries()).isZero();
    }

    @Test
    void nullSqlIsNotCached() {
        SqlClassifier classifier = new SqlClassifier(10, GENEROUS);

        classifier.classify(null);

        assertThat(classifier.cachedEntries()).isZero();
    }

    @Test
    void boundsTheCachedCharactersAndSkipsOversizedSql() {
        SqlClassifier classifier = new SqlClassifier(1_000, GENEROUS, 1_000);
        String padding = " ".repeat(80);

        for (int i = 0; i < 50; i++) {
            classifier.classify("DELETE FROM t" + i + padding); // about 95 characters each
        }
        assertThat(classifier.cachedEntries()).isBetween(1, 10);

        ClassifiedSql oversized = classifier.classify("DELETE FROM big" + " ".repeat(2_000));
        assertThat(classifier.classify("DELETE FROM big" + " ".repeat(2_000))).isNotSameAs(oversized);
    }

    @Test
    void concurrentClassificationGivesTheSameResultsAsSequential() throws Exception {
        List<String> sqls = sampleSql();
        SqlClassifier sequential = new SqlClassifier(0, GENEROUS);
        Map<String, ClassifiedSql> expected = new HashMap<>();
        sqls.forEach(sql -> expected.put(sql, sequential.classify(sql)));

        SqlClassifier shared = new SqlClassifier(32, GENEROUS); // small: forces eviction while threads read
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        Queue<String> mismatches = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                Random random = new Random(t);
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < 3; round++) {
                        List<String> order = new ArrayList<>(sqls);
                        Collections.shuffle(order, random);
                        for (String sql : order) {
                            if (!shared.classify(sql).equals(expected.get(sql))) {
                                mismatches.add(sql);
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(mismatches).isEmpty();
        assertThat(shared.cachedEntries()).isLessThanOrEqualTo(32);
    }

    private static List<String> sampleSql() {
        List<String> sqls = new ArrayList<>();
        Stream.concat(SqlCases.parseable(), SqlCases.unparseable())
                .map(Arguments::get)
                .forEach(args -> sqls.add((String) args[0]));
        for (int i = 0; i < 50; i++) {
            sqls.add("UPDATE t" + i + " SET a = " + i + "; DELETE FROM u" + i);
        }
        sqls.add(null);
        sqls.add("");
        return sqls;
    }
}
