package io.shardproxy.it.drivers;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The tables of the driver matrix: their DDL ({@code src/test/drivers/schema.sql}, shared with
 * anyone who wants to run a client by hand) and the rows every client reads, as multi-row
 * INSERTs that run the same on the oracle and through the proxy. The clients write only their
 * own id ranges of drv_items and drv_types.
 */
public final class DriverTables {
    public static final List<String> SHARDED = List.of("drv_items", "drv_types", "drv_stream", "drv_bench");
    /** drv_stream: ids 1..20000, each with v = 'v' || md5(id::text) and n = round(id / 7.0, 3). */
    public static final int STREAM_ROWS = 20_000;
    /** drv_bench: ids 1..10000, balance 0; pgbench adds to it. */
    public static final int BENCH_ROWS = 10_000;

    private DriverTables() {
    }

    /** The statements of schema.sql under {@code drivers}: drop and create every table. */
    public static List<String> schema(Path drivers) throws IOException {
        String text = Files.readString(drivers.resolve("schema.sql"), StandardCharsets.UTF_8);
        List<String> statements = new ArrayList<>();
        for (String statement : text.replaceAll("(?m)--.*$", "").split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.strip());
            }
        }
        return statements;
    }

    /** drv_stream and drv_bench, 1,000 rows a statement. */
    public static List<String> rows() {
        List<String> load = new ArrayList<>();
        MessageDigest md5 = md5();
        for (int from = 1; from <= STREAM_ROWS; from += 1000) {
            StringBuilder s = new StringBuilder("insert into drv_stream (id, v, n) values ");
            for (int id = from; id < from + 1000; id++) {
                String v = "v" + HexFormat.of().formatHex(md5.digest(Integer.toString(id).getBytes(StandardCharsets.UTF_8)));
                BigDecimal n = BigDecimal.valueOf(id).divide(BigDecimal.valueOf(7), 3, RoundingMode.HALF_UP);
                s.append(id == from ? "" : ", ").append('(').append(id).append(", '").append(v).append("', ").append(n).append(')');
            }
            load.add(s.toString());
        }
        for (int from = 1; from <= BENCH_ROWS; from += 1000) {
            StringBuilder s = new StringBuilder("insert into drv_bench (id, balance) values ");
            for (int id = from; id < from + 1000; id++) {
                s.append(id == from ? "" : ", ").append('(').append(id).append(", 0)");
            }
            load.add(s.toString());
        }
        return load;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
