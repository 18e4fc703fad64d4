package io.shardproxy.server.types;

import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A type OID resolved to the conversion its values take, once, so that converting a column's
 * values costs no catalog lookups: {@link BinaryFormat#resolve} makes it, following domains to
 * their base types and sending enums as text. An array (alone or under domains) converts element
 * by element, and its header names {@code elementOid}, which is what array_send writes: the type
 * the array's elements were built with (an enum, a domain), not the type they are sent as.
 *
 * @param typeOid    the OID asked for (a domain's, an enum's, an array's)
 * @param scalarOid  the built-in type whose send format the value (or each element) takes
 * @param arrayOid   the array type whose layout applies (a domain over an array: the base array
 *                   type), or 0 for a scalar
 * @param elementOid the element type OID written in (and expected in) the array header, or 0
 */
public record BinaryType(int typeOid, int scalarOid, int arrayOid, int elementOid) {

    public boolean isArray() {
        return arrayOid != 0;
    }

    /** The send format of a value given in text output format; see {@link BinaryFormat#encode(int, byte[])}. */
    public byte[] encode(byte[] text) {
        if (arrayOid != 0) {
            return ArrayCodec.encode(arrayOid, elementOid, text, e -> BinaryFormat.encodeScalar(scalarOid, e));
        }
        return BinaryFormat.encodeScalar(scalarOid, text);
    }

    /** The text output of a value given in send format, a timestamptz in UTC. */
    public byte[] decode(byte[] binary) {
        return decode(binary, ZoneOffset.UTC);
    }

    /**
     * The text output of a value given in send format; see
     * {@link BinaryFormat#decode(int, byte[], ZoneId)}. An enum label or a domain value is not
     * checked against the catalog (enum_recv and domain_recv would): the shard checks it on use.
     */
    public byte[] decode(byte[] binary, ZoneId sessionZone) {
        if (arrayOid != 0) {
            return ArrayCodec.decode(arrayOid, elementOid, binary, e -> BinaryFormat.decodeScalar(scalarOid, e, sessionZone));
        }
        return BinaryFormat.decodeScalar(scalarOid, binary, sessionZone);
    }
}
