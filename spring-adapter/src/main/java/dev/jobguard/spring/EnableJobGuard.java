package dev.jobguard.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Guards every bean method annotated {@link dev.jobguard.annotation.GuardedJob @GuardedJob} in a plain Spring
 * application: wraps every DataSource bean in a GuardedDataSource, creates the {@link dev.jobguard.JobGuard} (state in
 * a JdbcStateStore on the application's DataSource) and advises the methods. Spring Boot applications need not use
 * it: the auto-configuration does the same, configurable with {@code jobguard.*} properties.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(JobGuardConfiguration.class)
public @interface EnableJobGuard {}
