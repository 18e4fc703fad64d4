package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.router.lex.TokenType;
import io.shardproxy.router.lex.Tokens;
import io.shardproxy.router.shard.ShardMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the analyzers that route from tokens alone share: the tokens, the shard map, and reading helpers. */
abstract class TokenAnalyzer {
    final Tokens t;
    final ShardMap shards;

    TokenAnalyzer(Tokens t, ShardMap shards) {
        this.t = t;
        this.shards = shards;
    }

    /** A possibly qualified name at token i. */
    record Name(List<String> parts, int next) {
    }

    Name name(int i) {
        List<String> parts = new ArrayList<>();
        while (i < t.size() && (t.type(i) == TokenType.WORD || t.type(i) == TokenType.QUOTED_IDENT)) {
            parts.add(t.identifier(i));
            i++;
            if (!t.isSymbol(i, ".")) {
                break;
            }
            i++;
        }
        return parts.isEmpty() ? null : new Name(parts, i);
    }

    boolean mentionsSharded(String identifier) {
        ShardMap.Relation rel = shards.resolve(List.of(identifier));
        return rel.kind() == ShardMap.Kind.SHARDED;
    }

    int skipWords(int i, String... words) {
        outer:
        while (i < t.size()) {
            for (String w : words) {
                if (t.isWord(i, w)) {
                    i++;
                    continue outer;
                }
            }
            break;
        }
        return i;
    }

    int indexOfWord(int from, String word) {
        for (int i = from; i < t.size(); i++) {
            if (t.isWord(i, word)) {
                return i;
            }
        }
        return -1;
    }

    int indexOfSymbol(int from, int to, String symbol) {
        for (int i = from; i < to; i++) {
            if (t.isSymbol(i, symbol)) {
                return i;
            }
        }
        return -1;
    }

    boolean mentionsWord(String word) {
        return indexOfWord(0, word) >= 0;
    }

    String word(int i) {
        return i < t.size() && t.type(i) == TokenType.WORD ? t.text(i).toLowerCase(Locale.ROOT) : "";
    }

    static Template later(String what, String instead) {
        return new Refusal(ShardProxyException.unsupported(what + " is not supported through ShardProxy yet", instead));
    }

    static Template refuse(String what) {
        return new Refusal(ShardProxyException.unsupported("cannot route this " + what + " statement",
                "check the statement's syntax"));
    }
}
