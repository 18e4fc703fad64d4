package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes {@link BackendMessage}s. Stateless, so one instance serves every connection. A
 * {@code ByteBuf} written to the channel passes through untouched: the row hot path can encode many
 * {@link DataRow}s into one buffer with {@link DataRow#encode(ByteBuf, byte[][])}
 * and write that.
 */
@Sharable
public final class BackendEncoder extends MessageToByteEncoder<BackendMessage> {

    public BackendEncoder() {
        super(BackendMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, BackendMessage msg, ByteBuf out) {
        msg.encode(out);
    }
}
