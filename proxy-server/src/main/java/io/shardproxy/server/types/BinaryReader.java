package io.shardproxy.server.types;

/**
 * A bounds-checked big-endian cursor over one binary value. A read past the end, or bytes left
 * over at {@link #end()}, is a 08P01 that names the type, as PostgreSQL's receive functions
 * refuse a value that is too short ("insufficient data left in message") or too long.
 */
final class BinaryReader {
    private final int typeOid;
    private final byte[] bytes;
    private int pos;

    BinaryReader(int typeOid, byte[] bytes) {
        this.typeOid = typeOid;
        this.bytes = bytes;
    }

    int remaining() {
        return bytes.length - pos;
    }

    int uint8() {
        need(1);
        return bytes[pos++] & 0xff;
    }

    short int16() {
        need(2);
        short v = (short) ((bytes[pos] & 0xff) << 8 | (bytes[pos + 1] & 0xff));
        pos += 2;
        return v;
    }

    int int32() {
        need(4);
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = v << 8 | (bytes[pos++] & 0xff);
        }
        return v;
    }

    long int64() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (bytes[pos++] & 0xff);
        }
        return v;
    }

    byte[] bytes(int n) {
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(bytes, pos, out, 0, n);
        pos += n;
        return out;
    }

    /** Everything not read yet. */
    byte[] rest() {
        return bytes(remaining());
    }

    /** Checks that the whole value was read. */
    void end() {
        if (pos != bytes.length) {
            throw TypeErrors.badBinary(typeOid, (bytes.length - pos) + " bytes left over after the value");
        }
    }

    private void need(int n) {
        if (n < 0 || bytes.length - pos < n) {
            throw TypeErrors.badBinary(typeOid, "insufficient data left in message");
        }
    }
}
