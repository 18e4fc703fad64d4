package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.router.lex.TokenType;
import io.shardproxy.router.lex.Tokens;

/**
 * Calls of {@code set_config(name, value, is_local)} in a statement. A shard statement runs on a
 * pooled connection, so a setting such a call changes stays on that one connection: the session's
 * later statements may run elsewhere and without it, and another client's may run there with it.
 * {@code SET} is the way through the proxy: the session keeps it and applies it to every shard
 * statement it runs.
 */
public final class SettingCalls {
    private SettingCalls() {
    }

    /** True when the statement calls set_config (schema-qualified or not, quoted or not). */
    public static boolean any(Tokens t) {
        return next(t, 0) >= 0;
    }

    /**
     * The refusal of a statement in which some call's {@code is_local} is not the literal
     * {@code true} (false, a parameter, an expression): its setting would outlive the statement's
     * transaction on one pooled shard connection. Null when there is no such call.
     */
    public static ShardProxyException sessionLevel(Tokens t) {
        for (int i = next(t, 0); i >= 0; i = next(t, i + 1)) {
            if (!localOnly(t, i + 1)) {
                return ShardProxyException.unsupported("set_config with is_local other than true would change the"
                                + " setting on one pooled shard connection only: the session's later statements may"
                                + " run on other connections, and another client's on that one",
                        "use SET name = value (SET LOCAL inside a transaction block): the session keeps it and"
                                + " applies it to every shard statement it runs");
            }
        }
        return null;
    }

    /** The refusal of set_config inside a transaction block, where it would apply on one shard only. */
    public static ShardProxyException inBlock() {
        return ShardProxyException.unsupported("set_config inside a transaction block would apply on one shard's"
                        + " connection only, not on the other shards the block uses",
                "use SET LOCAL name = value, which applies on every shard the block uses");
    }

    /** True when the call whose arguments open at {@code open} has exactly the word true as its third. */
    private static boolean localOnly(Tokens t, int open) {
        int[] arguments = t.listItems(open);
        return arguments.length == 3 && t.matching(open) == arguments[2] + 1 && t.isWord(arguments[2], "true");
    }

    private static int next(Tokens t, int from) {
        for (int i = from; i + 1 < t.size(); i++) {
            if (t.isSymbol(i + 1, "(") && (t.isWord(i, "set_config")
                    || t.type(i) == TokenType.QUOTED_IDENT && "set_config".equals(t.identifier(i)))) {
                return i;
            }
        }
        return -1;
    }
}
