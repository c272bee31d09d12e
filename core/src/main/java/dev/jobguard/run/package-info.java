/** The state of one guarded run: its limits and counters, its connections, its trip. */
package dev.jobguard.run;
