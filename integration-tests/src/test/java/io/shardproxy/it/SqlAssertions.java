package io.shardproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.function.Executable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.SQLException;

/** Assertions on the errors a PostgreSQL server (or the proxy) sends. */
final class SqlAssertions {

    private SqlAssertions() {
    }

    /**
     * Runs {@code action}, expects it to fail with a server ErrorResponse of SQLSTATE
     * {@code sqlState}, and returns that error's fields.
     */
    static ServerErrorMessage assertSqlState(String sqlState, Executable action) {
        SQLException e = assertThrows(SQLException.class, action, "expected SQLSTATE " + sqlState);
        assertEquals(sqlState, e.getSQLState(), () -> "SQLSTATE of: " + e.getMessage());
        ServerErrorMessage fields = e instanceof PSQLException ? ((PSQLException) e).getServerErrorMessage() : null;
        if (fields == null) {
            throw new AssertionError("expected an ErrorResponse from the server, got a client-side error: " + e, e);
        }
        return fields;
    }
}
