package dev.jobguard.internal.sql;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Normalizes table names so that every spelling of one table compares equal. */
public final class TableNames {

    private TableNames() {}

    /**
     * Lower-cases the name and removes identifier quotes ({@code "x"}, {@code `x`}, {@code [x]}), keeping
     * every qualifier: {@code public."Invoices"} becomes {@code public.invoices}.
     *
     * @return the normalized name, or null for a null or blank name
     */
    public static @Nullable String normalize(@Nullable String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        StringBuilder out = new StringBuilder(name.length());
        StringBuilder part = new StringBuilder();
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            char close = closingQuote(c);
            if (close != 0) {
                i = unquote(name, i + 1, close, part);
            } else if (c == '.') {
                appendPart(out, part);
                out.append('.');
                i++;
            } else {
                part.append(c);
                i++;
            }
        }
        appendPart(out, part);
        String result = out.toString();
        return result.isEmpty() || result.chars().allMatch(ch -> ch == '.') ? null : result;
    }

    /** The part after the last dot of a normalized name: the table without its schema. */
    public static String unqualified(String normalized) {
        int dot = normalized.lastIndexOf('.');
        return dot < 0 ? normalized : normalized.substring(dot + 1);
    }

    /**
     * Whether two normalized names may name one table: equal names without their schema, and equal schemas where
     * both give one ({@code invoices} and {@code public.invoices} may; {@code a.invoices} and {@code b.invoices} do
     * not).
     */
    public static boolean sameTable(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        int dotA = a.lastIndexOf('.');
        int dotB = b.lastIndexOf('.');
        return a.substring(dotA + 1).equals(b.substring(dotB + 1))
                && (dotA < 0 || dotB < 0 || a.substring(0, dotA).equals(b.substring(0, dotB)));
    }

    /** True for a normalized T-SQL temporary table name ({@code #tmp}, {@code ##global}). */
    static boolean isTransactSqlTemporary(@Nullable String normalized) {
        return normalized != null && normalized.startsWith("#");
    }

    private static char closingQuote(char c) {
        return switch (c) {
            case '"' -> '"';
            case '`' -> '`';
            case '[' -> ']';
            default -> 0;
        };
    }

    /** Copies a quoted part (a doubled closing quote is an escaped quote); returns the index after it. */
    private static int unquote(String name, int from, char close, StringBuilder part) {
        int i = from;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c == close) {
                if (i + 1 < name.length() && name.charAt(i + 1) == close) {
                    part.append(close);
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            part.append(c);
            i++;
        }
        return i;
    }

    private static void appendPart(StringBuilder out, StringBuilder part) {
        out.append(part.toString().trim().toLowerCase(Locale.ROOT));
        part.setLength(0);
    }
}
