/** A job's normal size, learnt from its history, and the limit it sets on a run. */
@NullMarked
package dev.jobguard.anomaly;

import org.jspecify.annotations.NullMarked;
