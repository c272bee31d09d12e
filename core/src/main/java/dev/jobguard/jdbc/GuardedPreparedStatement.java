package dev.jobguard.jdbc;

import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.sql.ClassifiedSql;
import dev.jobguard.internal.sql.SqlStatementInfo;
import dev.jobguard.journal.ParameterSource;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;

/** A prepared statement of a {@link GuardedConnection}; its SQL is classified once, on its first execution in a run. */
class GuardedPreparedStatement extends DelegatingPreparedStatement {

    private final String sql;
    private ClassifiedSql classified;
    // created once: a statement executed many times in a run allocates no call objects per execution
    private final SqlCall<Long> updateCall;
    private final SqlCall<Long> largeUpdateCall;
    private final SqlCall<Boolean> executeCall;
    private RunContext countedFor;
    /** The run {@link #preflightable} was worked out for. */
    private RunContext preflightFor;
    /** Whether this statement's SQL may be preflighted. */
    private boolean preflightable;

    private List<SqlStatementInfo> counted;
    /** The bound parameters, kept when the statement was prepared in a journaling run; else null. */
    private final ParameterLog parameters;
    /** The parameters of each batch entry since the last execution (journaling runs). */
    private List<ParameterSource> batchParameters;
    /** Whether the driver returns generated keys the journal reads. */
    private final boolean journalKeys;
    /** Whether an update's result is its count alone (the job asked for no generated keys). */
    private final boolean countOnly;

    GuardedPreparedStatement(GuardedConnection connection, PreparedStatement delegate, String sql) {
        this(connection, delegate, sql, false, false);
    }

    /**
     * @param journalKeys the statement was prepared with generated keys the journal reads (by the job, or for the
     *     journal)
     * @param jobKeys the job prepared it with generated keys or returned columns: the journal must not run its writes
     *     for it (see {@link GuardedConnection#update})
     */
    GuardedPreparedStatement(
            GuardedConnection connection,
            PreparedStatement delegate,
            String sql,
            boolean journalKeys,
            boolean jobKeys) {
        super(connection, delegate);
        this.countOnly = !jobKeys;
        this.sql = sql;
        RunContext run = RunContext.current();
        // the journal and the preflight replay the job's parameters on their reads: kept only for runs that may need
        // them
        boolean preflightNeedsParameters = run != null
                && run.enforcing()
                && run.policy().preflight()
                && run.limits().any();
        if (preflightNeedsParameters) {
            preflightable = connection.preflight().mayPreflight(run, sql);
            preflightFor = run;
        }
        this.parameters = run != null && (run.journal() != null || (preflightNeedsParameters && preflightable))
                ? new ParameterLog()
                : null;
        this.journalKeys = journalKeys;
        this.updateCall = () -> (long) delegate.executeUpdate();
        this.largeUpdateCall = delegate::executeLargeUpdate;
        this.executeCall = delegate::execute;
    }

    private ClassifiedSql classified() {
        ClassifiedSql known = classified;
        if (known == null) {
            known = connection.classifier().classify(sql);
            classified = known;
        }
        return known;
    }

    /** The same SQL every time: what is counted changes only with the run (its ignored tables). */
    @Override
    @SuppressWarnings(
            "ReferenceEquality") // the classification this statement cached, and the run it was worked out for
    List<SqlStatementInfo> counted(RunContext run, ClassifiedSql sql) {
        if (sql != classified) {
            return super.counted(run, sql);
        }
        if (countedFor != run) {
            counted = super.counted(run, sql);
            countedFor = run;
        }
        return counted;
    }

    /**
     * {@inheritDoc} Its SQL never changes: whether it can be preflighted at all (not when it pins the primary key, the
     * usual single-row write) is worked out once per run, so such a write pays nothing per execution.
     */
    @Override
    void preflight(RunContext run, SqlStatementInfo statement) throws SQLException {
        if (classified != null && classified.statements().contains(statement)) {
            if (preflightFor != run) {
                preflightable = connection.preflight().mayPreflight(run, sql);
                preflightFor = run;
            }
            if (!preflightable) {
                return;
            }
        }
        super.preflight(run, statement);
    }

    @Override
    ParameterSource parameters() {
        return parameters;
    }

    /**
     * {@inheritDoc} Null too when the statement was prepared outside a journaling run: its parameters are unknown, so
     * the journal sees the batch as its SQL alone and reports a gap for any parameter it would need.
     */
    @Override
    List<ParameterSource> batchParameters() {
        if (parameters == null) {
            return null;
        }
        List<ParameterSource> entries = batchParameters == null ? List.of() : List.copyOf(batchParameters);
        if (batchParameters != null) {
            batchParameters.clear();
        }
        return entries;
    }

