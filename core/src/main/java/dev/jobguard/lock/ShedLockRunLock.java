package dev.jobguard.lock;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;

/** A {@link RunLock} on ShedLock's {@link LockProvider}, used as it is. Only loaded when ShedLock is present. */
public final class ShedLockRunLock implements RunLock {

    private final LockProvider provider;

    public ShedLockRunLock(LockProvider provider) {
        this.provider = Objects.requireNonNull(provider, "lockProvider");
    }

    @Override
    public Held tryLock(String name, Duration atMostFor, Instant now) {
        return provider.lock(new LockConfiguration(now, name, atMostFor, Duration.ZERO))
                .<Held>map(lock -> lock::unlock)
                .orElse(null);
    }

    /** The provider this lock uses. */
    public LockProvider provider() {
        return provider;
    }

    @Override
    public String toString() {
        return "ShedLockRunLock[" + provider + "]";
    }
}
