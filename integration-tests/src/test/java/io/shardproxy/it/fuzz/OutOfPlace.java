package io.shardproxy.it.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Mutations that keep every message well-formed and put the wrong thing in the stream: messages
 * valid on their own but out of place (the extended protocol out of order, COPY messages outside
 * COPY, startup packets and password messages after authentication, Terminate midway), and SQL
 * that stresses the proxy's own lexer, splitter and router (deep nesting, unterminated quotes and
 * comments, COPY, transaction control, admin commands). Used by {@link Mutator}.
 */
final class OutOfPlace {

    private OutOfPlace() {
    }

    /** Messages valid on their own but wrong where they are inserted; each may draw from the case's random. */
    private record Misplaced(String what, Function<Random, List<byte[]>> messages) {
    }

    private static final List<Misplaced> MISPLACED = List.of(
            new Misplaced("Execute of the unnamed portal", r -> List.of(Frames.execute("", r.nextInt(3)))),
            new Misplaced("Bind to a missing statement", r -> List.of(
                    Frames.bind("", "missing_" + r.nextInt(9), new short[0], new byte[0][], new short[0]))),
            new Misplaced("Describe of a missing statement", r -> List.of(Frames.describe('S', "nope"))),
            new Misplaced("Describe of a missing portal", r -> List.of(Frames.describe('P', "nope"))),
            new Misplaced("Close of a missing statement", r -> List.of(Frames.close('S', "nope"))),
            new Misplaced("CopyData outside COPY", r -> List.of(Frames.copyData(utf8("1\tx\t1\n")))),
            new Misplaced("CopyDone outside COPY", r -> List.of(Frames.copyDone())),
            new Misplaced("CopyFail outside COPY", r -> List.of(Frames.copyFail("fuzz"))),
            new Misplaced("StartupMessage after authentication", r -> List.of(Frames.startup(Frames.PROTOCOL_3_0,
                    Map.of("user", "fuzz_trust", "database", "shardproxy")))),
            new Misplaced("SSLRequest after authentication", r -> List.of(Frames.sslRequest())),
            new Misplaced("GSSENCRequest after authentication", r -> List.of(Frames.gssEncRequest())),
            new Misplaced("CancelRequest after authentication",
                    r -> List.of(Frames.cancelRequest(r.nextInt(), r.nextInt()))),
            new Misplaced("PasswordMessage after authentication", r -> List.of(Frames.password(Frames.cstr("secret")))),
            new Misplaced("FunctionCall", r -> List.of(Frames.functionCall(r.nextInt(5000), utf8("1")))),
            new Misplaced("Sync", r -> List.of(Frames.sync())),
            new Misplaced("Flush", r -> List.of(Frames.flush())),
            new Misplaced("Terminate", r -> List.of(Frames.terminate())),
            new Misplaced("COPY FROM STDIN with data", r -> List.of(
                    Frames.query("copy " + CorpusRecorder.TABLE + " (id, name, qty) from stdin"),
                    Frames.copyData(utf8("96" + r.nextInt(10) + "\tfuzz\t1\n")),
                    r.nextBoolean() ? Frames.copyDone() : Frames.copyFail("client abort"))),
            new Misplaced("Parse, Bind, Execute, Sync", r -> List.of(
                    Frames.parse("", "select $1::int + 1", 23),
                    Frames.bind("", "", new short[] {0}, new byte[][] {utf8("41")}, new short[0]),
                    Frames.execute("", 0),
                    Frames.sync())),
            new Misplaced("named Parse twice", r -> List.of(
                    Frames.parse("dup", "select 1"),
                    Frames.parse("dup", "select 2"))),
            new Misplaced("Bind with more values than parameters", r -> List.of(
                    Frames.bind("", "", new short[] {1, 0}, new byte[][] {{0, 0, 0, 1}, null, {}}, new short[] {1}))),
            new Misplaced("empty Query", r -> List.of(Frames.query(""))));

