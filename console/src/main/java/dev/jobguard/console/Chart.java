package dev.jobguard.console;

import dev.jobguard.GuardMode;
import dev.jobguard.RunOutcome;
import dev.jobguard.TripReason;
import dev.jobguard.anomaly.AnomalyPolicy;
import dev.jobguard.anomaly.Baseline;
import dev.jobguard.state.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rows changed per run as an inline SVG bar chart, oldest left, with the anomaly limit drawn as a line: the limit a
 * run met (its trip's, for an anomaly trip), else the one the job's baseline of earlier successful ENFORCE runs gives
 * with the default anomaly settings.
 */
final class Chart {

    private Chart() {}

    /** @param newestFirst the job's runs, newest first, as the store lists them */
    static String svg(List<RunRecord> newestFirst, int width, int height) {
        List<RunRecord> runs = new ArrayList<>(newestFirst.stream()
                .filter(run -> run.outcome() != RunOutcome.SKIPPED)
                .toList());
        java.util.Collections.reverse(runs);
        if (runs.isEmpty()) {
            return "<svg role=\"img\" aria-label=\"no runs yet\" width=\"" + width + "\" height=\"" + height
                    + "\" viewBox=\"0 0 " + width + " " + height + "\"><text x=\"6\" y=\"" + (height / 2 + 4)
                    + "\" font-size=\"11\" fill=\"#667\">no runs yet</text></svg>";
        }
        Long[] limits = new Long[runs.size()];
        long max = 1;
        for (int i = 0; i < runs.size(); i++) {
            limits[i] = limitBefore(runs, i);
            max = Math.max(max, runs.get(i).rowsChanged());
            if (limits[i] != null) {
                max = Math.max(max, limits[i]);
            }
        }
        double slot = (double) width / runs.size();
        double scale = (height - 12) / (double) max;
        StringBuilder svg = new StringBuilder("<svg role=\"img\" aria-label=\"rows changed per run\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\">");
        for (int i = 0; i < runs.size(); i++) {
            RunRecord run = runs.get(i);
            double bar = Math.max(1, run.rowsChanged() * scale);
            String color = run.outcome() == RunOutcome.TRIPPED
                    ? "#d92d20"
                    : run.outcome() == RunOutcome.FAILED ? "#f79009" : "#2e90fa";
            svg.append("<rect x=\"")
                    .append(num(i * slot + slot * 0.15))
                    .append("\" y=\"")
                    .append(num(height - bar))
                    .append("\" width=\"")
                    .append(num(Math.max(1, slot * 0.7)))
                    .append("\" height=\"")
                    .append(num(bar))
                    .append("\" fill=\"")
                    .append(color)
                    .append("\"><title>")
                    .append(Html.esc(Html.time(run.startedAt()) + ": " + run.rowsChanged() + " rows, " + run.outcome()))
                    .append("</title></rect>");
        }
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
            if (limits[i] == null) {
                continue;
            }
            double y = height - limits[i] * scale;
            line.append(line.length() == 0 ? "M" : "L")
                    .append(num(i * slot))
                    .append(' ')
                    .append(num(y));
            line.append("L").append(num((i + 1) * slot)).append(' ').append(num(y));
        }
        if (line.length() > 0) {
            svg.append("<path class=\"limit\" d=\"")
                    .append(line)
                    .append("\" stroke=\"#b42318\" stroke-dasharray=\"4 3\" fill=\"none\"><title>anomaly limit</title>"
                            + "</path>");
        }
        return svg.append("</svg>").toString();
    }

    /** The anomaly limit the run at {@code index} met, or null when none applied. */
    private static Long limitBefore(List<RunRecord> oldestFirst, int index) {
        RunRecord run = oldestFirst.get(index);
        if (run.trip() != null && run.trip().reason() == TripReason.ANOMALY) {
            return run.trip().limit();
        }
        AnomalyPolicy policy = AnomalyPolicy.DEFAULTS;
        List<RunRecord> history = new ArrayList<>();
        for (int i = index - 1; i >= 0 && history.size() < policy.history(); i--) {
            RunRecord earlier = oldestFirst.get(i);
            if (earlier.outcome() == RunOutcome.SUCCEEDED && earlier.mode() == GuardMode.ENFORCE) {
                history.add(earlier);
            }
        }
        if (history.size() < policy.minRuns()) {
            return null;
        }
        return policy.limitFor(Baseline.of(history).medianRows());
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
