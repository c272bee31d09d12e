package dev.jobguard.internal.metrics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a PromQL expression (as Grafana writes it, with {@code $variables}) refers to: each series selector's metric
 * name with the label names of its matchers, the labels it groups or matches by ({@code by}, {@code without},
 * {@code on}, {@code ignoring}, {@code group_left/right}), and the recording rules it reads (names with a colon). A
 * small tokenizer, enough for the shipped dashboard and alert rules: an identifier not followed by {@code (} that is
 * not a keyword or an aggregation operator is a metric name.
 */
final class PromQl {

    /** A series selector: a metric name and the label names its matchers use. */
    record Selector(String metric, Set<String> labels) {}

    private static final Set<String> KEYWORDS = Set.of(
            "sum",
            "min",
            "max",
            "avg",
            "group",
            "stddev",
            "stdvar",
            "count",
            "count_values",
            "bottomk",
            "topk",
            "quantile",
            "limitk",
            "limit_ratio",
            "and",
            "or",
            "unless",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "offset",
            "atan2",
            "inf",
            "nan");

    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    final List<Selector> selectors = new ArrayList<>();
    final Set<String> groupingLabels = new LinkedHashSet<>();
    final Set<String> recordingRules = new LinkedHashSet<>();

    private final String text;
    private int at;

    private PromQl(String text) {
        this.text = text;
    }

    static PromQl parse(String expression) {
        PromQl parsed = new PromQl(expression);
        parsed.parse();
        return parsed;
    }

    /** The metric names of the selectors. */
    Set<String> metrics() {
        Set<String> names = new LinkedHashSet<>();
        selectors.forEach(selector -> names.add(selector.metric()));
        return names;
    }

    private void parse() {
        while (skipSpace() < text.length()) {
            char c = text.charAt(at);
            if (c == '"' || c == '\'' || c == '`') {
                string();
            } else if (c == '[') {
                at = closing('[', ']') + 1; // a range or a subquery: durations and Grafana variables
            } else if (c == '$') {
                variable();
            } else if (c == '{') {
                throw new IllegalArgumentException("a selector without a metric name at " + at + " in: " + text);
            } else if (Character.isDigit(c) || c == '.') {
                while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '.')) {
                    at++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                identifier();
            } else {
                at++; // operators, parentheses, commas
            }
        }
    }

    private void identifier() {
        int start = at;
        while (at < text.length()
                && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_' || text.charAt(at) == ':')) {
            at++;
        }
        String name = text.substring(start, at);
        boolean call = skipSpace() < text.length() && text.charAt(at) == '(';
        if (GROUPING.contains(name.toLowerCase())) {
            if (call) {
                groupingLabels.addAll(labelList());
            }
            return;
        }
        if (call || KEYWORDS.contains(name.toLowerCase())) {
            return; // a function, an aggregation operator or a keyword
        }
        Set<String> labels = at < text.length() && text.charAt(at) == '{' ? matchers() : Set.of();
        if (name.contains(":")) {
            recordingRules.add(name);
        } else {
            selectors.add(new Selector(name, labels));
        }
    }

    /** {@code (a, b)}: the label names. */
    private List<String> labelList() {
        int end = closing('(', ')');
        List<String> labels = new ArrayList<>();
        for (String label : text.substring(at + 1, end).split(",")) {
            if (!label.isBlank()) {
                labels.add(label.strip());
            }
        }
        at = end + 1;
        return labels;
    }

    /** {@code {a="x", b=~"y"}}: the label names. */
    private Set<String> matchers() {
        at++; // {
        Set<String> labels = new LinkedHashSet<>();
        while (skipSpace() < text.length() && text.charAt(at) != '}') {
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                at++;
            }
            if (start == at) {
                throw new IllegalArgumentException("a label name expected at " + at + " in: " + text);
            }
            labels.add(text.substring(start, at));
            while (skipSpace() < text.length() && "=!~".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            skipSpace();
            string();
            if (skipSpace() < text.length() && text.charAt(at) == ',') {
                at++;
            }
        }
        at++; // }
        return labels;
    }

    private void string() {
        char quote = text.charAt(at);
        if (quote != '"' && quote != '\'' && quote != '`') {
            throw new IllegalArgumentException("a string expected at " + at + " in: " + text);
        }
        at++;
        while (at < text.length() && text.charAt(at) != quote) {
            at += text.charAt(at) == '\\' && quote != '`' ? 2 : 1;
        }
        at++;
    }

    /** {@code $name} or {@code ${name}} (Grafana). */
    private void variable() {
        at++;
        if (at < text.length() && text.charAt(at) == '{') {
            at = closing('{', '}') + 1;
            return;
        }
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
            at++;
        }
    }

    private int closing(char open, char close) {
        int depth = 0;
        for (int i = at; i < text.length(); i++) {
            if (text.charAt(i) == open) {
                depth++;
            } else if (text.charAt(i) == close && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("no closing " + close + " after " + at + " in: " + text);
    }

    private int skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        return at;
    }
}
