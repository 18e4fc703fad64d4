package io.shardproxy.it.drivers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where a client connects: the proxy, or a PostgreSQL server directly. A client gets the same
 * five values whatever it is ({@link #args()}), so one script serves both sides of a comparison.
 * An empty password means none (the embedded servers trust local connections).
 */
public record Endpoint(String name, String host, int port, String user, String password, String database) {

    /** host, port, user, password, dbname: the arguments every client script takes. */
    public List<String> args() {
        return List.of(host, Integer.toString(port), user, password, database);
    }

    /** libpq's variables, for psql and pgbench. */
    public Map<String, String> libpqEnvironment() {
        return Map.of("PGHOST", host, "PGPORT", Integer.toString(port), "PGUSER", user, "PGPASSWORD", password,
                "PGDATABASE", database, "PGCONNECT_TIMEOUT", "10", "PGSSLMODE", "prefer");
    }

    /** A pgjdbc connection in its default (extended protocol) mode, with {@code properties} added. */
    public Connection connect(Map<String, String> properties) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (!password.isEmpty()) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "60");
        p.setProperty("ApplicationName", "drv-pgjdbc");
        properties.forEach(p::setProperty);
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, p);
    }

    @Override
    public String toString() {
        return name + " (" + user + "@" + host + ":" + port + "/" + database + ")";
    }
}
