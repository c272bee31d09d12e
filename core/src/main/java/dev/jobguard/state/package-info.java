/**
 * Where jobs' states and runs' records live: the {@link dev.jobguard.state.StateStore} SPI, the
 * {@link dev.jobguard.state.InMemoryStateStore} default and the {@link dev.jobguard.state.JdbcStateStore} shared by a
 * cluster. The DDL of the JDBC store ships beside these classes as {@code schema-postgresql.sql},
 * {@code schema-mysql.sql} and {@code schema-h2.sql}.
 */
@NullMarked
package dev.jobguard.state;

import org.jspecify.annotations.NullMarked;
