package dev.jobguard.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations jobguard makes: {@link #RUN}, one per guarded run. Its key names are part of jobguard's contract.
 */
public enum JobGuardObservation implements ObservationDocumentation {

    /**
     * One guarded run, named {@value DefaultRunObservationConvention#NAME}: started before the job's state is read,
     * stopped once the run is recorded, with the job executing inside its scope. A skipped run (job disabled, guard
     * switched off, lock held elsewhere, state store unreachable) is an observation too, with outcome {@code SKIPPED}.
     */
    RUN {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultRunObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return LowCardinalityKeys.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeys.values();
        }
    };

    /** The run's low-cardinality key values: they become metric tags and span tags. */
    public enum LowCardinalityKeys implements KeyName {
        /** The job's name. */
        JOB("job"),
        /** The mode the run ran in (ENFORCE, OBSERVE, DRY_RUN), an operator's pinned mode included. */
        MODE("mode"),
        /**
         * How the run ended: SUCCEEDED, FAILED, TRIPPED or SKIPPED; {@value DefaultRunObservationConvention#UNKNOWN}
         * until it ends, or when it ended with an error thrown through the guard (e.g. an OutOfMemoryError).
         */
        OUTCOME("outcome");

        private final String name;

        LowCardinalityKeys(String name) {
            this.name = name;
        }

        @Override
        public String asString() {
            return name;
        }
    }

    /** The run's high-cardinality key values: span tags only. */
    public enum HighCardinalityKeys implements KeyName {
        /** The run's id, as in the state store, the run's report and the log lines' MDC key {@code jobguard.run}. */
        RUN_ID("run.id");

        private final String name;

        HighCardinalityKeys(String name) {
            this.name = name;
        }

        @Override
        public String asString() {
            return name;
        }
    }
}
