package dev.jobguard.anomaly;

import java.util.Objects;

/**
 * How a job's own history limits its runs: once the job has {@link #minRuns()} successful ENFORCE runs, a run may
 * change at most {@code max(minRows, factor x median)} rows, in total and per table, where the median is taken over
 * the last {@link #history()} such runs. Immutable; validated when built.
 */
public final class AnomalyPolicy {

    public static final double DEFAULT_FACTOR = 10;
    public static final long DEFAULT_MIN_ROWS = 50;
    public static final int DEFAULT_HISTORY = 20;
    public static final int DEFAULT_MIN_RUNS = 5;

    /** The defaults: on, factor 10, min rows 50, history 20, min runs 5. */
    public static final AnomalyPolicy DEFAULTS = builder().build();

    /** No anomaly limit. */
    public static final AnomalyPolicy DISABLED = builder().enabled(false).build();

    private final boolean enabled;
    private final double factor;
    private final long minRows;
    private final int history;
    private final int minRuns;

    private AnomalyPolicy(Builder builder) {
        this.enabled = builder.enabled;
        this.factor = builder.factor;
        this.minRows = builder.minRows;
        this.history = builder.history;
        this.minRuns = builder.minRuns;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean enabled() {
        return enabled;
    }

    public double factor() {
        return factor;
    }

    public long minRows() {
        return minRows;
    }

    public int history() {
        return history;
    }

    public int minRuns() {
        return minRuns;
    }

    /** The limit for a median: {@code max(minRows, ceil(factor x median))}. */
    public long limitFor(long median) {
        double scaled = Math.ceil(factor * median);
        long limit = scaled >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) scaled;
        return Math.max(minRows, limit);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AnomalyPolicy that
                && enabled == that.enabled
                && Double.compare(factor, that.factor) == 0
                && minRows == that.minRows
                && history == that.history
                && minRuns == that.minRuns;
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, factor, minRows, history, minRuns);
    }

    @Override
    public String toString() {
        return enabled
                ? "anomaly{factor=" + factor + ", minRows=" + minRows + ", history=" + history + ", minRuns=" + minRuns
                        + '}'
                : "anomaly{off}";
    }

    /** Builds an {@link AnomalyPolicy}; each setter checks its value at once. */
    public static final class Builder {
        private boolean enabled = true;
        private double factor = DEFAULT_FACTOR;
        private long minRows = DEFAULT_MIN_ROWS;
        private int history = DEFAULT_HISTORY;
        private int minRuns = DEFAULT_MIN_RUNS;

        private Builder() {}

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** How many times its median a run may change; at least 1. */
        public Builder factor(double factor) {
            if (!(factor >= 1) || Double.isInfinite(factor)) {
                throw invalid("anomaly.factor", String.valueOf(factor), "use a finite number >= 1, e.g. 10");
            }
            this.factor = factor;
            return this;
        }

        /** The anomaly limit is never below this many rows (small jobs vary a lot); at least 0. */
        public Builder minRows(long minRows) {
            if (minRows < 0) {
                throw invalid("anomaly.min-rows", String.valueOf(minRows), "use a number >= 0, e.g. 50");
            }
            this.minRows = minRows;
            return this;
        }

        /** How many recent successful ENFORCE runs form the baseline; at least 1. */
        public Builder history(int history) {
            if (history < 1) {
                throw invalid("anomaly.history", String.valueOf(history), "use a number >= 1, e.g. 20");
            }
            this.history = history;
            return this;
        }

        /** How many such runs the job needs before the anomaly limit applies; at least 1. */
        public Builder minRuns(int minRuns) {
            if (minRuns < 1) {
                throw invalid("anomaly.min-runs", String.valueOf(minRuns), "use a number >= 1, e.g. 5");
            }
            this.minRuns = minRuns;
            return this;
        }

        public AnomalyPolicy build() {
            if (minRuns > history) {
                throw invalid(
                        "anomaly.min-runs",
                        minRuns + " > anomaly.history " + history,
                        "min-runs cannot exceed the history the baseline is drawn from");
            }
            return new AnomalyPolicy(this);
        }

        private static IllegalArgumentException invalid(String setting, String value, String fix) {
            return new IllegalArgumentException("jobguard: invalid " + setting + " (" + value + "): " + fix);
        }
    }
}
