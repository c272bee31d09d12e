package dev.jobguard.notify;

import dev.jobguard.GuardMode;
import dev.jobguard.Trip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per trip on the logger {@value #LOGGER_NAME}: at ERROR when the run was stopped (ENFORCE), at WARN for
 * a would-trip that stopped nothing (OBSERVE or a dry run, job not disabled). The line says the job, run, node, mode,
 * what was crossed (reason, setting, limit, figure, table, statement), whether the job is now disabled and, when it
 * is, how to re-enable it.
 */
public final class LoggingTripListener implements TripListener {

    /** The logger trips are written to. */
    public static final String LOGGER_NAME = "dev.jobguard.trip";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

    @Override
    public void onTrip(TripEvent event) {
        if (isWouldTrip(event)) {
            if (LOG.isWarnEnabled()) {
                LOG.warn(line(event));
            }
        } else if (LOG.isErrorEnabled()) {
            LOG.error(line(event));
        }
    }

    /** Nothing was stopped or disabled: an OBSERVE (or dry-run) trip. */
    static boolean isWouldTrip(TripEvent event) {
        return !event.disabled() && event.mode() != GuardMode.ENFORCE;
    }

    static String line(TripEvent event) {
        Trip trip = event.trip();
        StringBuilder line = new StringBuilder("jobguard: ").append(event.describe());
        line.append(" [reason=").append(trip.reason());
        line.append(", setting=").append(trip.reason().setting());
        line.append(", limit=").append(trip.limit());
        line.append(", figure=").append(trip.figure());
        line.append(", table=").append(trip.table());
        line.append(", disabled=").append(event.disabled()).append(']');
        if (event.disabled()) {
            line.append("; ").append(event.howToReEnable());
        }
        return line.toString();
    }
}
