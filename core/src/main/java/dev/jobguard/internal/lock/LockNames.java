package dev.jobguard.internal.lock;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The name of each job's lock. Internal to jobguard. */
public final class LockNames {

    /** The longest lock name: ShedLock's tables keep 64 characters. */
    public static final int MAX_LENGTH = 64;

    /**
     * The job's lock: {@code jobguard-<job>}, or, when that is longer than {@link #MAX_LENGTH} (the {@code name}
     * column of ShedLock's documented table), its start and a hash of the whole name, so that every job name
     * accepted ({@link dev.jobguard.GuardPolicy#MAX_JOB_NAME_LENGTH}) gets a lock of its own.
     */
    public static String of(String job) {
        String name = "jobguard-" + job;
        if (name.length() <= MAX_LENGTH) {
            return name;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(job.getBytes(StandardCharsets.UTF_8));
            String hash = HexFormat.of().formatHex(digest, 0, 8);
            return name.substring(0, MAX_LENGTH - hash.length() - 1) + "-" + hash;
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", missing);
        }
    }

    private LockNames() {}
}
