package dev.jobguard.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The most rows a guarded run may change in one table. */
@Target({})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TableLimit {

    /** The table's name, optionally schema-qualified; compared case-insensitively and without quotes. */
    String table();

    /** Most rows of the table the run may change, over all operations. */
    long maxRows();
}
