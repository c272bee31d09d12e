/** Per-job settings from plain key/value sources, which the Spring and Quartz adapters map onto a policy. */
@NullMarked
package dev.jobguard.config;

import org.jspecify.annotations.NullMarked;
