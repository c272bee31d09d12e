/**
 * Reading SQL for the guard: {@link dev.jobguard.internal.sql.SqlClassifier} tells, for every statement in a SQL string,
 * its {@link dev.jobguard.internal.sql.StatementKind}, the table it writes and whether it returns rows. JSqlParser does the
 * reading within a time box; a token-level fallback covers what it rejects or is too slow for. Internal to jobguard:
 * not API, it may change in any release.
 */
@NullMarked
package dev.jobguard.internal.sql;

import org.jspecify.annotations.NullMarked;
