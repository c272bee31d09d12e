/**
 * Reading SQL for the guard: {@link dev.jobguard.sql.SqlClassifier} tells, for every statement in a SQL string,
 * its {@link dev.jobguard.sql.StatementKind}, the table it writes and whether it returns rows. JSqlParser does the
 * reading within a time box; a token-level fallback covers what it rejects or is too slow for.
 */
package dev.jobguard.sql;
