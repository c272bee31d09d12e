/** What hears of a trip: the listener SPI, logging and webhook listeners. */
package dev.jobguard.notify;
