/** Internal to jobguard: not API, it may change in any release. */
package dev.jobguard.internal.lock;