    /** Inserts messages valid on their own but wrong here: protocol out of order, or startup packets late. */
    static void insert(List<byte[]> m, Random r, List<String> log) {
        int at = r.nextInt(m.size() + 1);
        Misplaced x = MISPLACED.get(r.nextInt(MISPLACED.size()));
        log.add("insert " + x.what() + " at " + at);
        m.addAll(at, x.messages().apply(r));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final String[] TRICKY_SQL = {
            "select 1; select 2; select 3",
            "begin; select 1/0; commit",
            "begin",
            "rollback",
            "commit",
            "copy " + CorpusRecorder.TABLE + " from stdin",
            "copy " + CorpusRecorder.TABLE + " to stdout",
            "copy (select 1) to stdout",
            "set statement_timeout = 1000",
            "set client_encoding = 'LATIN1'",
            "show all",
            ";;;;",
            "",
            "   ",
            "-- only a comment",
            "/* unterminated comment",
            "select 'unterminated",
            "select $$unterminated dollar",
            "select $tag$ ok $tag$",
            "select E'\\\\x00\\\\' || 'a'",
            "select \"\"\"\"",
            "select * from " + CorpusRecorder.TABLE + " where id in (" + "1,".repeat(2000) + "1)",
            "select " + "(".repeat(20000) + "1" + ")".repeat(20000),
            "select " + "- ".repeat(20000) + "1",
            "select " + "not ".repeat(12000) + "true",
            "select " + "not ".repeat(12000) + "true from " + CorpusRecorder.TABLE,
            "select " + "a".repeat(5000) + " from " + CorpusRecorder.TABLE,
            "select * from " + CorpusRecorder.TABLE + " where id = 1 and id = 2 or id = " + "1 + ".repeat(1000) + "1",
            "explain route select * from " + CorpusRecorder.TABLE,
            "show shards",
            "select count(*), sum(qty), avg(price) from " + CorpusRecorder.TABLE,
            "select * from " + CorpusRecorder.TABLE + " order by created desc limit 2 offset 1",
            "insert into " + CorpusRecorder.TABLE + " (id, name) values (NULL, 'x')",
            "update " + CorpusRecorder.TABLE + " set id = id + 1 where id = 1",
            "select pg_cancel_backend(pg_backend_pid())",
            "listen fuzz_channel",
            "notify fuzz_channel, 'x'",
            "discard all",
            "deallocate all",
            "prepare q1 as select $1::int",
            "execute q1(1)",
            "declare c cursor for select 1",
            "fetch all from c",
            "select '\u0000'",
            "select 'ü€𝄞'",
            "select 1 -- \n; select 2",
    };

    /** Replaces the SQL of a Query or Parse (or inserts a Query) with one of {@link #TRICKY_SQL}. */
    static void replaceSql(List<byte[]> m, Random r, List<String> log) {
        String sql = TRICKY_SQL[r.nextInt(TRICKY_SQL.length)];
        List<Integer> queries = new ArrayList<>();
        for (int k = 0; k < m.size(); k++) {
            if (m.get(k).length >= 5 && (m.get(k)[0] == 'Q' || m.get(k)[0] == 'P')) {
                queries.add(k);
            }
        }
        String shown = sql.length() > 60 ? sql.substring(0, 60) + "...(" + sql.length() + " chars)" : sql;
        if (queries.isEmpty() || r.nextInt(3) == 0) {
            int at = r.nextInt(m.size() + 1);
            log.add("insert Query \"" + shown + "\" at " + at);
            m.add(at, Frames.query(sql));
            return;
        }
        int k = queries.get(r.nextInt(queries.size()));
        if (m.get(k)[0] == 'Q') {
            log.add("replace SQL of message " + k + " with \"" + shown + "\"");
            m.set(k, Frames.query(sql));
        } else {
            log.add("replace Parse " + k + " with unnamed Parse of \"" + shown + "\"");
            m.set(k, Frames.parse("", sql));
        }
    }
}
