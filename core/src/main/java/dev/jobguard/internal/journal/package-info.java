/**
 * The change journal's recording side: {@link dev.jobguard.internal.journal.ConnectionJournal} captures each guarded
 * write's rows (before-images, inserted keys, after-images) in the write's transaction and writes them to
 * {@code jobguard_change}, by the {@link dev.jobguard.internal.journal.JournalTables} a run is given; the preflight's
 * counts ({@link dev.jobguard.internal.journal.RowCountQuery}) are planned here too. The API ({@code
 * dev.jobguard.journal}: reading and reverting) builds on it; nothing here knows the API. Internal to jobguard: not
 * API, it may change in any release.
 */
@NullMarked
package dev.jobguard.internal.journal;

import org.jspecify.annotations.NullMarked;
