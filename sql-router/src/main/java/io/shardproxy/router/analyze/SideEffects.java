package io.shardproxy.router.analyze;

import io.shardproxy.router.lex.TokenType;
import io.shardproxy.router.lex.Tokens;

import java.util.Set;

/**
 * Whether running a read twice is harmless: it calls no function that could write or advance
 * anything (a user function, nextval, ...). Only keywords that take parentheses and a list of
 * built-in functions known to be free of side effects count as safe, unqualified; any other call
 * (a user function, a schema-qualified name) does not.
 */
public final class SideEffects {
    private static final Set<String> SAFE = Set.of(
            // keywords written with parentheses
            "in", "any", "all", "some", "exists", "array", "values", "cast", "row", "coalesce", "nullif",
            "greatest", "least", "over", "filter", "within", "extract", "position", "substring", "overlay",
            "trim", "select", "from", "where", "and", "or", "not", "on", "using", "as", "limit", "offset",
            "by", "distinct", "when", "then", "else", "case", "is", "like", "ilike", "between", "lateral",
            "join",
            // aggregates and functions without side effects
            "count", "sum", "min", "max", "avg", "abs", "mod", "lower", "upper", "length", "char_length",
            "octet_length", "md5", "round", "trunc", "floor", "ceil", "ceiling", "concat", "concat_ws", "left",
            "right", "lpad", "rpad", "ltrim", "rtrim", "btrim", "replace", "split_part", "strpos", "date_trunc",
            "date_part", "to_char", "to_date", "to_timestamp", "to_number", "now", "age", "sqrt", "power",
            "string_agg", "array_agg", "bool_and", "bool_or", "every", "jsonb_build_object", "json_build_object",
            "jsonb_agg", "json_agg", "unnest", "generate_series", "cardinality", "array_length");

    private SideEffects() {
    }

    /** True when the statement calls nothing outside {@link #SAFE}. */
    public static boolean free(Tokens t) {
        for (int i = 0; i + 1 < t.size(); i++) {
            if (t.isSymbol(i + 1, "(") && (t.type(i) == TokenType.WORD || t.type(i) == TokenType.QUOTED_IDENT)
                    && !(t.type(i) == TokenType.WORD && SAFE.contains(t.identifier(i)) && !t.isSymbol(i - 1, "."))) {
                return false;
            }
        }
        return true;
    }
}