    @Override
    boolean journalKeys() {
        return journalKeys;
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        if (RunContext.current() == null) {
            return rowChangesRefused(ps.executeQuery());
        }
        return rowChangesRefused(query(classified(), ps::executeQuery));
    }

    @Override
    public int executeUpdate() throws SQLException {
        RunContext run = RunContext.current();
        if (run == null) {
            return ps.executeUpdate();
        }
        return (int) update(run, classified(), updateCall, executeCall, countOnly);
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        RunContext run = RunContext.current();
        if (run == null) {
            return ps.executeLargeUpdate();
        }
        return update(run, classified(), largeUpdateCall, executeCall, countOnly);
    }

    @Override
    public boolean execute() throws SQLException {
        if (RunContext.current() == null) {
            return ps.execute();
        }
        return execute(classified(), executeCall);
    }

    @Override
    public int[] executeBatch() throws SQLException {
        if (RunContext.current() == null) {
            return ps.executeBatch();
        }
        return batch(List.of(classified()), ps::executeBatch, GuardedStatement::toLong, GuardedStatement::toInt);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        if (RunContext.current() == null) {
            return ps.executeLargeBatch();
        }
        return batch(List.of(classified()), ps::executeLargeBatch, counts -> counts, counts -> counts);
    }

    @Override
    public void addBatch() throws SQLException {
        ps.addBatch();
        if (parameters != null) {
            if (batchParameters == null) {
                batchParameters = new ArrayList<>();
            }
            batchParameters.add(parameters.snapshot());
        }
    }

    @Override
    public void clearBatch() throws SQLException {
        super.clearBatch();
        if (batchParameters != null) {
            batchParameters.clear();
        }
    }

    @Override
    public void clearParameters() throws SQLException {
        ps.clearParameters();
        if (parameters != null) {
            parameters.clear();
        }
    }

