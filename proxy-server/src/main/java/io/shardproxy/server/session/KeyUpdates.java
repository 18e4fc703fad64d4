package io.shardproxy.server.session;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.merge.Column;
import io.shardproxy.router.Router;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.ShardStatement;
import io.shardproxy.server.exec.BoundValues;
import io.shardproxy.server.exec.ShardConnection;
import io.shardproxy.server.exec.ShardResult;
import io.shardproxy.server.wire.BackendMessage;
import io.shardproxy.server.wire.CommandComplete;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs an UPDATE that assigns the shard key ({@link Plan.KeyUpdate}): in one transaction (the
 * client's block, or one of its own that commits atomically, two-phase when two shards wrote), the
 * rows are deleted on their shards, which return the new values computed from each old row, and
 * the new rows are inserted where their keys route them. A row is never lost: any failure rolls
 * the whole statement back.
 *
 * <p>Refused (0A000) when another table's foreign key references the table: the delete would
 * fire that key's ON DELETE action (or fail), which an UPDATE in place would not.
 */
final class KeyUpdates {
    /** New rows per INSERT statement. */
    private static final int ROWS_PER_INSERT = 500;

    private final Router router;
    private final Transaction tx;

    KeyUpdates(Router router, Transaction tx) {
        this.router = router;
        this.tx = tx;
    }

    void run(Plan.KeyUpdate k, BoundValues values, Consumer<BackendMessage> sink) {
        boolean ownBlock = !tx.inBlock();
        if (ownBlock) {
            tx.beginImplicit();
        }
        try {
            long moved = move(k, values);
            if (ownBlock) {
                tx.commit();
            }
            sink.accept(new CommandComplete("UPDATE " + moved));
        } catch (RuntimeException e) {
            if (ownBlock && tx.inBlock()) {
                tx.rollback();
            }
            throw e;
        }
    }

    private long move(Plan.KeyUpdate k, BoundValues values) {
        if (k.moves().isEmpty()) {
            return 0;
        }
        refuseIfReferenced(tx.pin(k.moves().get(0).shard()), k.table());
        List<String> names = null;
        List<byte[][]> rows = new ArrayList<>();
        int assigned = k.columns().size();
        for (ShardStatement st : k.moves()) {
            ShardResult r = tx.pin(st.shard()).run(st.sql(), values, false, 0);
            try {
                if (names == null) {
                    names = new ArrayList<>();
                    List<Column> columns = r.columns();
                    for (int i = assigned; i < columns.size(); i++) {
                        names.add(columns.get(i).name());
                    }
                }
                for (byte[][] row = r.next(); row != null; row = r.next()) {
                    rows.add(newRow(row, assigned, names, k.columns()));
                }
            } finally {
                r.close();
            }
        }
        for (int from = 0; from < rows.size(); from += ROWS_PER_INSERT) {
            insert(k.table(), names, rows.subList(from, Math.min(rows.size(), from + ROWS_PER_INSERT)));
        }
        return rows.size();
    }

    /** The old row with each assigned column replaced by its new value. */
    private static byte[][] newRow(byte[][] row, int assigned, List<String> names, List<String> columns) {
        byte[][] out = new byte[names.size()][];
        System.arraycopy(row, assigned, out, 0, out.length);
        for (int i = 0; i < assigned; i++) {
            int at = names.indexOf(columns.get(i));
            if (at < 0) {
                throw new ShardProxyException(io.shardproxy.error.SqlState.INTERNAL_ERROR,
                        "column " + columns.get(i) + " of the UPDATE is not a column of the table");
            }
            out[at] = row[i];
        }
        return out;
    }

    private void insert(String table, List<String> names, List<byte[][]> rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (");
        for (int i = 0; i < names.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append('"').append(names.get(i).replace("\"", "\"\"")).append('"');
        }
        sql.append(") VALUES ");
        for (int r = 0; r < rows.size(); r++) {
            sql.append(r == 0 ? "(" : ", (");
            byte[][] row = rows.get(r);
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    sql.append(", ");
                }
                if (row[i] == null) {
                    sql.append("NULL");
                } else {
                    String v = new String(row[i], StandardCharsets.UTF_8);
                    sql.append("E'").append(v.replace("\\", "\\\\").replace("'", "''")).append('\'');
                }
            }
            sql.append(')');
        }
        Plan plan = router.plan(router.split(sql.toString()).get(0));
        for (ShardStatement st : ((Plan.Query) plan).statements()) {
            tx.pin(st.shard()).run(st.sql(), false, 0).close();
        }
    }

    private static void refuseIfReferenced(ShardConnection c, String table) {
        ShardResult r = c.run("select exists (select 1 from pg_constraint where contype = 'f' and confrelid = E'"
                + table.replace("\\", "\\\\").replace("'", "''") + "'::regclass)", false, 0);
        try {
            byte[][] row = r.next();
            if (row != null && row[0] != null && row[0][0] == 't') {
                throw ShardProxyException.unsupported("UPDATE of the shard key of " + table
                        + " is not supported while a foreign key references the table: moving a row deletes it",
                        "update the referencing rows and the key in steps the foreign key allows,"
                                + " or drop the foreign key");
            }
        } finally {
            r.close();
        }
    }
}
