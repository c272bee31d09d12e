/** Per-job settings from plain key/value sources, which the Spring and Quartz adapters map onto a policy. */
package dev.jobguard.config;
