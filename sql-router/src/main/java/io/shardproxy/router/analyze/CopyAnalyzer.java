package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.router.Catalog;
import io.shardproxy.router.lex.TokenType;
import io.shardproxy.router.lex.Tokens;
import io.shardproxy.router.shape.Shape;
import io.shardproxy.router.shard.ShardMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a COPY statement from its tokens, following PostgreSQL's grammar (gram.y's CopyStmt),
 * which Calcite does not parse:
 *
 * <pre>
 * COPY [BINARY] table [(col, ...)] FROM|TO [PROGRAM] 'file'|STDIN|STDOUT [[USING] DELIMITERS 'x']
 *      [WITH] (option [arg], ...) | old-style options...  [WHERE condition]      -- FROM only
 * COPY (query) TO [PROGRAM] 'file'|STDIN|STDOUT [WITH] (option [arg], ...) | old-style options...
 *
 * old-style: BINARY | FREEZE | CSV | HEADER | DELIMITER [AS] 's' | NULL [AS] 's' | QUOTE [AS] 's'
 *          | ESCAPE [AS] 's' | FORCE QUOTE cols|* | FORCE NOT NULL cols|* | FORCE NULL cols|*
 *          | ENCODING 's'
 * </pre>
 *
 * Both option syntaxes become the same list of named options, in the grammar's order, for
 * {@link CopyOptionReader}. A statement this reader cannot follow is handled like any statement
 * the router cannot analyze: on the default shard when it names no configured table, refused
 * otherwise. What the statement means for routing is decided in {@link CopyTemplate}.
 */
final class CopyAnalyzer extends TokenAnalyzer {

    /** PostgreSQL's reserved keywords: not an option argument nor a column name unless quoted. */
    private static final Set<String> RESERVED = Set.of(
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast",
            "check", "collate", "column", "constraint", "create", "current_catalog", "current_date",
            "current_role", "current_time", "current_timestamp", "current_user", "default", "deferrable", "desc",
            "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "from", "grant",
            "group", "having", "in", "initially", "intersect", "into", "lateral", "leading", "limit", "localtime",
            "localtimestamp", "not", "null", "offset", "on", "only", "or", "order", "placing", "primary",
            "references", "returning", "select", "session_user", "some", "symmetric", "system_user", "table",
            "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "when", "where",
            "window", "with");

    /**
     * A COPY statement's structure, by token index (statements of one shape share it).
     *
     * @param from       COPY ... FROM
     * @param relation   the table's name parts, folded; null for COPY (query)
     * @param columns    the column list, folded; null when there is none
     * @param queryOpen  COPY (query): the token index of "(" (and {@code queryClose} of ")"); else -1
     * @param program    PROGRAM
     * @param fileToken  the file name's token, or -1 for STDIN/STDOUT
     * @param options    the options in the grammar's order (BINARY, DELIMITERS, then the list)
     * @param whereAt    token index of WHERE, or -1
     */
    record Syntax(boolean from, List<String> relation, List<String> columns, int queryOpen, int queryClose,
                  boolean program, int fileToken, List<CopyOption> options, int whereAt) {
    }

