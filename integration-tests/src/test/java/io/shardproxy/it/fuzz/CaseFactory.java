package io.shardproxy.it.fuzz;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Makes case number n of a seed: picks a corpus stream, mutates it, and for a share of the cases
 * plans a startup phase of its own (encryption requests, a StartupMessage with odd parameters,
 * live md5 or SCRAM answers, recorded password messages), mutated too. Deterministic: the case
 * depends on (seed, n) only, not on which thread makes it or in what order.
 */
public final class CaseFactory {
    private final List<CorpusStream> messageCorpus;
    private final List<CorpusStream> startupCorpus;
    private final Mutator mutator;
    private final String database;
    private final FuzzCase.User trust;
    private final FuzzCase.User md5;
    private final FuzzCase.User scram;
    private final int authPercent;

    public CaseFactory(List<CorpusStream> messageCorpus, List<CorpusStream> startupCorpus, int maxMessageBytes,
                       String database, FuzzCase.User trust, FuzzCase.User md5, FuzzCase.User scram, int authPercent) {
        if (messageCorpus.isEmpty() || startupCorpus.isEmpty()) {
            throw new IllegalArgumentException("empty corpus");
        }
        this.messageCorpus = List.copyOf(messageCorpus);
        this.startupCorpus = List.copyOf(startupCorpus);
        this.mutator = new Mutator(messageCorpus, maxMessageBytes);
        this.database = database;
        this.trust = trust;
        this.md5 = md5;
        this.scram = scram;
        this.authPercent = authPercent;
    }

