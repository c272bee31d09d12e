package dev.jobguard.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RunIdsTest {

    @Test
    void aRunIdIsAVersion7UuidThatCarriesTheMillisecondItWasMadeIn() {
        long before = System.currentTimeMillis();
        UUID id = UUID.fromString(RunIds.next());
        long after = System.currentTimeMillis();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2); // RFC 9562
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
    }

    @Test
    void runIdsSortByTheTimeTheyWereMade() {
        List<String> ids = new ArrayList<>();
        for (long millis = 1_700_000_000_000L; millis < 1_700_000_000_100L; millis += 7) {
            ids.add(RunIds.next(millis).toString());
        }

        assertThat(ids).isSorted();
    }

    @Test
    void runIdsMadeInTheSameMillisecondOnManyThreadsAreAllDifferent() throws Exception {
        Set<UUID> ids = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 100_000; i++) {
                        ids.add(RunIds.next(1_700_000_000_000L));
                    }
                }));
            }
            for (Future<?> each : done) {
                each.get();
            }
        } finally {
            threads.shutdown();
        }

        assertThat(ids).hasSize(400_000);
        Set<Long> randomParts = new HashSet<>();
        ids.forEach(id -> randomParts.add(id.getLeastSignificantBits()));
        assertThat(randomParts).hasSize(400_000);
    }
}
