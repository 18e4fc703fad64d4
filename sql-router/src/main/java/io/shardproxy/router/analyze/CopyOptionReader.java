package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.router.lex.Literals;
import io.shardproxy.router.lex.TokenType;
import io.shardproxy.router.lex.Tokens;
import io.shardproxy.router.plan.Plan;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A COPY statement's options read as PostgreSQL 17 reads them (plus PostgreSQL 18's REJECT_LIMIT
 * and LOG_VERBOSITY silent, which a PostgreSQL 17 shard then rejects itself): the grammar turns both option
 * syntaxes into a list of named options ({@link CopyOption}, gram.y's DefElem), then
 * ProcessCopyOptions (commands/copy.c) checks them in order, fills in the defaults and checks the
 * combination. This class does the same checks in the same order with the same SQLSTATE and
 * message, so a COPY the proxy accepts is one every shard accepts, and a bad one fails before any
 * data moves. Checks that need the table (column names in FORCE_* lists) are left to the shards.
 *
 * <p>Option values that are string or number literals live in the statement's slots, so they are
 * read per statement ({@link #read}), never cached with the shape.
 */
final class CopyOptionReader {

    /** An argument's value as PostgreSQL's node types see it: String, Long (Integer), Decimal text, '*' or a list. */
    private record Value(Object string, boolean isInteger, boolean isStar, List<String> list) {
    }

    private final Tokens t;
    private final boolean from;

    private CopyOptionReader(Tokens t, boolean from) {
        this.t = t;
        this.from = from;
    }

    /**
     * The options of one statement (its tokens hold the literal values) for COPY FROM
     * ({@code from}) or TO; throws ShardProxyException with PostgreSQL's SQLSTATE and message for
     * an option PostgreSQL rejects.
     */
    static Plan.CopyOptions read(List<CopyOption> options, Tokens t, boolean from) {
        return new CopyOptionReader(t, from).process(options);
    }

    /** ProcessCopyOptions: first each option, then defaults, then the combination. */
    private Plan.CopyOptions process(List<CopyOption> options) {
        String format = null;
        Boolean freeze = null;
        Plan.CopyHeader header = null;
        String delim = null;
        String nullPrint = null;
        String defaultPrint = null;
        String quote = null;
        String escape = null;
        List<String> forceQuote = null;
        boolean forceQuoteAll = false;
        List<String> forceNotNull = null;
        boolean forceNotNullAll = false;
        List<String> forceNull = null;
        boolean forceNullAll = false;
        String encoding = null;
        Boolean onErrorIgnore = null;
        boolean logVerbosity = false;
        boolean rejectLimit = false;
        for (CopyOption o : options) {
            switch (o.name()) {
                case "format": {
                    String fmt = string(o);
                    if (format != null) {
                        throw conflicting();
                    }
                    if (!fmt.equals("text") && !fmt.equals("csv") && !fmt.equals("binary")) {
                        throw invalid("COPY format \"" + fmt + "\" not recognized");
                    }
                    format = fmt;
                    break;
                }
                case "freeze":
                    if (freeze != null) {
                        throw conflicting();
                    }
                    freeze = bool(o);
                    break;
                case "delimiter":
                    if (delim != null) {
                        throw conflicting();
                    }
                    delim = string(o);
                    break;
                case "null":
                    if (nullPrint != null) {
                        throw conflicting();
                    }
                    nullPrint = string(o);
                    break;
                case "default":
                    if (defaultPrint != null) {
                        throw conflicting();
                    }
                    defaultPrint = string(o);
                    break;
                case "header":
                    if (header != null) {
                        throw conflicting();
                    }
                    header = header(o);
                    break;
                case "quote":
                    if (quote != null) {
                        throw conflicting();
                    }
                    quote = string(o);
                    break;
                case "escape":
                    if (escape != null) {
                        throw conflicting();
                    }
                    escape = string(o);
                    break;
                case "force_quote":
                    if (forceQuote != null || forceQuoteAll) {
                        throw conflicting();
                    }
                    if (isStar(o)) {
                        forceQuoteAll = true;
                    } else {
                        forceQuote = columnList(o);
                    }
                    break;
                case "force_not_null":
                    if (forceNotNull != null || forceNotNullAll) {
                        throw conflicting();
                    }
                    if (isStar(o)) {
                        forceNotNullAll = true;
                    } else {
                        forceNotNull = columnList(o);
                    }
                    break;
                case "force_null":
                    if (forceNull != null || forceNullAll) {
                        throw conflicting();
                    }
                    if (isStar(o)) {
                        forceNullAll = true;
                    } else {
                        forceNull = columnList(o);
                    }
                    break;
                case "encoding": {
                    if (encoding != null) {
                        throw conflicting();
                    }
                    String name = string(o);
                    encoding = CopyEncodingNames.canonical(name);
                    if (encoding == null) {
                        throw invalid("argument to option \"encoding\" must be a valid encoding name");
                    }
                    break;
                }
                case "on_error": {
                    if (onErrorIgnore != null) {
                        throw conflicting();
                    }
                    String v = string(o);
                    if (!from) {
                        throw invalid("COPY ON_ERROR cannot be used with COPY TO");
                    }
                    if (v.equalsIgnoreCase("stop")) {
                        onErrorIgnore = false;
                    } else if (v.equalsIgnoreCase("ignore")) {
                        onErrorIgnore = true;
                    } else {
                        throw invalid("COPY ON_ERROR \"" + v + "\" not recognized");
                    }
                    break;
                }
                case "log_verbosity": {
                    if (logVerbosity) {
                        throw conflicting();
                    }
                    logVerbosity = true;
                    String v = string(o);
                    // "silent" is PostgreSQL 18's; a PostgreSQL 17 shard rejects it itself.
                    if (!v.equalsIgnoreCase("default") && !v.equalsIgnoreCase("verbose")
                            && !v.equalsIgnoreCase("silent")) {
                        throw invalid("COPY LOG_VERBOSITY \"" + v + "\" not recognized");
                    }
                    break;
                }
                case "reject_limit":
                    // PostgreSQL 18's; a PostgreSQL 17 shard rejects it itself.
                    if (rejectLimit) {
                        throw conflicting();
                    }
                    rejectLimit = true;
                    rejectLimit(o);
                    break;
                default:
                    throw syntax("option \"" + o.name() + "\" not recognized");
            }
        }
        boolean binary = "binary".equals(format);
        boolean csv = "csv".equals(format);
        if (binary && delim != null) {
            throw syntax("cannot specify DELIMITER in BINARY mode");
        }
        if (binary && nullPrint != null) {
            throw syntax("cannot specify NULL in BINARY mode");
        }
        if (binary && defaultPrint != null) {
            throw syntax("cannot specify DEFAULT in BINARY mode");
        }
        if (delim == null) {
            delim = csv ? "," : "\t";
        }
        if (nullPrint == null) {
            nullPrint = csv ? "" : "\\N";
        }
        if (csv) {
            if (quote == null) {
                quote = "\"";
            }
            if (escape == null) {
                escape = quote;
            }
        }
        if (byteLength(delim) != 1) {
            throw unsupported("COPY delimiter must be a single one-byte character");
        }
        if (delim.indexOf('\r') >= 0 || delim.indexOf('\n') >= 0) {
            throw invalid("COPY delimiter cannot be newline or carriage return");
        }
        if (nullPrint.indexOf('\r') >= 0 || nullPrint.indexOf('\n') >= 0) {
            throw invalid("COPY null representation cannot use newline or carriage return");
        }
        if (defaultPrint != null && (defaultPrint.indexOf('\r') >= 0 || defaultPrint.indexOf('\n') >= 0)) {
            throw invalid("COPY default representation cannot use newline or carriage return");
        }
        if (!csv && "\\.abcdefghijklmnopqrstuvwxyz0123456789".indexOf(delim.charAt(0)) >= 0) {
            throw invalid("COPY delimiter cannot be \"" + delim + "\"");
        }
        if (binary && header != null && header != Plan.CopyHeader.NONE) {
            throw unsupported("cannot specify HEADER in BINARY mode");
        }
        if (!csv && quote != null) {
            throw unsupported("COPY QUOTE requires CSV mode");
        }
        if (csv && byteLength(quote) != 1) {
            throw unsupported("COPY quote must be a single one-byte character");
        }
        if (csv && delim.charAt(0) == quote.charAt(0)) {
            throw invalid("COPY delimiter and quote must be different");
        }
        if (!csv && escape != null) {
            throw unsupported("COPY ESCAPE requires CSV mode");
        }
        if (csv && byteLength(escape) != 1) {
            throw unsupported("COPY escape must be a single one-byte character");
        }
        if (!csv && (forceQuote != null || forceQuoteAll)) {
            throw unsupported("COPY FORCE_QUOTE requires CSV mode");
        }
        if ((forceQuote != null || forceQuoteAll) && from) {
            throw unsupported("COPY FORCE_QUOTE cannot be used with COPY FROM");
        }
        if (!csv && (forceNotNull != null || forceNotNullAll)) {
            throw unsupported("COPY FORCE_NOT_NULL requires CSV mode");
        }
        if ((forceNotNull != null || forceNotNullAll) && !from) {
            throw invalid("COPY FORCE_NOT_NULL cannot be used with COPY TO");
        }
        if (!csv && (forceNull != null || forceNullAll)) {
            throw unsupported("COPY FORCE_NULL requires CSV mode");
        }
        if ((forceNull != null || forceNullAll) && !from) {
            throw invalid("COPY FORCE_NULL cannot be used with COPY TO");
        }
        if (nullPrint.indexOf(delim.charAt(0)) >= 0) {
            throw invalid("COPY delimiter character must not appear in the NULL specification");
        }
        if (csv && nullPrint.indexOf(quote.charAt(0)) >= 0) {
            throw invalid("CSV quote character must not appear in the NULL specification");
        }
        if (Boolean.TRUE.equals(freeze) && !from) {
            throw invalid("COPY FREEZE cannot be used with COPY TO");
        }
        if (defaultPrint != null) {
            if (!from) {
                throw unsupported("COPY DEFAULT cannot be used with COPY TO");
            }
            if (defaultPrint.indexOf(delim.charAt(0)) >= 0) {
                throw unsupported("COPY delimiter character must not appear in the DEFAULT specification");
            }
            if (csv && defaultPrint.indexOf(quote.charAt(0)) >= 0) {
                throw unsupported("CSV quote character must not appear in the DEFAULT specification");
            }
            if (nullPrint.equals(defaultPrint)) {
                throw unsupported("NULL specification and DEFAULT specification cannot be the same");
            }
        }
        if (binary && Boolean.TRUE.equals(onErrorIgnore)) {
            throw syntax("only ON_ERROR STOP is allowed in BINARY mode");
        }
        if (rejectLimit && !Boolean.TRUE.equals(onErrorIgnore)) {
            throw invalid("COPY REJECT_LIMIT requires ON_ERROR to be set to IGNORE");
        }
        Plan.CopyFormat f = binary ? Plan.CopyFormat.BINARY : csv ? Plan.CopyFormat.CSV : Plan.CopyFormat.TEXT;
        return new Plan.CopyOptions(f, delim, nullPrint, defaultPrint, quote, escape,
                header == null ? Plan.CopyHeader.NONE : header,
                forceQuote == null ? List.of() : forceQuote, forceQuoteAll,
                forceNotNull == null ? List.of() : forceNotNull, forceNotNullAll,
                forceNull == null ? List.of() : forceNull, forceNullAll,
                encoding, Boolean.TRUE.equals(freeze), Boolean.TRUE.equals(onErrorIgnore));
    }

    // ---- define.c: reading an option's argument ----

    /** defGetString. */
    private String string(CopyOption o) {
        Value v = value(o.arg());
        if (v == null) {
            throw syntax(o.name() + " requires a parameter");
        }
        if (v.isStar()) {
            return "*";
        }
        if (v.list() != null) {
            return String.join(".", v.list());
        }
        return v.string().toString();
    }

    /** defGetBoolean. */
    private boolean bool(CopyOption o) {
        Value v = value(o.arg());
        if (v == null) {
            return true;
        }
        if (v.isInteger()) {
            long i = (Long) v.string();
            if (i == 0 || i == 1) {
                return i == 1;
            }
        } else {
            String s = string(o);
            if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("on")) {
                return true;
            }
            if (s.equalsIgnoreCase("false") || s.equalsIgnoreCase("off")) {
                return false;
            }
        }
        throw syntax(o.name() + " requires a Boolean value");
    }

    /** copy.c's defGetCopyHeaderChoice: a Boolean or "match" (COPY FROM only). */
    private Plan.CopyHeader header(CopyOption o) {
        Value v = value(o.arg());
        if (v == null) {
            return Plan.CopyHeader.PRESENT;
        }
        if (v.isInteger()) {
            long i = (Long) v.string();
            if (i == 0 || i == 1) {
                return i == 1 ? Plan.CopyHeader.PRESENT : Plan.CopyHeader.NONE;
            }
        } else {
            String s = string(o);
            if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("on")) {
                return Plan.CopyHeader.PRESENT;
            }
            if (s.equalsIgnoreCase("false") || s.equalsIgnoreCase("off")) {
                return Plan.CopyHeader.NONE;
            }
            if (s.equalsIgnoreCase("match")) {
                if (!from) {
                    throw unsupported("cannot use \"" + s + "\" with HEADER in COPY TO");
                }
                return Plan.CopyHeader.MATCH;
            }
        }
        throw syntax(o.name() + " requires a Boolean value or \"match\"");
    }

    /** PostgreSQL 18's defGetCopyRejectLimitOption: a bigint above zero. */
    private void rejectLimit(CopyOption o) {
        Value v = value(o.arg());
        if (v == null || v.isStar() || v.list() != null) {
            throw syntax(o.name() + " requires a numeric value");
        }
        long limit;
        if (v.isInteger()) {
            limit = (Long) v.string();
        } else {
            String text = v.string().toString().strip();
            if (!text.matches("[+-]?[0-9]+")) {
                throw new ShardProxyException(SqlState.INVALID_TEXT_REPRESENTATION,
                        "invalid input syntax for type bigint: \"" + v.string() + "\"");
            }
            try {
                limit = Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
            } catch (NumberFormatException e) {
                throw new ShardProxyException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                        "value \"" + v.string() + "\" is out of range for type bigint");
            }
        }
        if (limit <= 0) {
            throw invalid("REJECT_LIMIT (" + limit + ") must be greater than zero");
        }
    }

    private boolean isStar(CopyOption o) {
        return o.arg() != null && o.arg().kind() == CopyOption.Kind.STAR;
    }

    /** A FORCE_* option's column list; anything but a list (or '*') is an error. */
    private List<String> columnList(CopyOption o) {
        Value v = value(o.arg());
        if (v == null || v.list() == null) {
            throw invalid("argument to option \"" + o.name() + "\" must be a list of column names");
        }
        return v.list();
    }

    /** The argument's value as a node of PostgreSQL's parse tree; null for no argument. */
    private Value value(CopyOption.Arg a) {
        if (a == null) {
            return null;
        }
        switch (a.kind()) {
            case STRING:
                return new Value(stringLiteral(a.token()), false, false, null);
            case WORD:
                return new Value(a.text(), false, false, null);
            case STAR:
                return new Value(null, false, true, null);
            case ONE:
                return new Value(1L, true, false, null);
            case LIST: {
                List<String> items = new ArrayList<>();
                for (CopyOption.Arg item : a.items()) {
                    items.add(item.kind() == CopyOption.Kind.STRING ? stringLiteral(item.token()) : item.text());
                }
                return new Value(null, false, false, List.copyOf(items));
            }
            default:
                if (t.type(a.token()) == TokenType.NUMBER) {
                    return number(t.text(a.token()), a.negative());
                }
                if (a.negative()) {
                    throw notUnderstood();
                }
                return new Value(stringLiteral(a.token()), false, false, null);
        }
    }

    private String stringLiteral(int token) {
        if (t.type(token) != TokenType.STRING) {
            throw notUnderstood();
        }
        String v = Literals.stringValue(t.text(token));
        if (v == null) {
            throw ShardProxyException.unsupported("ShardProxy cannot read the COPY option value " + t.text(token),
                    "write the option's value as a plain string constant, e.g. DELIMITER '|'");
        }
        return v;
    }

    /**
     * The lexer's reading of a numeric constant: an integer that fits int4 is an Integer
     * (printed back in decimal), anything else a Float that keeps its text.
     */
    private static Value number(String text, boolean negative) {
        String digits = text.replace("_", "");
        BigInteger value = null;
        try {
            if (digits.length() > 2 && digits.charAt(0) == '0' && "xXoObB".indexOf(digits.charAt(1)) >= 0) {
                char r = Character.toLowerCase(digits.charAt(1));
                value = new BigInteger(digits.substring(2), r == 'x' ? 16 : r == 'o' ? 8 : 2);
            } else if (digits.chars().allMatch(Character::isDigit)) {
                value = new BigInteger(digits);
            }
        } catch (NumberFormatException e) {
            value = null;
        }
        if (value != null && value.bitLength() < 32) {
            return new Value(negative ? -value.longValue() : value.longValue(), true, false, null);
        }
        return new Value(negative ? "-" + text : text, false, false, null);
    }

    /** A constant where the grammar does not allow its kind (a number for a string): PostgreSQL's syntax error. */
    private ShardProxyException notUnderstood() {
        return ShardProxyException.unsupported("ShardProxy cannot analyze this COPY statement's options",
                "check the statement's syntax; see docs/copy.md for the COPY forms ShardProxy supports");
    }

    private static int byteLength(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static ShardProxyException conflicting() {
        return syntax("conflicting or redundant options");
    }

    private static ShardProxyException syntax(String message) {
        return new ShardProxyException(SqlState.SYNTAX_ERROR, message);
    }

    private static ShardProxyException invalid(String message) {
        return new ShardProxyException(SqlState.INVALID_PARAMETER_VALUE, message);
    }

    private static ShardProxyException unsupported(String message) {
        return new ShardProxyException(SqlState.FEATURE_NOT_SUPPORTED, message);
    }
}