    /** SplitMix64 of the seed and the case number: neighbouring cases get unrelated streams. */
    static long caseSeed(long seed, int number) {
        long z = seed + 0x9E3779B97F4A7C15L * (number + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public FuzzCase make(long seed, int number) {
        Random r = new Random(caseSeed(seed, number));
        List<String> log = new ArrayList<>();
        boolean authCase = r.nextInt(100) < authPercent;
        CorpusStream base = messageCorpus.get(r.nextInt(messageCorpus.size()));
        List<byte[]> messages = new ArrayList<>(base.messages());
        if (!messages.isEmpty() && messages.get(messages.size() - 1)[0] == 'X' && r.nextInt(10) < 8) {
            messages.remove(messages.size() - 1);
        }
        int count = r.nextInt(100) < 3 ? 0 : 1 + Math.min(5, geometric(r));
        byte[] bytes;
        if (authCase && r.nextBoolean()) {
            bytes = new byte[0];
            log.add("no messages after authentication");
        } else {
            bytes = mutator.mutate(messages, count, r, log);
            if (count == 0) {
                log.add("unmutated");
            }
        }
        FuzzCase.Leave leave = FuzzCase.Leave.values()[r.nextInt(FuzzCase.Leave.values().length)];
        if (!authCase) {
            return new FuzzCase(seed, number, base.name(), trust, null, bytes, log, leave);
        }
        List<String> authLog = new ArrayList<>();
        List<FuzzCase.AuthStep> steps = new ArrayList<>();
        FuzzCase.User user = startupPlan(r, steps, authLog);
        authLog.addAll(log);
        return new FuzzCase(seed, number, base.name(), user, steps, bytes, authLog, leave);
    }

    private FuzzCase.User startupPlan(Random r, List<FuzzCase.AuthStep> steps, List<String> log) {
        int pick = r.nextInt(100);
        if (pick < 15) {
            CorpusStream s = startupCorpus.get(r.nextInt(startupCorpus.size()));
            log.add("startup phase of " + s.name());
            List<byte[]> units = new ArrayList<>(s.startup());
            int n = r.nextInt(3);
            for (int i = 0; i < n && !units.isEmpty(); i++) {
                int k = r.nextInt(units.size());
                byte[] u = units.get(k);
                units.set(k, u.length > 0 && u[0] == 0 ? mutateUntyped(u, r, log) : mutator.mutateOne(u, r, log));
            }
            units.forEach(u -> steps.add(new FuzzCase.Send(u)));
            return new FuzzCase.User("(recorded)", null, FuzzCase.User.Method.UNKNOWN);
        }
        FuzzCase.User user;
        if (pick < 45) {
            user = trust;
        } else if (pick < 70) {
            user = md5;
        } else if (pick < 95) {
            user = scram;
        } else {
            user = new FuzzCase.User("fuzz_nobody", "x", FuzzCase.User.Method.UNKNOWN);
        }
        if (r.nextInt(5) == 0) {
            int k = r.nextInt(4);
            if (k == 0 || k == 2) {
                steps.add(new FuzzCase.Send(Frames.sslRequest()));
                log.add("SSLRequest first");
            }
            if (k == 1 || k == 2) {
                steps.add(new FuzzCase.Send(Frames.gssEncRequest()));
                log.add("GSSENCRequest first");
            }
            if (k == 3) {
                steps.add(new FuzzCase.Send(Frames.untyped(Frames.SSL_REQUEST_CODE, new byte[] {1, 2})));
                log.add("SSLRequest with a payload");
            }
        }
        byte[] startup = startupMessage(user, r, log);
        if (r.nextInt(4) == 0) {
            startup = mutateUntyped(startup, r, log);
        }
        steps.add(new FuzzCase.Send(startup));
        Long m1 = r.nextInt(10) < 3 ? r.nextLong() : null;
        Long m2 = r.nextInt(10) < 3 ? r.nextLong() : null;
        if (user.method() == FuzzCase.User.Method.MD5) {
            steps.add(new FuzzCase.Md5Answer(m1));
            log.add("live md5 answer" + (m1 == null ? "" : ", mutated"));
        } else if (user.method() == FuzzCase.User.Method.SCRAM || user.method() == FuzzCase.User.Method.UNKNOWN) {
            steps.add(new FuzzCase.ScramFirst(m1));
            steps.add(new FuzzCase.ScramFinal(m2));
            log.add("live SCRAM" + (m1 == null ? "" : ", client-first mutated")
                    + (m2 == null ? "" : ", client-final mutated"));
        }
        if (r.nextInt(10) == 0) {
            byte[] extra = switch (r.nextInt(4)) {
                case 0 -> Frames.password(Frames.cstr("unasked"));
                case 1 -> Frames.terminate();
                case 2 -> Frames.query("select 1");
                default -> Frames.startup(Frames.PROTOCOL_3_0, Map.of("user", trust.name()));
            };
            steps.add(steps.size() - (user.method() == FuzzCase.User.Method.TRUST ? 0 : 1), new FuzzCase.Send(extra));
            log.add("extra " + Mutator.label(extra) + " during authentication");
        }
        return user;
    }

    private static final String[][] ODD_PARAMETERS = {
            {"options", "-c statement_timeout=5000"}, {"options", "-c search_path=public,pg_catalog"},
            {"options", "-c no_such_setting=1"}, {"options", "--work_mem=64kB"}, {"options", "-c"},
            {"options", "-c datestyle=german"}, {"options", "-c timezone=Mars/Phobos"},
            {"DateStyle", "SQL, DMY"}, {"DateStyle", "ISO, MDY"}, {"client_encoding", "SQL_ASCII"},
            {"client_encoding", "UTF8"}, {"extra_float_digits", "3"}, {"extra_float_digits", "-15"},
            {"TimeZone", "UTC"}, {"application_name", "fuzz \u00fc\u20ac"}, {"replication", "database"},
            {"replication", "false"}, {"_pq_.compression", "on"}, {"search_path", "\"weird\"\"path\""},
            {"", "empty name"}, {"statement_timeout", "-1"},
    };

    private byte[] startupMessage(FuzzCase.User user, Random r, List<String> log) {
        Map<String, String> p = new LinkedHashMap<>();
        int variant = r.nextInt(100);
        if (variant < 4) {
            log.add("no user parameter");
        } else if (variant < 7) {
            p.put("user", "");
            log.add("empty user");
        } else {
            p.put("user", user.name());
        }
        if (r.nextInt(10) > 0) {
            p.put("database", database);
        }
        int extra = r.nextInt(3) == 0 ? 1 + r.nextInt(3) : 0;
        for (int i = 0; i < extra; i++) {
            String[] kv = ODD_PARAMETERS[r.nextInt(ODD_PARAMETERS.length)];
            p.put(kv[0], kv[1]);
            log.add("startup parameter " + kv[0] + "=" + kv[1]);
        }
        int version = Frames.PROTOCOL_3_0;
        if (r.nextInt(12) == 0) {
            int[] versions = {3 << 16 | 1, 3 << 16 | 2, 2 << 16, 4 << 16, 1234 << 16 | 5678, 0, 3 << 16 | 0xffff};
            version = versions[r.nextInt(versions.length)];
            log.add("protocol version " + (version >>> 16) + "." + (version & 0xffff));
        }
        if (r.nextInt(30) == 0) {
            p.put("application_name", "a".repeat(10_000));
            log.add("startup packet over 10000 bytes");
        }
        return Frames.startup(version, p);
    }

    /** Mutations of an untyped packet: its length word at offset 0, its bytes, its end. */
    private static byte[] mutateUntyped(byte[] packet, Random r, List<String> log) {
        byte[] out = packet.clone();
        if (out.length < 8) {
            byte[] junk = new byte[1 + r.nextInt(8)];
            r.nextBytes(junk);
            log.add("junk after a short startup packet: " + Frames.hex(junk));
            return Frames.concat(out, junk);
        }
        switch (r.nextInt(6)) {
            case 0 -> {
                int lie = new int[] {0, 3, 7, 8, 9, packet.length - 1, packet.length + 1, 10_004, 10_005, -1,
                        Integer.MAX_VALUE}[r.nextInt(11)];
                log.add("startup packet length " + packet.length + " -> " + lie);
                ByteBuffer.wrap(out).putInt(0, lie);
            }
            case 1 -> {
                int at = r.nextInt(out.length);
                out[at] ^= (byte) (1 << r.nextInt(8));
                log.add("flip a bit of startup byte " + at);
            }
            case 2 -> {
                int cut = 1 + r.nextInt(Math.max(1, out.length - 1));
                log.add("startup packet truncated to " + cut + " of " + out.length + " bytes");
                out = java.util.Arrays.copyOf(out, cut);
            }
            case 3 -> {
                if (out.length > 8 && out[out.length - 1] == 0) {
                    out[out.length - 1] = 'z';
                    log.add("startup packet without its final NUL");
                }
            }
            case 4 -> {
                byte[] bad = "\u00ff".getBytes(StandardCharsets.ISO_8859_1);
                int at = Math.min(out.length - 1, 8 + r.nextInt(Math.max(1, out.length - 8)));
                out[at] = bad[0];
                log.add("invalid UTF-8 at startup byte " + at);
            }
            default -> {
                byte[] junk = new byte[1 + r.nextInt(8)];
                r.nextBytes(junk);
                out = Frames.concat(out, junk);
                log.add("junk after the startup packet: " + Frames.hex(junk));
            }
        }
        return out;
    }

    private static int geometric(Random r) {
        int n = 0;
        while (r.nextInt(100) < 40 && n < 10) {
            n++;
        }
        return n;
    }
}
