package io.shardproxy.server.types;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Arrays in array_send's layout:
 * <pre>
 *   Int32   ndim             0 for the empty array
 *   Int32   flags            1 if some element is NULL, else 0
 *   Int32   element type OID
 *   per dimension:  Int32 length, Int32 lower bound
 *   per element, row-major:  Int32 length (-1 for NULL), then the element's own send format
 * </pre>
 * Elements go through their type's conversion one by one; the array's text is {@link ArrayText}.
 * Reading checks what array_recv checks: at most six dimensions, flags 0 or 1, the element type
 * the array type names, bounds that do not overflow; a binary array with no elements is "{}"
 * whatever its dimensions.
 */
final class ArrayCodec {
    /** MaxArraySize: the most elements an array may have. */
    private static final long MAX_ELEMENTS = 0x3FFFFFFFL / 8;

    private ArrayCodec() {
    }

    /** @param element text -&gt; binary for one non-null element */
    static byte[] encode(int arrayOid, int elementOid, byte[] text, UnaryOperator<byte[]> element) {
        ArrayValue parsed = ArrayText.parse(arrayOid, text);
        List<byte[]> binary = new ArrayList<>(parsed.elements().size());
        int size = 12 + 8 * parsed.dims().length;
        for (byte[] e : parsed.elements()) {
            byte[] b = e == null ? null : element.apply(e);
            binary.add(b);
            size += 4 + (b == null ? 0 : b.length);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(parsed.dims().length).putInt(parsed.hasNulls() ? 1 : 0).putInt(elementOid);
        for (int d = 0; d < parsed.dims().length; d++) {
            out.putInt(parsed.dims()[d]).putInt(parsed.lowerBounds()[d]);
        }
        for (byte[] b : binary) {
            if (b == null) {
                out.putInt(-1);
            } else {
                out.putInt(b.length).put(b);
            }
        }
        return out.array();
    }

    /** The array with another element type OID in its header (bytes 8-11), or itself when equal or too short. */
    static byte[] withElementType(byte[] binary, int elementOid) {
        if (binary.length < 12 || elementTypeOf(binary) == elementOid) {
            return binary;
        }
        byte[] out = binary.clone();
        ByteBuffer.wrap(out).putInt(8, elementOid);
        return out;
    }

    /** The element type OID in the header, or 0 when the bytes are too short to hold one. */
    static int elementTypeOf(byte[] binary) {
        return binary.length < 12 ? 0 : ByteBuffer.wrap(binary).getInt(8);
    }

    /** @param element binary -&gt; text for one non-null element */
    static byte[] decode(int arrayOid, int elementOid, byte[] binary, UnaryOperator<byte[]> element) {
        BinaryReader in = new BinaryReader(arrayOid, binary);
        int ndim = in.int32();
        int flags = in.int32();
        int type = in.int32();
        if (ndim < 0 || ndim > ArrayValue.MAX_DIMENSIONS) {
            throw TypeErrors.badBinary(arrayOid, "invalid number of dimensions: " + ndim);
        }
        if (flags != 0 && flags != 1) {
            throw TypeErrors.badBinary(arrayOid, "invalid array flags");
        }
        if (type != elementOid) {
            throw TypeErrors.badBinary(arrayOid, "binary data has array element type " + Integer.toUnsignedString(type)
                    + " instead of expected " + elementOid);
        }
        int[] dims = new int[ndim];
        int[] lowerBounds = new int[ndim];
        long count = ndim == 0 ? 0 : 1;
        for (int d = 0; d < ndim; d++) {
            dims[d] = in.int32();
            lowerBounds[d] = in.int32();
            if (dims[d] < 0 || (long) lowerBounds[d] + dims[d] - 1 > Integer.MAX_VALUE - 1) {
                throw TypeErrors.badBinary(arrayOid, "array bounds out of range");
            }
            count *= dims[d];
            if (count > MAX_ELEMENTS) {
                throw TypeErrors.badBinary(arrayOid, "array size exceeds the maximum allowed");
            }
        }
        if (count == 0) {
            in.end();
            return ArrayText.format(ArrayValue.empty());
        }
        List<byte[]> texts = new ArrayList<>((int) Math.min(count, 1024));
        for (long i = 0; i < count; i++) {
            int length = in.int32();
            if (length < -1 || length > in.remaining()) {
                throw TypeErrors.badBinary(arrayOid, "insufficient data left in message");
            }
            texts.add(length == -1 ? null : element.apply(in.bytes(length)));
        }
        in.end();
        return ArrayText.format(new ArrayValue(dims, lowerBounds, texts));
    }
}
