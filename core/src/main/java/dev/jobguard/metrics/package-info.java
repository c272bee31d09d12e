/** The Micrometer meters of guarded runs. */
@NullMarked
package dev.jobguard.metrics;

import org.jspecify.annotations.NullMarked;
