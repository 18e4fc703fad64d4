package io.shardproxy.router.analyze;

import io.shardproxy.router.lex.TokenType;
import io.shardproxy.router.lex.Tokens;
import io.shardproxy.router.plan.SessionCommand;
import io.shardproxy.router.plan.TransactionCommand;
import io.shardproxy.router.shard.ShardMap;

import java.util.Locale;

/**
 * Routes the statements that Calcite does not parse, from their tokens: transaction control,
 * session settings and utility statements, with DDL handed to {@link DdlAnalyzer} (COPY goes to
 * {@link CopyAnalyzer} before it gets here, since it needs the catalog). What cannot be
 * done correctly yet is refused with 0A000.
 */
final class UtilityAnalyzer extends TokenAnalyzer {

    private UtilityAnalyzer(Tokens t, ShardMap shards) {
        super(t, shards);
    }

    /** The template for a statement starting with a word that Calcite does not handle, or null. */
    static Template analyze(Tokens t, ShardMap shards) {
        return new UtilityAnalyzer(t, shards).analyze();
    }

    private Template analyze() {
        String first = word(0);
        switch (first) {
            case "begin":
                return FixedTemplate.transaction(TransactionCommand.BEGIN);
            case "start":
                return t.isWord(1, "transaction") ? FixedTemplate.transaction(TransactionCommand.BEGIN) : refuse(first);
            case "commit":
            case "end":
                if (t.isWord(1, "prepared")) {
                    return later("COMMIT PREPARED", "two-phase commit is managed by the proxy");
                }
                if (andChain()) {
                    return later("COMMIT AND CHAIN", "COMMIT, then BEGIN");
                }
                return FixedTemplate.transaction(TransactionCommand.COMMIT);
            case "rollback":
            case "abort":
                if (t.isWord(1, "prepared")) {
                    return later("ROLLBACK PREPARED", "two-phase commit is managed by the proxy");
                }
                if (t.isWord(1, "to") || t.isWord(2, "to")) {
                    return savepoint(TransactionCommand.ROLLBACK_TO, skipWords(t.isWord(1, "to") ? 2 : 3, "savepoint"));
                }
                if (andChain()) {
                    return later("ROLLBACK AND CHAIN", "ROLLBACK, then BEGIN");
                }
                return FixedTemplate.transaction(TransactionCommand.ROLLBACK);
            case "savepoint":
                return savepoint(TransactionCommand.SAVEPOINT, 1);
            case "release":
                return savepoint(TransactionCommand.RELEASE, skipWords(1, "savepoint"));
            case "prepare":
                return t.isWord(1, "transaction")
                        ? later("PREPARE TRANSACTION", "two-phase commit is managed by the proxy")
                        : FixedTemplate.session(SessionCommand.PREPARE, null);
            case "execute":
                return FixedTemplate.session(SessionCommand.EXECUTE, null);
            case "deallocate":
                return FixedTemplate.session(SessionCommand.DEALLOCATE, null);
            case "set":
                return set();
            case "reset":
                return t.isWord(1, "all") ? FixedTemplate.session(SessionCommand.RESET_ALL, null)
                        : FixedTemplate.session(SessionCommand.RESET, settingName(1));
            case "discard":
                return t.isWord(1, "all") ? FixedTemplate.session(SessionCommand.DISCARD_ALL, null)
                        : FixedTemplate.session(SessionCommand.DISCARD_OTHER, word(1));
            case "show":
                return FixedTemplate.defaultShard(false);
            case "create":
                return ddl().create();
            case "alter":
                return ddl().alter();
            case "drop":
                return ddl().drop();
            case "truncate":
                return ddl().tables(skipWords(1, "table", "only"), "TRUNCATE", true);
            case "comment":
            case "security":
                return ddl().comment();
            case "grant":
            case "revoke":
                return ddl().grant();
            case "vacuum":
            case "analyze":
            case "analyse":
            case "cluster":
                return ddl().maintenance(first);
            case "reindex":
                return DdlTemplate.everyShard(!mentionsWord("concurrently") && !t.isWord(1, "database")
                        && !t.isWord(1, "system"));
            case "checkpoint":
                return DdlTemplate.everyShard(false);
            case "lock":
                return ddl().tables(skipWords(1, "table", "only"), "LOCK", true);
            case "refresh":
                return DdlTemplate.defaultShard(!mentionsWord("concurrently"));
            case "listen":
            case "notify":
            case "unlisten":
                return later(first.toUpperCase(Locale.ROOT), "connect to a shard directly for notifications");
            case "declare":
                return FixedTemplate.session(SessionCommand.DECLARE, null);
            case "fetch":
                return FixedTemplate.session(SessionCommand.FETCH, null);
            case "move":
                return FixedTemplate.session(SessionCommand.MOVE, null);
            case "close":
                return FixedTemplate.session(SessionCommand.CLOSE, null);
            case "do":
            case "call":
            case "load":
                return FixedTemplate.defaultShard(true);
            default:
                return null;
        }
    }

    /** A savepoint statement whose name is the token at {@code i} and the last token. */
    private Template savepoint(TransactionCommand command, int i) {
        if (i != t.size() - 1 || !(t.type(i) == TokenType.WORD || t.type(i) == TokenType.QUOTED_IDENT)) {
            return refuse(command.name().replace('_', ' '));
        }
        return FixedTemplate.savepoint(command, t.identifier(i));
    }

    private DdlAnalyzer ddl() {
        return new DdlAnalyzer(t, shards);
    }

    private Template set() {
        int i = 1;
        if (t.isWord(i, "local")) {
            return FixedTemplate.session(SessionCommand.SET_LOCAL, settingName(2));
        }
        if (t.isWord(i, "transaction")) {
            return FixedTemplate.session(SessionCommand.SET_LOCAL, "transaction");
        }
        if (t.isWord(i, "session") && !t.isWord(i + 1, "authorization")) {
            i++;
            if (t.isWord(i, "characteristics")) {
                return FixedTemplate.session(SessionCommand.SET, "session_characteristics");
            }
        }
        return FixedTemplate.session(SessionCommand.SET, settingName(i));
    }

    /**
     * The GUC name a SET/RESET at token i names, lower case, with the grammar's special forms
     * mapped as PostgreSQL maps them ("time zone" is timezone, "names" is client_encoding).
     */
    private String settingName(int i) {
        if (t.isWord(i, "time") && t.isWord(i + 1, "zone")) {
            return "timezone";
        }
        if (t.isWord(i, "session") && t.isWord(i + 1, "authorization")) {
            return "session_authorization";
        }
        if (t.isWord(i, "names")) {
            return "client_encoding";
        }
        if (t.isWord(i, "schema")) {
            return "search_path";
        }
        if (t.isWord(i, "xml") && t.isWord(i + 1, "option")) {
            return "xmloption";
        }
        StringBuilder sb = new StringBuilder();
        while (i < t.size() && (t.type(i) == TokenType.WORD || t.type(i) == TokenType.QUOTED_IDENT)) {
            sb.append(t.identifier(i));
            if (!t.isSymbol(i + 1, ".")) {
                break;
            }
            sb.append('.');
            i += 2;
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** True for AND CHAIN (not AND NO CHAIN, which is the plain statement). */
    private boolean andChain() {
        int chain = indexOfWord(1, "chain");
        return chain > 0 && t.isWord(chain - 1, "and");
    }

}
