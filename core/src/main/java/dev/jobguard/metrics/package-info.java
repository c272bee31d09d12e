/** The Micrometer meters of guarded runs. */
package dev.jobguard.metrics;
