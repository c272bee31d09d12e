/**
 * Internal: what jobguard does differently per database ({@link dev.jobguard.internal.dialect.Dialect}). Not API:
 * it may change in any release.
 */
@NullMarked
package dev.jobguard.internal.dialect;

import org.jspecify.annotations.NullMarked;
