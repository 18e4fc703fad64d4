package io.shardproxy.merge;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.value.PgType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.shardproxy.merge.TestStream.drain;
import static io.shardproxy.merge.TestStream.rows;
import static io.shardproxy.merge.TestStream.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DropColumnsStreamTest {

    private static final List<Column> THREE = types(PgType.TEXT, PgType.INT4, PgType.INT8);

    @Test
    void dropsTrailingColumnsFromDescriptionAndRows() {
        RowStream dropped = new DropColumnsStream(rows(THREE, "a|1|10", "b|\\N|\\N"), 2);
        assertEquals(THREE.subList(0, 1), dropped.columns());
        assertEquals(List.of("a", "b"), drain(dropped));
    }

    @Test
    void droppingNothingPassesRowsThrough() {
        RowStream dropped = new DropColumnsStream(rows(THREE, "a|1|10"), 0);
        assertEquals(List.of("a|1|10"), drain(dropped));
        assertEquals(THREE, dropped.columns());
    }

    @Test
    void droppingMoreColumnsThanTheRowsHaveIsAnInternalError() {
        RowStream dropped = new DropColumnsStream(rows(THREE, "a|1|10"), 4);
        assertEquals(SqlState.INTERNAL_ERROR, assertThrows(ShardProxyException.class, dropped::next).state());
    }
}
