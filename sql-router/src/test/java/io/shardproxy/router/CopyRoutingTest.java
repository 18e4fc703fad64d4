package io.shardproxy.router;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.MergePlan;
import io.shardproxy.router.plan.Plan;
import io.shardproxy.router.plan.ShardStatement;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routing of COPY: where the data of each form goes, what each shard runs, and which statements
 * are refused. Option reading is in {@link CopyOptionsTest}.
 */
class CopyRoutingTest {
    private final Routing r = new Routing();

    private Plan.Copy copy(String sql) {
        return assertInstanceOf(Plan.Copy.class, r.plan(sql));
    }

    private static List<ShardStatement> everyShard(String sql) {
        return IntStream.range(0, 4).mapToObj(s -> new ShardStatement(s, sql)).collect(Collectors.toList());
    }

    @Test
    void copyFromIntoShardedTableRoutesRowsAndEveryShardRunsTheClientsText() {
        String sql = "COPY tbl FROM STDIN";
        Plan.Copy c = copy(sql);
        assertEquals(Plan.CopyDirection.FROM_STDIN, c.direction());
        assertEquals(Plan.CopyMode.ROUTE_ROWS, c.mode());
        assertEquals("tbl", c.relation());
        assertEquals("tbl", c.rule().table());
        assertEquals(List.of("id", "info", "crt_time"), c.columns());
        assertEquals(0, c.keyIndex());
        assertEquals(everyShard(sql), c.statements());
        assertTrue(c.write());
        assertNull(c.query());
    }

    @Test
    void keyIndexFollowsTheColumnListOrTheTablesColumnOrder() {
        assertEquals(2, copy("copy tbl (info, crt_time, id) from stdin").keyIndex());
        assertEquals(List.of("info", "crt_time", "id"), copy("copy tbl (info, crt_time, id) from stdin").columns());
        assertEquals(1, copy("copy items from stdin").keyIndex());
        assertEquals(1, copy("COPY public.items (\"sku\", ID) FROM STDIN (FORMAT csv)").keyIndex());
    }

    @Test
    void copyFromWithoutTheKeyColumnIsRefused() {
        ShardProxyException e = r.refused("copy tbl (info) from stdin", SqlState.FEATURE_NOT_SUPPORTED);
        assertEquals("COPY into sharded table tbl must give the shard key column id", e.getMessage());
    }

    @Test
    void copyFromWithoutColumnListIntoATableOfUnknownColumnsIsRefused() {
        ShardProxyException e = r.refused("copy sessions from stdin", SqlState.FEATURE_NOT_SUPPORTED);
        assertTrue(e.hint().contains("COPY sessions (sid, ...) FROM STDIN"), e.hint());
        assertEquals(0, copy("copy sessions (sid, data) from stdin").keyIndex());
    }

    @Test
    void copyToFromShardedTableConcatenatesEveryShard() {
        String sql = "COPY tbl (id, info) TO STDOUT WITH (FORMAT csv, HEADER)";
        Plan.Copy c = copy(sql);
        assertEquals(Plan.CopyDirection.TO_STDOUT, c.direction());
        assertEquals(Plan.CopyMode.CONCAT, c.mode());
        assertEquals(everyShard(sql), c.statements());
        assertEquals(Plan.CopyHeader.PRESENT, c.options().header());
        assertFalse(c.write());
    }

    @Test
    void referenceTableCopyFromGoesToEveryShardAndCopyToToAnyOne() {
        String from = "copy countries from stdin with csv header";
        Plan.Copy c = copy(from);
        assertEquals(Plan.CopyMode.BROADCAST, c.mode());
        assertEquals(everyShard(from), c.statements());
        String to = "copy countries to stdout";
        Plan.Copy o = copy(to);
        assertEquals(Plan.CopyMode.FORWARD, o.mode());
        assertEquals(List.of(new ShardStatement(ShardStatement.ANY_SHARD, to)), o.statements());
    }

    @Test
    void referenceTableCopyFromWithShardDependentWhereIsRefused() {
        r.refused("copy countries from stdin where random() < 0.5", SqlState.FEATURE_NOT_SUPPORTED);
        assertEquals(Plan.CopyMode.BROADCAST, copy("copy countries from stdin where code <> 'XX'").mode());
    }