    /** This reader cannot follow the statement. */
    private static final class NotUnderstood extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotUnderstood() {
            super(null, null, false, false);
        }
    }

    private int i;

    private CopyAnalyzer(Tokens t, ShardMap shards) {
        super(t, shards);
    }

    /** The template of a COPY statement's shape. */
    static Template analyze(Shape shape, ShardMap shards, Catalog catalog, Analyzer analyzer) {
        Tokens t = shape.tokens();
        Syntax syntax;
        try {
            syntax = new CopyAnalyzer(t, shards).parse();
        } catch (NotUnderstood e) {
            return notUnderstood(t, shards);
        } catch (ShardProxyException e) {
            return new Refusal(e);
        }
        return CopyTemplate.of(syntax, t, shards, catalog, analyzer);
    }

    /** Like {@link Analyzer}'s fallback: the default shard may run what names no configured table. */
    private static Template notUnderstood(Tokens t, ShardMap shards) {
        for (int k = 0; k < t.size(); k++) {
            String id = t.identifier(k);
            if (id != null && shards.isConfiguredName(id)) {
                return new Refusal(ShardProxyException.unsupported(
                        "ShardProxy cannot analyze this COPY statement, which names configured table " + id,
                        "check the statement's syntax; see docs/copy.md for the COPY forms ShardProxy supports"));
            }
        }
        return CopyTemplate.defaultShard(isFrom(t));
    }

    /** Whether the first FROM or TO outside parentheses is FROM: the direction the shard will take. */
    private static boolean isFrom(Tokens t) {
        int depth = 0;
        for (int k = 1; k < t.size(); k++) {
            if (t.isSymbol(k, "(")) {
                depth++;
            } else if (t.isSymbol(k, ")")) {
                depth--;
            } else if (depth == 0 && (t.isWord(k, "from") || t.isWord(k, "to"))) {
                return t.isWord(k, "from");
            }
        }
        return false;
    }

    private Syntax parse() {
        i = 1;
        List<CopyOption> options = new ArrayList<>();
        List<String> relation = null;
        List<String> columns = null;
        int queryOpen = -1;
        int queryClose = -1;
        boolean from;
        if (t.isSymbol(i, "(")) {
            queryOpen = i;
            queryClose = t.matching(i);
            if (queryClose < 0 || queryClose == queryOpen + 1) {
                throw new NotUnderstood();
            }
            i = queryClose + 1;
            if (!t.isWord(i, "to")) {
                throw new NotUnderstood();
            }
            from = false;
            i++;
        } else {
            if (t.isWord(i, "binary")) {
                options.add(new CopyOption("format", CopyOption.Arg.word("binary")));
                i++;
            }
            Name name = name(i);
            if (name == null || name.parts().size() > 3) {
                throw new NotUnderstood();
            }
            relation = name.parts();
            i = name.next();
            if (t.isSymbol(i, "(")) {
                columns = columnList(true);
            }
            if (t.isWord(i, "from")) {
                from = true;
            } else if (t.isWord(i, "to")) {
                from = false;
            } else {
                throw new NotUnderstood();
            }
            i++;
        }
        boolean program = false;
        if (t.isWord(i, "program")) {
            program = true;
            i++;
        }
        int fileToken = -1;
        if (i < t.size() && t.type(i) == TokenType.STRING) {
            fileToken = i;
        } else if (!t.isWord(i, "stdin") && !t.isWord(i, "stdout")) {
            throw new NotUnderstood();
        }
        i++;
        if (program && fileToken < 0) {
            throw new ShardProxyException(SqlState.SYNTAX_ERROR, "STDIN/STDOUT not allowed with PROGRAM");
        }
        if (relation != null) {
            if (t.isWord(i, "using") && t.isWord(i + 1, "delimiters")) {
                i++;
            }
            if (t.isWord(i, "delimiters")) {
                i++;
                options.add(new CopyOption("delimiter", stringArg()));
            }
        }
        if (t.isWord(i, "with")) {
            i++;
        }
        if (t.isSymbol(i, "(")) {
            genericOptions(options);
        } else {
            oldStyleOptions(options);
        }
        int whereAt = -1;
        if (relation != null && t.isWord(i, "where") && i + 1 < t.size()) {
            whereAt = i;
            i = t.size();
        }
        if (i != t.size()) {
            throw new NotUnderstood();
        }
        if (!from && whereAt >= 0) {
            throw new ShardProxyException(SqlState.SYNTAX_ERROR, "WHERE clause not allowed with COPY TO");
        }
        return new Syntax(from, relation, columns, queryOpen, queryClose, program, fileToken, List.copyOf(options),
                whereAt);
    }

    /** {@code '(' option [arg] [, ...] ')'}: copy_generic_opt_list. */
    private void genericOptions(List<CopyOption> options) {
        i++;
        while (true) {
            String name = label(i);
            if (name == null) {
                throw new NotUnderstood();
            }
            i++;
            CopyOption.Arg arg = null;
            if (!t.isSymbol(i, ",") && !t.isSymbol(i, ")")) {
                arg = genericArg();
            }
            options.add(new CopyOption(name, arg));
            if (t.isSymbol(i, ",")) {
                i++;
                continue;
            }
            if (t.isSymbol(i, ")")) {
                i++;
                return;
            }
            throw new NotUnderstood();
        }
    }

    /** copy_generic_opt_arg: a Boolean or string, a number, '*', or a parenthesized list. */
    private CopyOption.Arg genericArg() {
        if (t.isSymbol(i, "*")) {
            i++;
            return CopyOption.Arg.star();
        }
        if (t.isSymbol(i, "(")) {
            i++;
            List<CopyOption.Arg> items = new ArrayList<>();
            while (true) {
                CopyOption.Arg item = booleanOrString();
                if (item == null) {
                    throw new NotUnderstood();
                }
                items.add(item);
                if (t.isSymbol(i, ",")) {
                    i++;
                    continue;
                }
                if (t.isSymbol(i, ")")) {
                    i++;
                    return CopyOption.Arg.list(items);
                }
                throw new NotUnderstood();
            }
        }
        boolean negative = t.isSymbol(i, "-");
        if ((negative || t.isSymbol(i, "+")) && i + 1 < t.size() && isLiteral(i + 1)) {
            i += 2;
            return CopyOption.Arg.literal(i - 1, negative);
        }
        if (isLiteral(i)) {
            i++;
            return CopyOption.Arg.literal(i - 1, false);
        }
        CopyOption.Arg a = booleanOrString();
        if (a == null) {
            throw new NotUnderstood();
        }
        return a;
    }

    /** opt_boolean_or_string: TRUE, FALSE, ON, a non-reserved word or identifier, or a string. */
    private CopyOption.Arg booleanOrString() {
        if (i >= t.size()) {
            return null;
        }
        if (t.type(i) == TokenType.STRING) {
            return stringArg();
        }
        if (t.isWord(i, "true") || t.isWord(i, "false") || t.isWord(i, "on")) {
            i++;
            return CopyOption.Arg.word(t.identifier(i - 1));
        }
        String id = columnId(i);
        if (id == null) {
            return null;
        }
        i++;
        return CopyOption.Arg.word(id);
    }

    /** The pre-9.0 option syntax: keywords, space-separated. */
    private void oldStyleOptions(List<CopyOption> options) {
        while (i < t.size()) {
            String w = word(i);
            switch (w) {
                case "binary":
                    i++;
                    options.add(new CopyOption("format", CopyOption.Arg.word("binary")));
                    break;
                case "csv":
                    i++;
                    options.add(new CopyOption("format", CopyOption.Arg.word("csv")));
                    break;
                case "freeze":
                case "header":
                    i++;
                    options.add(new CopyOption(w, CopyOption.Arg.one()));
                    break;
                case "delimiter":
                case "null":
                case "quote":
                case "escape":
                    i++;
                    if (t.isWord(i, "as")) {
                        i++;
                    }
                    options.add(new CopyOption(w, stringArg()));
                    break;
                case "encoding":
                    i++;
                    options.add(new CopyOption(w, stringArg()));
                    break;
                case "force":
                    i++;
                    String option;
                    if (t.isWord(i, "quote")) {
                        option = "force_quote";
                        i++;
                    } else if (t.isWord(i, "not") && t.isWord(i + 1, "null")) {
                        option = "force_not_null";
                        i += 2;
                    } else if (t.isWord(i, "null")) {
                        option = "force_null";
                        i++;
                    } else {
                        throw new NotUnderstood();
                    }
                    if (t.isSymbol(i, "*")) {
                        i++;
                        options.add(new CopyOption(option, CopyOption.Arg.star()));
                    } else {
                        List<CopyOption.Arg> items = new ArrayList<>();
                        for (String c : columnList(false)) {
                            items.add(CopyOption.Arg.word(c));
                        }
                        options.add(new CopyOption(option, CopyOption.Arg.list(items)));
                    }
                    break;
                default:
                    return;
            }
        }
    }

    private boolean isLiteral(int k) {
        return k < t.size() && (t.type(k) == TokenType.NUMBER || t.type(k) == TokenType.STRING);
    }

    /** A string constant argument (Sconst). */
    private CopyOption.Arg stringArg() {
        if (!isLiteral(i)) {
            throw new NotUnderstood();
        }
        i++;
        return CopyOption.Arg.string(i - 1);
    }

    /** columnList: {@code col [, ...]}, in parentheses when {@code parenthesized} (opt_column_list). */
    private List<String> columnList(boolean parenthesized) {
        if (parenthesized) {
            i++;
        }
        List<String> names = new ArrayList<>();
        while (true) {
            String id = columnId(i);
            if (id == null) {
                throw new NotUnderstood();
            }
            names.add(id);
            i++;
            if (t.isSymbol(i, ",")) {
                i++;
                continue;
            }
            break;
        }
        if (parenthesized) {
            if (!t.isSymbol(i, ")")) {
                throw new NotUnderstood();
            }
            i++;
        }
        return List.copyOf(names);
    }

    /** ColId: an identifier or a word PostgreSQL does not reserve, folded; else null. */
    private String columnId(int k) {
        if (k >= t.size()) {
            return null;
        }
        if (t.type(k) == TokenType.WORD && RESERVED.contains(word(k))) {
            return null;
        }
        return t.type(k) == TokenType.WORD || t.type(k) == TokenType.QUOTED_IDENT ? t.identifier(k) : null;
    }

    /** ColLabel: any word or identifier (an option name), folded. */
    private String label(int k) {
        if (k >= t.size()) {
            return null;
        }
        return t.type(k) == TokenType.WORD || t.type(k) == TokenType.QUOTED_IDENT ? t.identifier(k) : null;
    }
}
