/** The API of jobguard: {@link dev.jobguard.JobGuard} runs guarded jobs under a {@link dev.jobguard.GuardPolicy} and reports each run. */
@NullMarked
package dev.jobguard;

import org.jspecify.annotations.NullMarked;