    @Test
    void unconfiguredTablesAndCatalogsBelongToTheDefaultShard() {
        for (String sql : List.of("copy local_things from stdin", "copy local_things to stdout (format binary)",
                "copy pg_catalog.pg_class to stdout", "COPY \"Odd Name\" (a) FROM STDIN WHERE a > 0")) {
            Plan.Copy c = copy(sql);
            assertEquals(Plan.CopyMode.FORWARD, c.mode(), sql);
            assertEquals(List.of(new ShardStatement(0, sql)), c.statements(), sql);
        }
        assertEquals("Odd Name", copy("COPY \"Odd Name\" (a) FROM STDIN").relation());
        assertEquals("pg_class", copy("copy pg_catalog.pg_class to stdout").relation());
    }

    @Test
    void copyFromWithWhereOnShardedTableIsForwardedWithItsCondition() {
        String sql = "copy tbl from stdin where id > 10 and info <> ''";
        Plan.Copy c = copy(sql);
        assertEquals(Plan.CopyMode.ROUTE_ROWS, c.mode());
        assertEquals(everyShard(sql), c.statements());
    }

    @Test
    void filesAndProgramsAreRefused() {
        for (String sql : List.of("copy tbl from '/tmp/x.csv'", "copy tbl to '/tmp/x'", "copy local_things from '/x'",
                "copy tbl to program 'gzip > /tmp/x'", "copy (select 1) to '/tmp/y'",
                "copy countries from program 'cat /x' csv")) {
            ShardProxyException e = r.refused(sql, SqlState.FEATURE_NOT_SUPPORTED);
            assertTrue(e.hint().contains("\\copy"), e.hint());
        }
    }

    @Test
    void grammarErrorsPostgresReportsInItsParserAreReportedTheSameWay() {
        assertEquals("STDIN/STDOUT not allowed with PROGRAM",
                r.refused("copy tbl from program stdin", SqlState.SYNTAX_ERROR).getMessage());
        assertEquals("WHERE clause not allowed with COPY TO",
                r.refused("copy tbl to stdout where id = 1", SqlState.SYNTAX_ERROR).getMessage());
    }

