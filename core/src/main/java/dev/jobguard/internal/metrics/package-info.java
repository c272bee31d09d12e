/** The Micrometer meters of guarded runs. Internal to jobguard: not API, it may change in any release. */
@NullMarked
package dev.jobguard.internal.metrics;

import org.jspecify.annotations.NullMarked;
