package dev.jobguard;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LimitsOnIgnoredTablesTest {

    @Test
    void aLimitOnATableTheGuardIgnoresIsWarnedOfOncePerJobInsteadOfSilentlyNeverApplying() {
        JobGuard guard = JobGuard.builder().ignoredTables(List.of("audit_*")).build();
        GuardPolicy policy = GuardPolicy.builder("nightly-cleanup")
                .tableLimit("audit_log", 100)
                .tableLimit("invoices", 10)
                .build();
        Logger logger = (Logger) LoggerFactory.getLogger(JobGuard.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            guard.run(policy, () -> {});
            guard.run(policy, () -> {});
        } finally {
            logger.detachAppender(appender);
        }

        List<String> warnings = appender.list.stream()
                .filter(event -> event.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .filter(message -> message.contains("never applies"))
                .toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0))
                .contains("nightly-cleanup", "100 rows", "audit_log", "'audit_*'", "ignoredTables", "Remove the limit");
    }
}
