package dev.jobguard.internal.journal;

import java.io.Reader;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes journal rows with PostgreSQL's {@code COPY ... FROM STDIN} through the driver's CopyManager, several times
 * faster than INSERTs. Reached by reflection: jobguard does not depend on the PostgreSQL driver. One per guarded
 * DataSource: whether its connections offer COPY is learnt once.
 */
final class PostgresCopy {

    private static final Logger log = LoggerFactory.getLogger(PostgresCopy.class);

    /** Set once this DataSource's connections turned out not to offer COPY (another driver, a proxy that hides it). */
    private volatile boolean unavailable;

    /**
     * Copies the rows in the connection's transaction.
     *
     * @return false when COPY is not available (the caller inserts instead); nothing was written then
     */
    boolean copy(Connection raw, String table, List<@Nullable String[]> rows, LocalDateTime now) throws SQLException {
        if (unavailable) {
            return false;
        }
        Object copyManager;
        Method copyIn;
        try {
            Class<?> pgConnection = Class.forName(
                    "org.postgresql.PGConnection", false, raw.getClass().getClassLoader());
            if (!raw.isWrapperFor(pgConnection)) {
                unavailable = true;
                return false;
            }
            Object connection = raw.unwrap(pgConnection);
            copyManager = pgConnection.getMethod("getCopyAPI").invoke(connection);
            copyIn = copyManager.getClass().getMethod("copyIn", String.class, Reader.class);
        } catch (ReflectiveOperationException | LinkageError | SQLException notThere) {
            log.debug("jobguard: PostgreSQL COPY is not available; the journal inserts its rows", notThere);
            unavailable = true;
            return false;
        }
        String created = now.toString();
        StringBuilder data = new StringBuilder(length(rows, created.length()));
        for (@Nullable String[] row : rows) {
            for (String value : row) {
                append(data, value);
                data.append('\t');
            }
            data.append(created).append('\n');
        }
        try {
            copyIn.invoke(
                    copyManager,
                    "COPY " + table
                            + " (run_id, seq, table_name, operation, row_key, before_image, after_image, created_at)"
                            + " FROM STDIN",
                    new CharSequenceReader(data));
            return true;
        } catch (java.lang.reflect.InvocationTargetException failed) {
            if (failed.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException("jobguard: writing the change journal with COPY failed", failed.getCause());
        } catch (IllegalAccessException denied) {
            unavailable = true;
            return false;
        }
    }

    /** The text's length when no value needs an escape: the buffer then never grows (1,000 rows are megabytes). */
    private static int length(List<@Nullable String[]> rows, int createdLength) {
        long length = 0;
        for (@Nullable String[] row : rows) {
            for (String value : row) {
                length += (value == null ? 2 : value.length()) + 1;
            }
            length += createdLength + 1;
        }
        return (int) Math.min(length + 16, Integer.MAX_VALUE - 16);
    }

    /** Reads the text where it was built, instead of a copy of it. */
    private static final class CharSequenceReader extends Reader {
        private final CharSequence text;
        private int next;

        CharSequenceReader(CharSequence text) {
            this.text = text;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            if (next >= text.length()) {
                return -1;
            }
            int count = Math.min(length, text.length() - next);
            if (text instanceof StringBuilder builder) {
                builder.getChars(next, next + count, buffer, offset);
            } else {
                for (int i = 0; i < count; i++) {
                    buffer[offset + i] = text.charAt(next + i);
                }
            }
            next += count;
            return count;
        }

        @Override
        public void close() {}
    }

    /** A value in COPY's text format: {@code \N} for NULL; backslash, tab, newline and carriage return escaped. */
    static void append(StringBuilder data, String value) {
        if (value == null) {
            data.append("\\N");
            return;
        }
        if (value.indexOf('\\') < 0 && value.indexOf('\n') < 0 && value.indexOf('\t') < 0 && value.indexOf('\r') < 0) {
            data.append(value); // the usual case (JSON escapes control characters): vectorised scans, one copy
            return;
        }
        int length = value.length();
        int from = 0; // the start of the run of characters that need no escape, appended in one go
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                data.append(value, from, i)
                        .append('\\')
                        .append(c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
                from = i + 1;
            }
        }
        data.append(value, from, length);
    }
}
