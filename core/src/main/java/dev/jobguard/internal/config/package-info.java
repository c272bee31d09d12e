/** Internal to jobguard: not API, it may change in any release. */
@NullMarked
package dev.jobguard.internal.config;

import org.jspecify.annotations.NullMarked;
