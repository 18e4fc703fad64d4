package io.shardproxy.router.analyze;

import io.shardproxy.router.lex.Tokens;

import java.util.Set;

/**
 * Finds calls whose value differs from shard to shard. A write that must be identical on every
 * shard (a reference table's copies) cannot contain them: each shard would compute its own value.
 */
final class Volatile {
    private static final Set<String> FUNCTIONS = Set.of(
            "now", "random", "clock_timestamp", "statement_timestamp", "transaction_timestamp", "timeofday",
            "nextval", "setval", "currval", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc",
            "uuid_generate_v4", "txid_current", "pg_current_xact_id", "pg_backend_pid", "random_normal");
    private static final Set<String> KEYWORDS = Set.of(
            "current_timestamp", "current_time", "localtimestamp", "localtime", "current_date");

    private Volatile() {
    }

    /** The first shard-dependent call in the tokens, or null. */
    static String find(Tokens t) {
        for (int i = 0; i < t.size(); i++) {
            String id = t.type(i) == io.shardproxy.router.lex.TokenType.WORD ? t.identifier(i) : null;
            if (id == null) {
                continue;
            }
            if (FUNCTIONS.contains(id) && t.isSymbol(i + 1, "(")) {
                return id + "()";
            }
            if (KEYWORDS.contains(id)) {
                return id;
            }
        }
        return null;
    }
}
