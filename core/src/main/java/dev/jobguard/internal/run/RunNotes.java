package dev.jobguard.internal.run;

import dev.jobguard.Trip;
import dev.jobguard.internal.sql.SqlStatementInfo;
import dev.jobguard.internal.sql.SqlText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a run's report says besides its counts: its would-trips (OBSERVE), the writes its journal could not capture,
 * those not counted before they ran, the side effects it skipped. Each list keeps at most {@link
 * RunContext#MAX_STATEMENT_SUMMARIES} entries. Not thread-safe: its run holds its own lock around every call.
 */
final class RunNotes {

    private final Map<String, Trip> wouldTrips = new LinkedHashMap<>();
    private final List<String> skippedSideEffects = new ArrayList<>();
    private final List<String> journalGaps = new ArrayList<>();
    /** Writes that could cross a limit but were not counted before they ran, and why. */
    private final List<String> notPreflighted = new ArrayList<>();
    /** The same, by statement, for its summary. */
    private final Map<SqlStatementInfo, String> notPreflightedWhy = new HashMap<>();

    /** Notes a limit crossed in OBSERVE, once per reason and table. */
    void wouldTrip(Trip crossed) {
        wouldTrips.putIfAbsent(crossed.reason() + "/" + crossed.table(), crossed);
    }

    List<Trip> wouldTrips() {
        return List.copyOf(wouldTrips.values());
    }

    void journalGap(@Nullable String table, String sql, String why) {
        if (journalGaps.size() < RunContext.MAX_STATEMENT_SUMMARIES) {
            journalGaps.add((table == null ? "" : table + ": ") + why + "; statement: " + SqlText.shorten(sql));
        }
    }

    List<String> journalGaps() {
        return List.copyOf(journalGaps);
    }

    /** Notes a write not counted before it ran, once per SQL text. */
    void notPreflighted(SqlStatementInfo info, String why) {
        String entry = SqlText.shorten(info.sql()) + " (" + why + ")";
        if (notPreflighted.size() < RunContext.MAX_STATEMENT_SUMMARIES && !notPreflighted.contains(entry)) {
            notPreflighted.add(entry);
        }
        if (notPreflightedWhy.size() < RunContext.MAX_STATEMENT_SUMMARIES) {
            notPreflightedWhy.putIfAbsent(info, why);
        }
    }

    List<String> notPreflighted() {
        return List.copyOf(notPreflighted);
    }

    /** Why the statement was not counted before it ran, or null when it was (or needed not be). */
    @Nullable
    String whyNotPreflighted(SqlStatementInfo info) {
        return notPreflightedWhy.get(info);
    }

    void skippedSideEffect(String name) {
        skippedSideEffects.add(name);
    }

    List<String> skippedSideEffects() {
        return List.copyOf(skippedSideEffects);
    }
}
