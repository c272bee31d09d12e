/** What hears of a trip: the listener SPI, logging and webhook listeners. */
@NullMarked
package dev.jobguard.notify;

import org.jspecify.annotations.NullMarked;
