package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

/**
 * ReadyForQuery ('Z'): the end of a query cycle (simple Query, or Sync); the client may send the
 * next one.
 *
 * <pre>
 * Byte1('Z')
 * Int32(5)   length
 * Byte1      transaction status: 'I' idle, 'T' in a transaction, 'E' in a failed transaction
 * </pre>
 */
public record ReadyForQuery(byte status) implements BackendMessage {
    public static final ReadyForQuery IDLE = new ReadyForQuery((byte) 'I');
    public static final ReadyForQuery IN_TRANSACTION = new ReadyForQuery((byte) 'T');
    public static final ReadyForQuery FAILED_TRANSACTION = new ReadyForQuery((byte) 'E');

    public ReadyForQuery {
        if (status != 'I' && status != 'T' && status != 'E') {
            throw new IllegalArgumentException("transaction status must be 'I', 'T' or 'E'");
        }
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte(MessageType.Backend.READY_FOR_QUERY);
        out.writeInt(5);
        out.writeByte(status);
    }

    @Override
    public String toString() {
        return "ReadyForQuery[" + (char) status + "]";
    }
}
