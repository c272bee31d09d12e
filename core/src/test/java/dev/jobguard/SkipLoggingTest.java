package dev.jobguard;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.jobguard.state.RunRecord;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SkipLoggingTest {

    @Test
    void aJobSkippedTickAfterTickForOneReasonSaysSoAtInfoOnceAndAgainWhenTheReasonChanges() {
        JobGuard guard = JobGuard.builder().build();
        GuardPolicy policy = GuardPolicy.builder("cancel-overdue-invoices").build();
        AtomicInteger ran = new AtomicInteger();
        Logger logger = (Logger) LoggerFactory.getLogger(JobGuard.class);
        Level level = logger.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        try {
            guard.disable("cancel-overdue-invoices", "bad release", "alice");
            for (int tick = 0; tick < 3; tick++) {
                guard.run(policy, ran::incrementAndGet);
            }
            guard.disable("cancel-overdue-invoices", "still investigating", "bob");
            guard.run(policy, ran::incrementAndGet);
            guard.enable("cancel-overdue-invoices", "fixed", "alice");
            guard.run(policy, ran::incrementAndGet);
            guard.disable("cancel-overdue-invoices", "bad release", "alice");
            guard.run(policy, ran::incrementAndGet);
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }

        List<ILoggingEvent> skips = appender.list.stream()
                .filter(event -> event.getFormattedMessage().contains("skipped"))
                .toList();
        assertThat(skips)
                .extracting(ILoggingEvent::getLevel)
                .containsExactly(Level.INFO, Level.DEBUG, Level.DEBUG, Level.INFO, Level.INFO);
        assertThat(skips.get(0).getFormattedMessage()).contains("DISABLED", "bad release");
        assertThat(skips.get(3).getFormattedMessage()).contains("still investigating");
        assertThat(ran).hasValue(1);
        assertThat(guard.runs("cancel-overdue-invoices", 10))
                .as("every skip is still recorded: the three in a row for one reason in one record")
                .extracting(RunRecord::outcome, RunRecord::occurrences)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(RunOutcome.SKIPPED, 1L),
                        org.assertj.core.groups.Tuple.tuple(RunOutcome.SUCCEEDED, 1L),
                        org.assertj.core.groups.Tuple.tuple(RunOutcome.SKIPPED, 1L),
                        org.assertj.core.groups.Tuple.tuple(RunOutcome.SKIPPED, 3L));
    }
}