    @Test
    void unreadableCopyOfConfiguredTableIsRefusedAndOfLocalTableForwarded() {
        r.refused("copy tbl from stdin with (format csv", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("copy tbl frum stdin", SqlState.FEATURE_NOT_SUPPORTED);
        Plan.Copy c = copy("copy local_things from stdin (format csv,)");
        assertEquals(Plan.CopyMode.FORWARD, c.mode());
        assertEquals(Plan.CopyDirection.FROM_STDIN, c.direction());
        assertNull(c.options());
        assertEquals(Plan.CopyDirection.TO_STDOUT, copy("copy (select 1 from x) to stdout garbage").direction());
    }

    @Test
    void oldSyntaxesAreRead() {
        Plan.Copy c = copy("COPY BINARY tbl FROM STDIN");
        assertEquals(Plan.CopyFormat.BINARY, c.options().format());
        c = copy("copy tbl to stdout using delimiters '|' with null as 'NUL'");
        assertEquals("|", c.options().delimiter());
        assertEquals("NUL", c.options().nullString());
        c = copy("copy tbl from stdin delimiters ';' csv header quote as '''' escape '\\' force not null info, crt_time "
                + "force null id encoding 'latin1'");
        Plan.CopyOptions o = c.options();
        assertEquals(Plan.CopyFormat.CSV, o.format());
        assertEquals(";", o.delimiter());
        assertEquals(Plan.CopyHeader.PRESENT, o.header());
        assertEquals("'", o.quote());
        assertEquals("\\", o.escape());
        assertEquals(List.of("info", "crt_time"), o.forceNotNull());
        assertEquals(List.of("id"), o.forceNull());
        assertEquals("LATIN1", o.encoding());
        o = copy("copy tbl to stdout csv force quote *").options();
        assertTrue(o.forceQuoteAll());
        o = copy("copy tbl from stdin csv force not null * force null *").options();
        assertTrue(o.forceNotNullAll());
        assertTrue(o.forceNullAll());
    }

    @Test
    void queryRunningOnOneShardIsForwardedAsTheClientWroteIt() {
        String sql = "COPY (SELECT * FROM tbl WHERE id = 6) TO STDOUT (FORMAT binary)";
        Plan.Copy c = copy(sql);
        assertEquals(Plan.CopyMode.FORWARD, c.mode());
        assertEquals(List.of(new ShardStatement(2, sql)), c.statements());
        assertNull(c.relation());
        String ref = "copy ( select * from countries ) to stdout";
        assertEquals(List.of(new ShardStatement(ShardStatement.ANY_SHARD, ref)), copy(ref).statements());
    }

    @Test
    void queryConcatenatedFromShardsRunsTheCopyOnEachShard() {
        String sql = "copy (select id, info from tbl where info like 'a%') to stdout with csv";
        Plan.Copy c = copy(sql);
        assertEquals(Plan.CopyMode.CONCAT, c.mode());
        assertEquals(everyShard(sql), c.statements());
    }

    @Test
    void splitWriteWithReturningWrapsEachShardsOwnSql() {
        Plan.Copy c = copy("copy (insert into tbl (id, info) values (1, 'a'), (2, 'b') returning id) to stdout");
        assertEquals(Plan.CopyMode.CONCAT, c.mode());
        assertTrue(c.write());
        assertEquals(List.of(
                new ShardStatement(1, "copy (insert into tbl (id, info) values (1, 'a') returning id) to stdout"),
                new ShardStatement(2, "copy (insert into tbl (id, info) values (2, 'b') returning id) to stdout")),
                c.statements());
    }

    @Test
    void mergedQueryIsRunByTheSessionAndEncoded() {
        String sql = "COPY (  SELECT id, info FROM tbl ORDER BY info LIMIT 3  ) TO STDOUT (FORMAT csv, HEADER)";
        Plan.Copy c = copy(sql);
        assertEquals(Plan.CopyMode.ENCODE_ROWS, c.mode());
        assertEquals(List.of(), c.statements());
        Plan.Query q = c.query();
        assertEquals(4, q.statements().size());
        assertTrue(q.statements().get(0).sql().startsWith("SELECT id, info FROM tbl ORDER BY info LIMIT"),
                q.statements().get(0).sql());
        assertInstanceOf(MergePlan.Limit.class, q.merge());
        assertEquals(sql.indexOf("SELECT"), c.queryOffset());
        assertEquals(Plan.CopyMode.ENCODE_ROWS, copy("copy (select count(*) from tbl) to stdout").mode());
    }

    @Test
    void mergedQueryCannotBeBinaryOrInAnotherEncoding() {
        r.refused("copy (select id from tbl order by id) to stdout (format binary)", SqlState.FEATURE_NOT_SUPPORTED);
        r.refused("copy (select id from tbl order by id) to stdout (encoding 'latin1')", SqlState.FEATURE_NOT_SUPPORTED);
        assertEquals(Plan.CopyMode.ENCODE_ROWS, copy("copy (select id from tbl order by id) to stdout (encoding 'utf-8')").mode());
        assertEquals(Plan.CopyMode.CONCAT, copy("copy (select id from tbl) to stdout (format binary)").mode());
    }

    @Test
    void innerQueryRefusalsAreTheQuerysOwn() {
        ShardProxyException e = r.refused("copy (select * from tbl a join items b on a.info = b.info) to stdout",
                SqlState.FEATURE_NOT_SUPPORTED);
        ShardProxyException direct = r.refused("select * from tbl a join items b on a.info = b.info",
                SqlState.FEATURE_NOT_SUPPORTED);
        assertEquals(direct.getMessage(), e.getMessage());
    }

    @Test
    void copyOfReferenceWriteWithReturningIsRefused() {
        r.refused("copy (insert into countries values ('DE', 'Germany') returning *) to stdout",
                SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void literalValuesAreReadPerStatementNotCachedWithTheShape() {
        assertEquals("|", copy("copy tbl from stdin (delimiter '|')").options().delimiter());
        assertEquals(";", copy("copy tbl from stdin (delimiter ';')").options().delimiter());
        assertEquals(Plan.CopyMode.FORWARD, copy("copy (select * from tbl where id = 1) to stdout").mode());
        assertEquals(List.of(new ShardStatement(3, "copy (select * from tbl where id = 3) to stdout")),
                copy("copy (select * from tbl where id = 3) to stdout").statements());
    }

    @Test
    void shardedCopyFromInAnEncodingWhoseCharactersEmbedAsciiIsRefused() {
        r.refused("copy tbl from stdin (encoding 'sjis')", SqlState.FEATURE_NOT_SUPPORTED);
        assertEquals("SJIS", copy("copy countries from stdin (encoding 'Shift_JIS')").options().encoding());
        assertEquals("WIN1252", copy("copy tbl from stdin (encoding 'windows-1252')").options().encoding());
    }
}
