package dev.jobguard.jdbc;

import dev.jobguard.internal.journal.ParameterSource;
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
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The parameters of a guarded prepared statement: every setter passes its value to the driver and, when the statement
 * keeps its parameters ({@link #keepParameters}: a journaling run, or a write the preflight may count first), records
 * it in a {@link ParameterLog}, so that the journal's and the preflight's reads bind the same values. Streams are
 * recorded as values that cannot be bound twice. A statement that keeps no parameters records nothing and allocates
 * nothing per setter. {@link GuardedPreparedStatement} adds the guard of its executions.
 */
abstract class RecordingPreparedStatement extends DelegatingPreparedStatement {

    /** The bound parameters; null when the statement keeps none. */
    private @Nullable ParameterLog parameters;
    /** The parameters of each batch entry since the last execution. */
    private @Nullable List<ParameterSource> batchParameters;

    RecordingPreparedStatement(GuardedConnection connection, PreparedStatement delegate) {
        super(connection, delegate);
    }

    /** From now on, the parameters the job binds are recorded. */
    final void keepParameters() {
        parameters = new ParameterLog();
    }

    @Override
    final @Nullable ParameterSource parameters() {
        return parameters;
    }

    /**
     * {@inheritDoc} Null too when the statement keeps no parameters (prepared outside a journaling run): they are
     * unknown, so the journal sees the batch as its SQL alone and reports a gap for any parameter it would need.
     */
    @Override
    final @Nullable List<ParameterSource> batchParameters() {
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

    /** A stream was bound: it cannot be bound again. */
    private void unreplayable(int parameterIndex) {
        if (parameters != null) {
            parameters.unreplayable(parameterIndex);
        }
    }

    // each setter below: the driver's setter, then the value recorded (the binder, a lambda, made only when recorded)

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
        unreplayable(parameterIndex);
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
        ps.setAsciiStream(parameterIndex, x, length);
        unreplayable(parameterIndex);
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
        ps.setAsciiStream(parameterIndex, x);
        unreplayable(parameterIndex);
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
        unreplayable(parameterIndex);
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
        ps.setBinaryStream(parameterIndex, x, length);
        unreplayable(parameterIndex);
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
        ps.setBinaryStream(parameterIndex, x);
        unreplayable(parameterIndex);
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream, long length) throws SQLException {
        ps.setBlob(parameterIndex, inputStream, length);
        unreplayable(parameterIndex);
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream) throws SQLException {
        ps.setBlob(parameterIndex, inputStream);
        unreplayable(parameterIndex);
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
        unreplayable(parameterIndex);
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
        ps.setCharacterStream(parameterIndex, reader, length);
        unreplayable(parameterIndex);
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
        ps.setCharacterStream(parameterIndex, reader);
        unreplayable(parameterIndex);
    }

    @Override
    public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
        ps.setClob(parameterIndex, reader, length);
        unreplayable(parameterIndex);
    }

    @Override
    public void setClob(int parameterIndex, Reader reader) throws SQLException {
        ps.setClob(parameterIndex, reader);
        unreplayable(parameterIndex);
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
        unreplayable(parameterIndex);
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader value) throws SQLException {
        ps.setNCharacterStream(parameterIndex, value);
        unreplayable(parameterIndex);
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
        ps.setNClob(parameterIndex, reader, length);
        unreplayable(parameterIndex);
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader) throws SQLException {
        ps.setNClob(parameterIndex, reader);
        unreplayable(parameterIndex);
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
        unreplayable(parameterIndex);
    }
}
