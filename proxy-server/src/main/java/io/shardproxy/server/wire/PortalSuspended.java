package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

/**
 * PortalSuspended ('s'): Execute reached its row limit; executing the portal again continues it.
 *
 * <pre>
 * Byte1('s')
 * Int32(4)   length, no body
 * </pre>
 */
public record PortalSuspended() implements BackendMessage {
    public static final PortalSuspended INSTANCE = new PortalSuspended();

    @Override
    public void encode(ByteBuf out) {
        Frame.empty(out, MessageType.Backend.PORTAL_SUSPENDED);
    }
}
