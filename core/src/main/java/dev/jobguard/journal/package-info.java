/**
 * The change journal: with {@code journal} on, a guarded run records the before-image of every row it updates or
 * deletes and the key of every row it inserts in {@code jobguard_change}, in the same transaction as the change, so
 * that {@link dev.jobguard.journal.ChangeJournal#revert} can put the rows back later, refusing rows changed since.
 */
@NullMarked
package dev.jobguard.journal;

import org.jspecify.annotations.NullMarked;
