package io.shardproxy.router.analyze;

import io.shardproxy.config.KeyType;
import io.shardproxy.router.lex.Literals;
import io.shardproxy.router.lex.Statement;
import io.shardproxy.router.lex.TokenType;
import io.shardproxy.router.lex.Tokens;
import io.shardproxy.router.plan.Parameters;
import io.shardproxy.router.shape.Shape;
import io.shardproxy.router.shard.KeyValues;
import io.shardproxy.router.shard.ShardMap;

import java.util.Set;

/**
 * One statement's literal values, read through the slots of its shape: what a cached template
 * binds against to produce this statement's plan. A slot that is a parameter ({@code $n}) reads
 * the value bound to it, so a prepared statement routes by its bind values.
 */
public final class Binding {
    private static final Set<String> INTEGER_TYPES = Set.of(
            "int", "int2", "int4", "int8", "integer", "smallint", "bigint");
    private static final Set<String> TEXT_TYPES = Set.of("text", "varchar", "character varying");

    private final Statement statement;
    private final Shape shape;
    private final ShardMap shards;
    private final Parameters parameters;

    public Binding(Statement statement, Shape shape, ShardMap shards) {
        this(statement, shape, shards, Parameters.NONE);
    }

    public Binding(Statement statement, Shape shape, ShardMap shards, Parameters parameters) {
        this.statement = statement;
        this.shape = shape;
        this.shards = shards;
        this.parameters = parameters;
    }

    public Statement statement() {
        return statement;
    }

    public Tokens tokens() {
        return statement.tokens();
    }

    public String text() {
        return statement.text();
    }

    public ShardMap shards() {
        return shards;
    }

    public Shape shape() {
        return shape;
    }

    /**
     * The key value of slot {@code k} for a key of {@code type}, as PostgreSQL would compare it:
     * a Long, String or UUID, or {@link KeyValues#NO_VALUE}. {@code castType} is the type of an
     * explicit cast around the slot (lower case), or null.
     */
    public Object keyValue(int k, boolean negate, String castType, KeyType type) {
        Tokens t = tokens();
        int start = shape.slotStart(k);
        int end = shape.slotEnd(k);
        if (castType != null && !castFits(castType, type)) {
            return KeyValues.NO_VALUE;
        }
        if (end - start > 1) {
            // A typed literal: "int8 '5'", "date '...'": the type words come first.
            String typeWords = t.span(start, end - 2).toLowerCase(java.util.Locale.ROOT);
            if (!castFits(typeWords, type)) {
                return KeyValues.NO_VALUE;
            }
            return KeyValues.fromString(Literals.stringValue(t.text(end - 1)), negate, type);
        }
        TokenType tt = t.type(start);
        if (tt == TokenType.NUMBER) {
            return KeyValues.fromNumber(t.text(start), negate, type);
        }
        if (tt == TokenType.STRING) {
            return KeyValues.fromString(Literals.stringValue(t.text(start)), negate, type);
        }
        if (tt == TokenType.PARAM) {
            int n = t.parameterNumber(start);
            if (n < 1 || n > parameters.count()) {
                return KeyValues.NO_VALUE;
            }
            // A NULL parameter is the NULL constant: "key = $1" matches nothing, an INSERT fails.
            return parameters.isNull(n) ? null : KeyValues.fromString(parameters.text(n), negate, type);
        }
        return KeyValues.NO_VALUE;
    }



    /** Slot {@code k} as a long when it is an integer constant ({@code 10} or {@code '10'}), else null. */
    public Long longValue(int k) {
        Object v = keyValue(k, false, null, KeyType.INTEGER);
        return v instanceof Long ? (Long) v : null;
    }

    /**
     * The value of slot {@code k} as PostgreSQL input text: a string constant's value, a number's
     * digits, a typed literal's string, a parameter's bound value; null for a NULL parameter or
     * one without a readable value.
     */
    public String constantText(int k) {
        Tokens t = tokens();
        int start = shape.slotStart(k);
        int end = shape.slotEnd(k);
        int last = end - 1;
        TokenType tt = t.type(last);
        if (tt == TokenType.STRING) {
            return Literals.stringValue(t.text(last));
        }
        if (tt == TokenType.NUMBER && end - start == 1) {
            return t.text(start).replace("_", "");
        }
        if (tt == TokenType.PARAM && end - start == 1) {
            int n = t.parameterNumber(start);
            return n >= 1 && n <= parameters.count() ? parameters.text(n) : null;
        }
        return null;
    }

    /** True when slot {@code k} is a bare numeric constant. */
    public boolean isNumber(int k) {
        return shape.slotEnd(k) - shape.slotStart(k) == 1 && tokens().type(shape.slotStart(k)) == TokenType.NUMBER;
    }

    private static boolean castFits(String castType, KeyType type) {
        switch (type) {
            case INTEGER:
                return INTEGER_TYPES.contains(castType);
            case TEXT:
                return TEXT_TYPES.contains(castType);
            default:
                return castType.equals("uuid");
        }
    }
}
