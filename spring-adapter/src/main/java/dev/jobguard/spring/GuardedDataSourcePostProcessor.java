package dev.jobguard.spring;

import dev.jobguard.jdbc.GuardedDataSource;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;

/**
 * Wraps every {@link DataSource} bean in a {@link GuardedDataSource}, so JdbcTemplate, the transaction manager and JPA
 * all use the same wrapped bean and every write of a guarded run is counted. Outside a guarded run the wrapper passes
 * everything through. {@code unwrap}/{@code isWrapperFor} delegate, so {@code dataSource.unwrap(HikariDataSource.class)}
 * still reaches the pool; inject {@code DataSource}, not the pool's own type.
 */
final class GuardedDataSourcePostProcessor implements BeanPostProcessor, Ordered {

    private static final Logger log = LoggerFactory.getLogger(GuardedDataSourcePostProcessor.class);

    private final boolean wrap;
    private final Set<String> excluded;

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
            log.info("jobguard: DataSource bean '{}' left unguarded (jobguard.datasource.exclude)", beanName);
            return bean;
        }
        log.debug("jobguard: DataSource bean '{}' wrapped in a GuardedDataSource", beanName);
        return GuardedDataSource.wrap(dataSource);
    }

    @Override
    public int getOrder() {
        // after the other post-processors (pool metrics, initializers), which unwrap anyway
        return Ordered.LOWEST_PRECEDENCE - 10;
    }
}
