package dev.jobguard.jdbc;

import dev.jobguard.internal.journal.ParameterSource;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The parameters a job binds to a prepared statement during a journaling run, kept so that the journal can bind the
 * same values to its own read of the rows the statement will change.
 */
final class ParameterLog implements ParameterSource {

    /** Binds a kept value again. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement target, int index) throws SQLException;
    }

    /** A parameter that cannot be bound twice (a stream). */
    private static final Binder UNREPLAYABLE = (target, index) -> {
        throw new SQLException("jobguard: a stream parameter cannot be bound twice");
    };

    private @Nullable Object[] values = new Object[8];
    private @Nullable Binder[] binders = new Binder[8];

    private ParameterLog(@Nullable Object[] values, @Nullable Binder[] binders) {
        this.values = values;
        this.binders = binders;
    }

    ParameterLog() {}

    void set(int index, @Nullable Object value, Binder binder) {
        if (index < 1) {
            return;
        }
        if (index > binders.length) {
            int size = Math.max(index, binders.length * 2);
            values = Arrays.copyOf(values, size);
            binders = Arrays.copyOf(binders, size);
        }
        values[index - 1] = value;
        binders[index - 1] = binder;
    }

    void unreplayable(int index) {
        set(index, null, UNREPLAYABLE);
    }

    void clear() {
        Arrays.fill(values, null);
        Arrays.fill(binders, null);
    }

    /** The parameters as they are now, for one batch entry. */
    ParameterLog snapshot() {
        return new ParameterLog(values.clone(), binders.clone());
    }

    @Override
    public boolean replayable(int index) {
        return index >= 1
                && index <= binders.length
                && binders[index - 1] != null
                && binders[index - 1] != UNREPLAYABLE;
    }

    @Override
    public @Nullable Object value(int index) {
        return index >= 1 && index <= values.length ? values[index - 1] : null;
    }

    @Override
    public void bind(int index, PreparedStatement target, int targetIndex) throws SQLException {
        binders[index - 1].bind(target, targetIndex);
    }
}
