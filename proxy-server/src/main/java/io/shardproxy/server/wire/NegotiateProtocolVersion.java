package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

import java.util.List;

/**
 * NegotiateProtocolVersion ('v'): sent right after the StartupMessage when the client asked for a
 * newer minor version than the proxy speaks, or for _pq_.* options it does not know.
 *
 * <pre>
 * Byte1('v')
 * Int32      length, including itself
 * Int32      newest protocol version supported, as major &lt;&lt; 16 | minor
 * Int32      n, the number of options not recognized
 * String[n]  the option names
 * </pre>
 *
 * Trap: older protocol docs call the first field the "newest minor protocol version", but
 * PostgreSQL has always sent the full version (PG_PROTOCOL_LATEST, 0x00030000 for 3.0), and libpq
 * and pgjdbc read the major version from its high 16 bits. Sending a bare minor number reads as
 * protocol 0.x and fails the connection; build this with {@link #v3(int, List)}.
 *
 * @param newestVersion full protocol version, major &lt;&lt; 16 | minor
 */
public record NegotiateProtocolVersion(int newestVersion, List<String> unrecognizedOptions) implements BackendMessage {

    public NegotiateProtocolVersion {
        unrecognizedOptions = List.copyOf(unrecognizedOptions);
    }

    /** Offer protocol 3.{@code newestMinor} and list the unrecognized options. */
    public static NegotiateProtocolVersion v3(int newestMinor, List<String> unrecognizedOptions) {
        return new NegotiateProtocolVersion(MessageType.PROTOCOL_3_0 | newestMinor, unrecognizedOptions);
    }

    @Override
    public void encode(ByteBuf out) {
        int lengthAt = Frame.begin(out, MessageType.Backend.NEGOTIATE_PROTOCOL_VERSION);
        out.writeInt(newestVersion);
        out.writeInt(unrecognizedOptions.size());
        for (String option : unrecognizedOptions) {
            Frame.cstring(out, option);
        }
        Frame.end(out, lengthAt);
    }
}
