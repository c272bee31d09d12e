package dev.jobguard.spring.boot4;

import dev.jobguard.JobGuard;
import dev.jobguard.spring.DisabledJobs;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health contributor {@code jobguard}: lists disabled jobs. Reports {@code jobguard.health.disabled-status} (UP by
 * default, so a tripped job does not take the application out of its load balancer) while any job is disabled.
 */
final class JobGuardHealthIndicator extends AbstractHealthIndicator {

    private final JobGuard guard;
    private final Status disabledStatus;

    JobGuardHealthIndicator(JobGuard guard, String disabledStatus) {
        super("jobguard health check failed");
        this.guard = guard;
        this.disabledStatus = new Status(disabledStatus.strip().toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        DisabledJobs disabled = DisabledJobs.read(guard);
        builder.status(disabled.anyDisabled() ? disabledStatus : Status.UP).withDetails(disabled.details());
    }
}
