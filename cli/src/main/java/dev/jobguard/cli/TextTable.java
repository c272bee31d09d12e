package dev.jobguard.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Plain text columns, left-aligned, two spaces apart; long cells are cut to keep lines readable. */
final class TextTable {

    private static final int MAX_CELL = 60;

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;
    private int maxCell = MAX_CELL;
    private String indent = "";

    TextTable(String... headers) {
        this.columns = headers.length;
        String[] header = new String[columns];
        for (int i = 0; i < columns; i++) {
            header[i] = Text.or(headers[i]);
        }
        rows.add(header);
    }

    /** Cells are never cut (key/value listings). */
    TextTable uncut() {
        this.maxCell = Integer.MAX_VALUE;
        return this;
    }

    /** Every line starts with this many spaces. */
    TextTable indent(int spaces) {
        this.indent = " ".repeat(spaces);
        return this;
    }

    TextTable row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        String[] row = new String[columns];
        for (int i = 0; i < columns; i++) {
            String text = Text.or(cells[i]);
            row[i] = text.length() > maxCell ? text.substring(0, maxCell - 3) + "..." : text;
        }
        rows.add(row);
        return this;
    }

    void print(PrintWriter out) {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < columns; i++) {
                line.append(row[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
