package dev.jobguard.spring;

import dev.jobguard.jdbc.GuardedDataSource;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;

/**
 * Wraps every {@link DataSource} bean in a {@link GuardedDataSource}, so JdbcTemplate, the transaction manager and JPA
 * all use the same wrapped bean and every write of a guarded run is counted. Outside a guarded run the wrapper passes
 * everything through. {@code unwrap}/{@code isWrapperFor} delegate, so {@code dataSource.unwrap(HikariDataSource.class)}
 * still reaches the pool; inject {@code DataSource}, not the pool's own type.
 */
final class GuardedDataSourcePostProcessor implements BeanPostProcessor, Ordered, SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(GuardedDataSourcePostProcessor.class);

    private final boolean wrap;
    private final Set<String> excluded;
    private final Set<String> excludedSeen = ConcurrentHashMap.newKeySet();

    GuardedDataSourcePostProcessor(boolean wrap, Set<String> excluded) {
        this.wrap = wrap;
        this.excluded = Set.copyOf(excluded);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!wrap || !(bean instanceof DataSource dataSource) || bean instanceof GuardedDataSource) {
            return bean;
        }
        if (excluded.contains(beanName)) {
            excludedSeen.add(beanName);
            log.info("jobguard: DataSource bean '{}' left unguarded (jobguard.datasource.exclude)", beanName);
            return bean;
        }
        log.debug("jobguard: DataSource bean '{}' wrapped in a GuardedDataSource", beanName);
        return GuardedDataSource.wrap(dataSource);
    }

    /** Warns of excluded names that matched no DataSource bean (a misspelt one leaves its DataSource guarded). */
    @Override
    public void afterSingletonsInstantiated() {
        if (!wrap) {
            return;
        }
        Set<String> unmatched = new TreeSet<>(excluded);
        unmatched.removeAll(excludedSeen);
        if (!unmatched.isEmpty()) {
            log.warn(
                    "jobguard: jobguard.datasource.exclude names {}, but no DataSource bean of that name was created;"
                            + " name the DataSource beans to leave unguarded exactly as they are registered",
                    unmatched);
        }
    }

    @Override
    public int getOrder() {
        // after the other post-processors (pool metrics, initializers), which unwrap anyway
        return Ordered.LOWEST_PRECEDENCE - 10;
    }
}
