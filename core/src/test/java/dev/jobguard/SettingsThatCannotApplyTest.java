package dev.jobguard;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.jobguard.journal.ChangeJournal;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SettingsThatCannotApplyTest {

    @Test
    void aLimitOnATableTheGuardIgnoresIsWarnedOfOncePerJobInsteadOfSilentlyNeverApplying() {
        JobGuard guard = JobGuard.builder().ignoredTables(List.of("audit_*")).build();
        GuardPolicy policy = GuardPolicy.builder("nightly-cleanup")
                .tableLimit("audit_log", 100)
                .tableLimit("invoices", 10)
                .build();

        List<String> warnings = warningsOfTwoRuns(guard, policy, "never applies");

        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0))
                .contains("nightly-cleanup", "100 rows", "audit_log", "'audit_*'", "ignoredTables", "Remove the limit");
    }

    @Test
    void aJournalThatNothingCanRevertIsWarnedOfOncePerJob() {
        GuardPolicy journaled =
                GuardPolicy.builder("nightly-cleanup").journal(true).build();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:settings-that-cannot-apply");

        List<String> withoutDataSource = warningsOfTwoRuns(JobGuard.builder().build(), journaled, "cannot be reverted");
        List<String> withDataSource = warningsOfTwoRuns(
                JobGuard.builder().changeJournal(ChangeJournal.create(h2)).build(), journaled, "cannot be reverted");

        assertThat(withoutDataSource).hasSize(1);
        assertThat(withoutDataSource.get(0))
                .contains("nightly-cleanup", "journal = true", "no DataSource", "ChangeJournal.create(dataSource)");
        assertThat(withDataSource).isEmpty();
    }

    private static List<String> warningsOfTwoRuns(JobGuard guard, GuardPolicy policy, String containing) {
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
        return appender.list.stream()
                .filter(event -> event.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .filter(message -> message.contains(containing))
                .toList();
    }
}
