package dev.jobguard.internal.run;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run ids: UUIDs of version 7 (RFC 9562), the millisecond of their creation followed by 74 random bits, so that ids
 * sort by time in the store's indexes. The random bits come from a SplitMix64 sequence seeded once per JVM from {@link
 * SecureRandom}: a run pays one atomic add for its id, where {@link UUID#randomUUID()} reads the system's random source
 * and hashes it on every call. Ids are unique, not secret.
 */
public final class RunIds {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final AtomicLong SEED = new AtomicLong(new SecureRandom().nextLong());

    private RunIds() {}

    /** A new run id. */
    public static String next() {
        return next(System.currentTimeMillis()).toString();
    }

    /** A version 7 UUID for the given millisecond. */
    static UUID next(long epochMillis) {
        long random = mix(SEED.addAndGet(GOLDEN_GAMMA));
        long more = mix(SEED.addAndGet(GOLDEN_GAMMA));
        long high = (epochMillis << 16) | 0x7000L | (random & 0x0fffL);
        long low = (more & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    /** SplitMix64's output function. */
    private static long mix(long z) {
        long x = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return x ^ (x >>> 31);
    }
}