    @Override
    public void setArray(int parameterIndex, Array x) throws SQLException {
        ps.setArray(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setArray(index, x));
        }
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, int length) throws SQLException {
        ps.setAsciiStream(parameterIndex, x, length);
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
        ps.setAsciiStream(parameterIndex, x, length);
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
        ps.setAsciiStream(parameterIndex, x);
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }

    @Override
    public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException {
        ps.setBigDecimal(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setBigDecimal(index, x));
        }
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, int length) throws SQLException {
        ps.setBinaryStream(parameterIndex, x, length);
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
        ps.setBinaryStream(parameterIndex, x, length);
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
        ps.setBinaryStream(parameterIndex, x);
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream, long length) throws SQLException {
        ps.setBlob(parameterIndex, inputStream, length);
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream) throws SQLException {
        ps.setBlob(parameterIndex, inputStream);
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }

    @Override
    public void setBlob(int parameterIndex, Blob x) throws SQLException {
        ps.setBlob(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setBlob(index, x));
        }
    }

    @Override
    public void setBoolean(int parameterIndex, boolean x) throws SQLException {
        ps.setBoolean(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setBoolean(index, x));
        }
    }

    @Override
    public void setByte(int parameterIndex, byte x) throws SQLException {
        ps.setByte(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setByte(index, x));
        }
    }

    @Override
    public void setBytes(int parameterIndex, byte[] x) throws SQLException {
        ps.setBytes(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setBytes(index, x));
        }
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, int length) throws SQLException {
        ps.setCharacterStream(parameterIndex, reader, length);
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
        ps.setCharacterStream(parameterIndex, reader, length);
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
        ps.setCharacterStream(parameterIndex, reader);
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }

    @Override
    public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
        ps.setClob(parameterIndex, reader, length);
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }

    @Override
    public void setClob(int parameterIndex, Reader reader) throws SQLException {
        ps.setClob(parameterIndex, reader);
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }

    @Override
    public void setClob(int parameterIndex, Clob x) throws SQLException {
        ps.setClob(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setClob(index, x));
        }
    }

    @Override
    public void setDate(int parameterIndex, Date x, Calendar cal) throws SQLException {
        ps.setDate(parameterIndex, x, cal);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setDate(index, x, cal));
        }
    }

    @Override
    public void setDate(int parameterIndex, Date x) throws SQLException {
        ps.setDate(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setDate(index, x));
        }
    }

    @Override
    public void setDouble(int parameterIndex, double x) throws SQLException {
        ps.setDouble(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setDouble(index, x));
        }
    }

    @Override
    public void setFloat(int parameterIndex, float x) throws SQLException {
        ps.setFloat(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setFloat(index, x));
        }
    }

    @Override
    public void setInt(int parameterIndex, int x) throws SQLException {
        ps.setInt(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setInt(index, x));
        }
    }

    @Override
    public void setLong(int parameterIndex, long x) throws SQLException {
        ps.setLong(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setLong(index, x));
        }
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader value, long length) throws SQLException {
        ps.setNCharacterStream(parameterIndex, value, length);
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader value) throws SQLException {
        ps.setNCharacterStream(parameterIndex, value);
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
        ps.setNClob(parameterIndex, reader, length);
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader) throws SQLException {
        ps.setNClob(parameterIndex, reader);
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }

    @Override
    public void setNClob(int parameterIndex, NClob value) throws SQLException {
        ps.setNClob(parameterIndex, value);
        if (parameters != null) {
            parameters.set(parameterIndex, value, (target, index) -> target.setNClob(index, value));
        }
    }

    @Override
    public void setNString(int parameterIndex, String value) throws SQLException {
        ps.setNString(parameterIndex, value);
        if (parameters != null) {
            parameters.set(parameterIndex, value, (target, index) -> target.setNString(index, value));
        }
    }

    @Override
    public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
        ps.setNull(parameterIndex, sqlType, typeName);
        if (parameters != null) {
            parameters.set(parameterIndex, null, (target, index) -> target.setNull(index, sqlType, typeName));
        }
    }

    @Override
    public void setNull(int parameterIndex, int sqlType) throws SQLException {
        ps.setNull(parameterIndex, sqlType);
        if (parameters != null) {
            parameters.set(parameterIndex, null, (target, index) -> target.setNull(index, sqlType));
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        ps.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
        if (parameters != null) {
            parameters.set(
                    parameterIndex, x, (target, index) -> target.setObject(index, x, targetSqlType, scaleOrLength));
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
        ps.setObject(parameterIndex, x, targetSqlType);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setObject(index, x, targetSqlType));
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        ps.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
        if (parameters != null) {
            parameters.set(
                    parameterIndex, x, (target, index) -> target.setObject(index, x, targetSqlType, scaleOrLength));
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x, SQLType targetSqlType) throws SQLException {
        ps.setObject(parameterIndex, x, targetSqlType);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setObject(index, x, targetSqlType));
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x) throws SQLException {
        ps.setObject(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setObject(index, x));
        }
    }

    @Override
    public void setRef(int parameterIndex, Ref x) throws SQLException {
        ps.setRef(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setRef(index, x));
        }
    }

    @Override
    public void setRowId(int parameterIndex, RowId x) throws SQLException {
        ps.setRowId(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setRowId(index, x));
        }
    }

    @Override
    public void setSQLXML(int parameterIndex, SQLXML xmlObject) throws SQLException {
        ps.setSQLXML(parameterIndex, xmlObject);
        if (parameters != null) {
            parameters.set(parameterIndex, xmlObject, (target, index) -> target.setSQLXML(index, xmlObject));
        }
    }

    @Override
    public void setShort(int parameterIndex, short x) throws SQLException {
        ps.setShort(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setShort(index, x));
        }
    }

    @Override
    public void setString(int parameterIndex, String x) throws SQLException {
        ps.setString(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setString(index, x));
        }
    }

    @Override
    public void setTime(int parameterIndex, Time x, Calendar cal) throws SQLException {
        ps.setTime(parameterIndex, x, cal);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setTime(index, x, cal));
        }
    }

    @Override
    public void setTime(int parameterIndex, Time x) throws SQLException {
        ps.setTime(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setTime(index, x));
        }
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp x, Calendar cal) throws SQLException {
        ps.setTimestamp(parameterIndex, x, cal);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setTimestamp(index, x, cal));
        }
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
        ps.setTimestamp(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setTimestamp(index, x));
        }
    }

    @Override
    public void setURL(int parameterIndex, URL x) throws SQLException {
        ps.setURL(parameterIndex, x);
        if (parameters != null) {
            parameters.set(parameterIndex, x, (target, index) -> target.setURL(index, x));
        }
    }

    @Override
    @Deprecated
    public void setUnicodeStream(int parameterIndex, InputStream x, int length) throws SQLException {
        ps.setUnicodeStream(parameterIndex, x, length);
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }
}
