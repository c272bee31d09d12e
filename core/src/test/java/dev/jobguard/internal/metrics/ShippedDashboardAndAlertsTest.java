package dev.jobguard.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.state.JdbcStateStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docs/grafana-dashboard.json} and {@code docs/prometheus-alerts.yml} name only metrics that jobguard exposes,
 * with labels they carry: real guarded runs on H2 (a success, a trip, a skip, a state store that cannot be reached)
 * into a {@link PrometheusMeterRegistry}, scraped, and every selector of the files' PromQL (panels, annotations, the
 * job variable, alert and recording rules) looked up in the scrape with its matchers' and grouping labels.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShippedDashboardAndAlertsTest {

    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*(\\w+)\\s*,\\s*(\\w+)\\s*\\)");
    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+\\S+");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");

    private DataSource raw;
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Per metric name, the label names of each of its series in the scrape. */
    private final Map<String, List<Set<String>>> scraped = new HashMap<>();

    @BeforeAll
    void runGuardedJobsAndScrape() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:shipped-dashboard;DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        raw = h2;
        execute("DROP ALL OBJECTS");
        execute("CREATE TABLE invoices (id BIGINT PRIMARY KEY, status VARCHAR(20) NOT NULL)");
        execute("INSERT INTO invoices SELECT X, 'OPEN' FROM SYSTEM_RANGE(1, 20)");
        DataSource guarded = GuardedDataSource.wrap(raw);
        try (JobGuard guard = JobGuard.builder()
                .stateStore(JdbcStateStore.create(raw))
                .meterRegistry(prometheus)
                .nodeName("node-a")
                .build()) {
            GuardPolicy cancel = GuardPolicy.builder("cancel-overdue-invoices")
                    .maxRowsChanged(10)
                    .build();
            assertThat(guard.run(cancel, () -> update(guarded, "id <= 5")).outcome())
                    .isEqualTo(RunOutcome.SUCCEEDED);
            // counted as it runs (no preflight), so the trip rolls back rows the statement changed
            GuardPolicy purge = GuardPolicy.builder("purge-invoices")
                    .maxRowsChanged(10)
                    .preflight(false)
                    .build();
            assertThat(guard.run(purge, () -> update(guarded, "id > 5")).outcome())
                    .isEqualTo(RunOutcome.TRIPPED);
            assertThat(guard.run(purge, () -> update(guarded, "id > 5")).outcome())
                    .isEqualTo(RunOutcome.SKIPPED);
        }
        JdbcDataSource unreachable = new JdbcDataSource();
        unreachable.setURL("jdbc:h2:tcp://127.0.0.1:1/mem:nowhere"); // nothing listens on port 1
        try (JobGuard outage = JobGuard.builder()
                .stateStore(JdbcStateStore.create(unreachable))
                .meterRegistry(prometheus)
                .nodeName("node-b")
                .build()) {
            assertThat(outage.run(GuardPolicy.builder("nightly-report").build(), () -> {})
                            .outcome())
                    .isEqualTo(RunOutcome.SKIPPED);
        }
        for (String line : prometheus.scrape().split("\n")) {
            Matcher series = SERIES.matcher(line);
            if (line.startsWith("#") || !series.find()) {
                continue;
            }
            Set<String> labels = new TreeSet<>();
            Matcher label = LABEL.matcher(series.group(3) == null ? "" : series.group(3));
            while (label.find()) {
                labels.add(label.group(1));
            }
            scraped.computeIfAbsent(series.group(1), name -> new ArrayList<>()).add(labels);
        }
    }

    @AfterAll
    void drop() throws SQLException {
        prometheus.close();
        execute("DROP ALL OBJECTS");
    }

    @Test
    void everyMetricTheGrafanaDashboardNamesIsScrapedWithItsLabels() throws IOException {
        Map<String, PromQl> expressions = dashboardExpressions();

        assertThat(problems(expressions, Set.of())).isEmpty();
        Set<String> metrics = metricsOf(expressions);
        assertThat(metrics)
                .contains(
                        "jobguard_runs_total",
                        "jobguard_rows_changed_total",
                        "jobguard_trips_total",
                        "jobguard_job_disabled",
                        "jobguard_run_duration_seconds_sum",
                        "jobguard_run_duration_seconds_count",
                        "jobguard_run_duration_seconds_max",
                        "jobguard_job_last_success_seconds",
                        "jobguard_state_errors_total");
    }

    @Test
    void everyMetricThePrometheusAlertRulesNameIsScrapedWithItsLabels() throws IOException {
        Map<String, PromQl> expressions = new LinkedHashMap<>();
        Set<String> recorded = new LinkedHashSet<>();
        Set<String> alerts = new LinkedHashSet<>();
        for (Map<String, Object> group : alertRuleGroups()) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rules = (List<Map<String, Object>>) group.get("rules");
            for (Map<String, Object> rule : rules) {
                String name = String.valueOf(rule.getOrDefault("alert", rule.get("record")));
                if (rule.containsKey("record")) {
                    recorded.add(name);
                } else {
                    alerts.add(name);
                }
                expressions.put(name, PromQl.parse(String.valueOf(rule.get("expr"))));
            }
        }

        assertThat(problems(expressions, recorded)).isEmpty();
        assertThat(alerts)
                .contains(
                        "JobGuardJobDisabled",
                        "JobGuardTripped",
                        "JobGuardNoRecentSuccess",
                        "JobGuardStateStoreErrors");
        assertThat(metricsOf(expressions))
                .contains(
                        "jobguard_job_disabled",
                        "jobguard_trips_total",
                        "jobguard_job_last_success_seconds",
                        "jobguard_state_errors_total");
    }

    @Test
    void theCheckRejectsAMetricOrALabelThatIsNotScraped() {
        Map<String, PromQl> wrong = new LinkedHashMap<>();
        wrong.put("a misspelt metric", PromQl.parse("sum(increase(jobguard_run_total[5m]))"));
        wrong.put("a label the counter lacks", PromQl.parse("jobguard_trips_total{job=\"x\", mode=\"ENFORCE\"}"));
        wrong.put("grouping by a label the gauge lacks", PromQl.parse("max by (job, reason) (jobguard_job_disabled)"));
        wrong.put("an undefined recording rule", PromQl.parse("jobguard:job_interval_seconds"));
        wrong.put(
                "right",
                PromQl.parse("sum by (job) (increase(jobguard_trips_total{reason=\"MAX_ROWS_CHANGED\"}[5m]))"));

        assertThat(problems(wrong, Set.of()))
                .hasSize(4)
                .anySatisfy(problem -> assertThat(problem).startsWith("a misspelt metric: jobguard_run_total"))
                .anySatisfy(problem -> assertThat(problem).startsWith("a label the counter lacks"))
                .anySatisfy(problem -> assertThat(problem).startsWith("grouping by a label the gauge lacks"))
                .anySatisfy(problem -> assertThat(problem).startsWith("an undefined recording rule"));
    }

    /** What each expression names that the scrape does not have: a metric, or a metric with a label. */
    private List<String> problems(Map<String, PromQl> expressions, Set<String> recorded) {
        List<String> problems = new ArrayList<>();
        expressions.forEach((where, expression) -> {
            for (PromQl.Selector selector : expression.selectors) {
                Set<String> labels = new TreeSet<>(selector.labels());
                labels.addAll(expression.groupingLabels);
                List<Set<String>> series = scraped.get(selector.metric());
                if (series == null) {
                    problems.add(where + ": " + selector.metric() + " is not a scraped metric; scraped: "
                            + new TreeSet<>(scraped.keySet()));
                } else if (series.stream().noneMatch(seriesLabels -> seriesLabels.containsAll(labels))) {
                    problems.add(where + ": " + selector.metric() + " has no series with labels " + labels
                            + "; its series have " + series);
                }
            }
            for (String rule : expression.recordingRules) {
                if (!recorded.contains(rule)) {
                    problems.add(where + ": recording rule " + rule + " is not defined; defined: " + recorded);
                }
            }
        });
        return problems;
    }

    private static Set<String> metricsOf(Map<String, PromQl> expressions) {
        Set<String> metrics = new TreeSet<>();
        expressions.values().forEach(expression -> metrics.addAll(expression.metrics()));
        return metrics;
    }

    /** Every PromQL of the dashboard by where it is: panel targets, annotations, the variables' queries. */
    private static Map<String, PromQl> dashboardExpressions() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(shipped("grafana-dashboard.json")));
        Map<String, PromQl> expressions = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String where = "panel '" + panel.path("title").asText() + "' "
                        + target.path("refId").asText();
                expressions.put(where, PromQl.parse(target.path("expr").asText()));
            }
        }
        for (JsonNode annotation : dashboard.path("annotations").path("list")) {
            if (annotation.has("expr")) {
                expressions.put(
                        "annotation '" + annotation.path("name").asText() + "'",
                        PromQl.parse(annotation.path("expr").asText()));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (!"query".equals(variable.path("type").asText())) {
                continue;
            }
            JsonNode query = variable.path("query");
            String text =
                    query.isTextual() ? query.asText() : query.path("query").asText();
            Matcher labelValues = LABEL_VALUES.matcher(text);
            String where = "variable '" + variable.path("name").asText() + "'";
            // label_values(metric, label): the metric must carry the label
            expressions.put(
                    where,
                    labelValues.matches()
                            ? PromQl.parse(labelValues.group(1) + "{" + labelValues.group(2) + "!=\"\"}")
                            : PromQl.parse(text));
        }
        assertThat(expressions).as("the dashboard's expressions").hasSizeGreaterThanOrEqualTo(10);
        assertThat(expressions.values())
                .as("every expression names a metric")
                .allSatisfy(expression -> assertThat(expression.selectors).isNotEmpty());
        return expressions;
    }

    private static List<Map<String, Object>> alertRuleGroups() throws IOException {
        try (InputStream in = Files.newInputStream(shipped("prometheus-alerts.yml"))) {
            Map<String, List<Map<String, Object>>> file = new Yaml().load(in);
            assertThat(file.get("groups")).as("the rule groups").isNotEmpty();
            return file.get("groups");
        }
    }

    /** A file of the project's docs folder, found upwards from the module the tests run in. */
    private static Path shipped(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("docs").resolve(name);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new IllegalStateException(
                "docs/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    private static void update(DataSource guarded, String where) throws SQLException {
        try (Connection connection = guarded.getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED' WHERE " + where);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = raw.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
