/** The guarded JDBC layer: {@link dev.jobguard.jdbc.GuardedDataSource}, its connections and statements. */
@NullMarked
package dev.jobguard.jdbc;

import org.jspecify.annotations.NullMarked;
