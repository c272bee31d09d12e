/** The lock that keeps one run of a job at a time across nodes, and its ShedLock implementation. */
@NullMarked
package dev.jobguard.lock;

import org.jspecify.annotations.NullMarked;
