/**
 * The state of one guarded run: its limits and counters, its connections, its trip. Internal to jobguard: not API, it
 * may change in any release.
 */
@NullMarked
package dev.jobguard.internal.run;

import org.jspecify.annotations.NullMarked;
