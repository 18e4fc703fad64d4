package io.shardproxy.router.analyze;

import io.shardproxy.router.shard.KeyValues;
import io.shardproxy.router.shard.ShardingRule;

import java.util.BitSet;
import java.util.List;

/**
 * What a WHERE clause says about one table's shard key, as a tree over slots: the unbound form
 * that a cached template keeps. {@link #shards} binds it to a statement's values. A condition that
 * cannot narrow the shards evaluates to null (all shards); a narrowing is only ever derived from
 * predicates that are true for every matching row, so it never drops a row.
 */
public sealed interface KeyCondition {

    /**
     * The shards that can hold rows satisfying this condition, or null for "all shards". An empty
     * set means no row can match.
     */
    BitSet shards(ShardingRule rule, Binding b);

    /** No usable condition. */
    record Any() implements KeyCondition {
        @Override
        public BitSet shards(ShardingRule rule, Binding b) {
            return null;
        }
    }

    /** {@code key = value}; {@code key IN (v1, v2)} is a list of these under {@link Or}. */
    record Equals(Value value) implements KeyCondition {
        @Override
        public BitSet shards(ShardingRule rule, Binding b) {
            Object v = value.keyValue(rule, b);
            if (v == KeyValues.NO_VALUE) {
                return null;
            }
            BitSet out = new BitSet();
            if (v != null) {
                out.set(rule.shardOf(v));
            }
            return out;
        }
    }

    /** {@code abs(mod(key, modulus)) = remainder}, the reference design's partition predicate. */
    record ModEquals(Value modulus, Value remainder) implements KeyCondition {
        @Override
        public BitSet shards(ShardingRule rule, Binding b) {
            Object m = modulus.integer(b);
            Object r = remainder.integer(b);
            if (!(m instanceof Long) || !(r instanceof Long)) {
                return null;
            }
            return rule.shardsWhereModEquals((Long) m, (Long) r);
        }
    }

    /** All of the parts hold: the intersection of their shards. */
    record And(List<KeyCondition> parts) implements KeyCondition {
        @Override
        public BitSet shards(ShardingRule rule, Binding b) {
            BitSet out = null;
            for (KeyCondition p : parts) {
                BitSet s = p.shards(rule, b);
                if (s == null) {
                    continue;
                }
                if (out == null) {
                    out = (BitSet) s.clone();
                } else {
                    out.and(s);
                }
            }
            return out;
        }
    }

    /** One of the parts holds: the union of their shards, unless one of them is unrestricted. */
    record Or(List<KeyCondition> parts) implements KeyCondition {
        @Override
        public BitSet shards(ShardingRule rule, Binding b) {
            BitSet out = new BitSet();
            for (KeyCondition p : parts) {
                BitSet s = p.shards(rule, b);
                if (s == null) {
                    return null;
                }
                out.or(s);
            }
            return out;
        }
    }

    /** A value compared with the key. */
    sealed interface Value {
        /** The key value (Long, String, UUID), null for SQL NULL, or {@link KeyValues#NO_VALUE}. */
        Object keyValue(ShardingRule rule, Binding b);

        /** The value as a Long when it is an integer constant, else NO_VALUE. */
        Object integer(Binding b);
    }

    /**
     * A literal slot, possibly negated by a unary minus and cast to {@code castType}.
     */
    record Slot(int slot, boolean negate, String castType) implements Value {
        @Override
        public Object keyValue(ShardingRule rule, Binding b) {
            return b.keyValue(slot, negate, castType, rule.keyType());
        }

        @Override
        public Object integer(Binding b) {
            Object v = b.keyValue(slot, negate, castType, io.shardproxy.config.KeyType.INTEGER);
            return v;
        }
    }

    /** The NULL constant: {@code key = NULL} is never true. */
    record NullValue() implements Value {
        @Override
        public Object keyValue(ShardingRule rule, Binding b) {
            return null;
        }

        @Override
        public Object integer(Binding b) {
            return KeyValues.NO_VALUE;
        }
    }
}
