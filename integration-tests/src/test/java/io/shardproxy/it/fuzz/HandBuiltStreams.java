package io.shardproxy.it.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Streams no recorded client produced but the fuzzer must start from: COPY FROM STDIN (done and
 * failed, simple and extended), Flush, Describe and Close, FunctionCall, CancelRequest-shaped
 * bytes, SSLRequest and GSSENCRequest after authentication, and the extended protocol out of
 * order. Each is valid PostgreSQL v3 framing; what is wrong with some is only when they come.
 */
public final class HandBuiltStreams {
    private static final String T = CorpusRecorder.TABLE;

    private HandBuiltStreams() {
    }

    public static List<CorpusStream> all() {
        List<CorpusStream> s = new ArrayList<>();
        s.add(stream("copy-from-stdin", "simple-protocol COPY FROM STDIN: Query, CopyData x2, CopyDone, cleanup",
                Frames.query("copy " + T + " (id, name, qty) from stdin"),
                Frames.copyData(utf8("950\tcopy one\t1\n")),
                Frames.copyData(utf8("951\tcopy two\t2\n")),
                Frames.copyDone(),
                Frames.query("delete from " + T + " where id in (950, 951)")));
        s.add(stream("copy-fail", "COPY FROM STDIN aborted by the client with CopyFail, then a query",
                Frames.query("copy " + T + " (id, name) from stdin"),
                Frames.copyData(utf8("952\tnever\n")),
                Frames.copyFail("client changed its mind"),
                Frames.query("select 1")));
        s.add(stream("copy-extended", "COPY FROM STDIN through Parse/Bind/Execute, data, CopyDone, Sync",
                Frames.parse("", "copy " + T + " (id, name) from stdin"),
                Frames.bind("", "", new short[0], new byte[0][], new short[0]),
                Frames.execute("", 0),
                Frames.copyData(utf8("953\textended\n")),
                Frames.copyDone(),
                Frames.sync(),
                Frames.query("delete from " + T + " where id = 953")));
        s.add(stream("copy-to-stdout", "COPY TO STDOUT in both protocols",
                Frames.query("copy (select id, name from " + T + " where id < 5 order by id) to stdout"),
                Frames.parse("", "copy (select 1) to stdout"),
                Frames.bind("", "", new short[0], new byte[0][], new short[0]),
                Frames.execute("", 0),
                Frames.sync()));
        s.add(stream("describe-flush-close",
                "named statement and portal: Describe both, Flush, Execute with a row limit twice, Close both",
                Frames.parse("s1", "select id, name from " + T + " where id = $1", 23),
                Frames.describe('S', "s1"),
                Frames.flush(),
                Frames.bind("p1", "s1", new short[] {0}, new byte[][] {utf8("1")}, new short[] {0}),
                Frames.describe('P', "p1"),
                Frames.execute("p1", 1),
                Frames.flush(),
                Frames.execute("p1", 0),
                Frames.close('P', "p1"),
                Frames.close('S', "s1"),
                Frames.sync()));
        s.add(stream("binary-bind", "Bind with binary int4 and bytea parameters and binary results",
                Frames.parse("", "select $1::int4 + 1, $2::bytea", 23, 17),
                Frames.bind("", "", new short[] {1}, new byte[][] {{0, 0, 0, 41}, {1, 2, 3}}, new short[] {1}),
                Frames.describe('P', ""),
                Frames.execute("", 0),
                Frames.sync()));
        s.add(stream("function-call", "fast-path FunctionCall (no Sync), then a query",
                Frames.functionCall(1598 /* random() */),
                Frames.functionCall(2026 /* pg_backend_pid() */),
                Frames.query("select 1")));
        s.add(stream("cancel-shaped", "a CancelRequest packet's bytes after authentication, then a query",
                Frames.cancelRequest(1000, 12345),
                Frames.query("select 1")));
        s.add(stream("ssl-request-late", "a query, then SSLRequest after authentication",
                Frames.query("select 1"),
                Frames.sslRequest(),
                Frames.query("select 2")));
        s.add(stream("gssenc-request-late", "GSSENCRequest after authentication",
                Frames.gssEncRequest(),
                Frames.query("select 1")));
        s.add(stream("startup-late", "a second StartupMessage after authentication",
                Frames.query("select 1"),
                Frames.startup(Frames.PROTOCOL_3_0, Map.of("user", "fuzz_trust", "database", "shardproxy"))));
        s.add(stream("password-late", "a PasswordMessage after authentication",
                Frames.password(Frames.cstr("too late"))));
        s.add(stream("extended-out-of-order", "Execute before Parse, Bind to a missing statement, then a correct batch",
                Frames.execute("", 0),
                Frames.bind("", "missing", new short[0], new byte[0][], new short[0]),
                Frames.sync(),
                Frames.parse("", "select 1"),
                Frames.bind("", "", new short[0], new byte[0][], new short[0]),
                Frames.execute("", 0),
                Frames.sync()));
        s.add(stream("pipelined-simple", "queries one after another without waiting: transaction, error, rollback",
                Frames.query("begin"),
                Frames.query("select count(*) from " + T),
                Frames.query("select 1/0"),
                Frames.query("select 1"),
                Frames.query("rollback"),
                Frames.query("select id from " + T + " where id in (1, 2, 3) order by id"),
                Frames.query(""),
                Frames.query("select 1; select 2")));
        s.add(stream("sync-storm", "Sync and Flush with nothing to sync",
                Frames.sync(), Frames.flush(), Frames.sync(), Frames.sync(), Frames.flush(), Frames.sync()));
        s.add(stream("copy-data-outside", "CopyData, CopyDone and CopyFail outside COPY",
                Frames.copyData(utf8("stray\n")),
                Frames.copyDone(),
                Frames.copyFail("stray"),
                Frames.query("select 1")));
        s.add(stream("terminate-mid", "a query, Terminate, then more bytes the proxy must not act on",
                Frames.query("select 1"),
                Frames.terminate(),
                Frames.query("select 2")));
        return s;
    }

    /** Startup phases for the authentication share of the cases, besides the recorded ones. */
    public static List<CorpusStream> startups(String database) {
        List<CorpusStream> s = new ArrayList<>();
        s.add(new CorpusStream("startup-ssl-gss",
                List.of("SSLRequest, GSSENCRequest, then StartupMessage for the trust user"),
                List.of(Frames.sslRequest(), Frames.gssEncRequest(),
                        Frames.startup(Frames.PROTOCOL_3_0, Map.of("user", "fuzz_trust", "database", database))),
                List.of()));
        s.add(new CorpusStream("startup-cancel", List.of("a CancelRequest for a session that does not exist"),
                List.of(Frames.cancelRequest(1001, 42)), List.of()));
        s.add(new CorpusStream("startup-options", List.of("StartupMessage with options, application_name and protocol 3.2"),
                List.of(Frames.startup(Frames.PROTOCOL_3_0 | 2, Map.of("user", "fuzz_trust", "database", database,
                        "application_name", "fuzz", "options", "-c statement_timeout=5000", "_pq_.fuzz", "1"))),
                List.of()));
        return s;
    }

    private static CorpusStream stream(String name, String what, byte[]... messages) {
        return new CorpusStream(name, List.of("hand-built: " + what), List.of(), List.of(messages));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
