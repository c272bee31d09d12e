/** The annotation that marks a guarded job, read by the Spring and Quartz adapters. */
@NullMarked
package dev.jobguard.annotation;

import org.jspecify.annotations.NullMarked;
