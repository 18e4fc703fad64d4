package io.shardproxy.server.types;

/**
 * json and jsonb. json's send format is its text (json_send); jsonb's is a version byte, 1, then
 * jsonb_out's text (jsonb_send). Text from a shard is already what the out functions print, so
 * encoding only frames it. Decoding checks what the receive functions check and, for jsonb,
 * prints what jsonb_out would, since a client may send any spelling of the value.
 */
final class JsonCodec {
    private static final byte JSONB_VERSION = 1;

    private JsonCodec() {
    }

    static byte[] encode(int typeOid, byte[] text) {
        if (typeOid == TypeOids.JSON) {
            return text.clone();
        }
        byte[] out = new byte[text.length + 1];
        out[0] = JSONB_VERSION;
        System.arraycopy(text, 0, out, 1, text.length);
        return out;
    }

    static byte[] decode(int typeOid, byte[] binary) {
        if (typeOid == TypeOids.JSON) {
            TextCodec.checkUtf8(typeOid, binary);
            JsonText.validate(binary, typeOid);
            return binary.clone();
        }
        BinaryReader in = new BinaryReader(typeOid, binary);
        int version = in.uint8();
        if (version != JSONB_VERSION) {
            throw TypeErrors.badBinary(typeOid, "unsupported jsonb version number " + version);
        }
        byte[] text = in.rest();
        TextCodec.checkUtf8(typeOid, text);
        return JsonText.normalize(text, typeOid);
    }
}
