package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;

import java.util.List;

/**
 * Turns the client's bytes into {@link FrontendMessage}s. One instance per connection; it is an
 * explicit state machine:
 *
 * <pre>
 *   STARTUP --StartupMessage--> AUTHENTICATING --authenticated()--> MESSAGES
 *     |  ^                            |                                 |
 *     |  SSLRequest, GSSENCRequest    |          any error              |
 *     |  (stay: StartupMessage next)  v                                 v
 *     +--CancelRequest, error----> FAILED (discard all input) <---------+
 * </pre>
 *
 * AUTHENTICATING decodes only PasswordMessage and Terminate, each at most
 * {@link #MAX_AUTHENTICATION_MESSAGE_LENGTH} bytes, so a client that has not proved who it is
 * cannot make the proxy buffer a large message; the session calls {@link #authenticated()} when it
 * sends AuthenticationOk (for trust too).
 *
 * <p>Errors are thrown as {@link ShardProxyException} (08P01, or 54000 for a message over the
 * limit). Netty wraps them in a {@code DecoderException}: the session's exceptionCaught must look at
 * the cause. After an error the connection cannot be resynchronised, so the decoder discards
 * everything that follows and the session sends its ErrorResponse and closes.
 *
 * <p>Trap: bytes that arrive in the same read as an SSLRequest were sent in plaintext before the
 * TLS handshake and could have been injected by a man in the middle (CVE-2021-23214); they are a
 * protocol violation, as in PostgreSQL. The session must put the SslHandler in front of this
 * decoder while handling the SslRequest, before the next read.
 */
public final class FrontendDecoder extends ByteToMessageDecoder {

    /** PostgreSQL's MAX_STARTUP_PACKET_LENGTH: the most a startup packet may hold after its length word. */
    public static final int MAX_STARTUP_PACKET_LENGTH = 10000;
    /** Length limit (length word included) before authentication: PostgreSQL's 65535-byte auth token + 4. */
    public static final int MAX_AUTHENTICATION_MESSAGE_LENGTH = 65535 + 4;

    private enum State {
        /** Untyped startup packets: SSLRequest, GSSENCRequest, CancelRequest, StartupMessage. */
        STARTUP,
        /** Typed messages, only PasswordMessage and Terminate, small ones only. */
        AUTHENTICATING,
        /** Typed messages of any frontend type up to maxMessageBytes. */
        MESSAGES,
        /** After an error or a CancelRequest: the connection is done, input is discarded. */
        FAILED
    }

    private final int maxMessageBytes;
    private State state = State.STARTUP;

    /**
     * @param maxMessageBytes the largest typed message accepted once authenticated, measured as its
     *                        length field (which counts itself but not the type byte)
     */
    public FrontendDecoder(int maxMessageBytes) {
        if (maxMessageBytes < 4) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 4, got " + maxMessageBytes);
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The client is authenticated: accept every message type up to maxMessageBytes from now on. */
    public void authenticated() {
        if (state == State.AUTHENTICATING) {
            state = State.MESSAGES;
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            switch (state) {
                case STARTUP -> decodeStartup(in, out);
                case AUTHENTICATING, MESSAGES -> decodeMessage(in, out);
                case FAILED -> in.skipBytes(in.readableBytes());
                default -> throw new IllegalStateException(state.name());
            }
        } catch (RuntimeException e) {
            // whatever went wrong, the stream position is lost
            state = State.FAILED;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    /*
     * Startup packet, untyped:
     *   Int32      length, including itself; 8 .. 4 + MAX_STARTUP_PACKET_LENGTH
     *   Int32      code: 80877103 SSLRequest, 80877104 GSSENCRequest, 80877102 CancelRequest,
     *              or a protocol version (major << 16 | minor) for a StartupMessage
     *   Byte[length - 8] payload, laid out in the message's own file
     */
    private void decodeStartup(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        if (length < 8 || length - 4 > MAX_STARTUP_PACKET_LENGTH) {
            throw violation("invalid length of startup packet: " + length + " (must be 8 to "
                    + (MAX_STARTUP_PACKET_LENGTH + 4) + ")");
        }
        if (in.readableBytes() < length) {
            return;
        }
        in.skipBytes(4);
        int code = in.readInt();
        ByteBuf payload = in.readSlice(length - 8);
        switch (code) {
            case MessageType.SSL_REQUEST_CODE -> {
                requireEmpty(payload, "SSLRequest");
                requireNothingBuffered(in, "SSL");
                out.add(SslRequest.INSTANCE);
            }
            case MessageType.GSSENC_REQUEST_CODE -> {
                requireEmpty(payload, "GSSENCRequest");
                requireNothingBuffered(in, "GSSAPI encryption");
                out.add(GssEncRequest.INSTANCE);
            }
            case MessageType.CANCEL_REQUEST_CODE -> {
                CancelRequest cancel = CancelRequest.read(new BodyReader(payload, "CancelRequest"));
                state = State.FAILED;
                out.add(cancel);
            }
            default -> {
                if (code >>> 16 != 3) {
                    throw violation("unsupported frontend protocol " + (code >>> 16) + "." + (code & 0xFFFF)
                            + ": the proxy speaks protocol 3");
                }
                StartupMessage startup = StartupMessage.read(new BodyReader(payload, "StartupMessage"), code);
                state = State.AUTHENTICATING;
                out.add(startup);
            }
        }
    }

    /*
     * Typed message:
     *   Byte1      type
     *   Int32      length, including itself but not the type byte; at least 4
     *   Byte[length - 4] body, laid out in the message's own file
     * The type and the length are checked as soon as they arrive, before any body is buffered.
     */
    private void decodeMessage(ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        int start = in.readerIndex();
        byte type = in.getByte(start);
        String name = MessageType.Frontend.name(type);
        if (name == null) {
            throw violation("invalid frontend message type " + describe(type));
        }
        if (state == State.AUTHENTICATING && type != MessageType.Frontend.PASSWORD
                && type != MessageType.Frontend.TERMINATE) {
            throw violation("expected password response, got " + name + " message");
        }
        if (in.readableBytes() < 5) {
            return;
        }
        int length = in.getInt(start + 1);
        if (length < 4) {
            throw violation("invalid length " + length + " of " + name + " message (must be at least 4)");
        }
        int limit = state == State.AUTHENTICATING
                ? Math.min(maxMessageBytes, MAX_AUTHENTICATION_MESSAGE_LENGTH)
                : maxMessageBytes;
        if (length > limit) {
            throw new ShardProxyException(SqlState.PROGRAM_LIMIT_EXCEEDED,
                    name + " message of " + length + " bytes exceeds the limit of " + limit + " bytes"
                            + (state == State.AUTHENTICATING ? " before authentication" : ""));
        }
        if (in.readableBytes() < 1 + length) {
            return;
        }
        in.skipBytes(5);
        BodyReader body = new BodyReader(in.readSlice(length - 4), name);
        out.add(read(type, body));
    }

    private static FrontendMessage read(byte type, BodyReader body) {
        switch (type) {
            case MessageType.Frontend.QUERY: return Query.read(body);
            case MessageType.Frontend.PARSE: return Parse.read(body);
            case MessageType.Frontend.BIND: return Bind.read(body);
            case MessageType.Frontend.DESCRIBE: return Describe.read(body);
            case MessageType.Frontend.EXECUTE: return Execute.read(body);
            case MessageType.Frontend.CLOSE: return Close.read(body);
            case MessageType.Frontend.SYNC: body.end(); return Sync.INSTANCE;
            case MessageType.Frontend.FLUSH: body.end(); return Flush.INSTANCE;
            case MessageType.Frontend.TERMINATE: body.end(); return Terminate.INSTANCE;
            case MessageType.Frontend.PASSWORD: return PasswordMessage.read(body);
            case MessageType.Frontend.COPY_DATA: return CopyData.read(body);
            case MessageType.Frontend.COPY_DONE: body.end(); return CopyDone.INSTANCE;
            case MessageType.Frontend.COPY_FAIL: return CopyFail.read(body);
            case MessageType.Frontend.FUNCTION_CALL: return FunctionCall.read(body);
            default: throw new IllegalStateException("unhandled frontend type " + describe(type));
        }
    }

    private static void requireEmpty(ByteBuf payload, String message) {
        if (payload.isReadable()) {
            throw violation("invalid " + message + ": " + payload.readableBytes() + " unexpected byte(s)");
        }
    }

    private static void requireNothingBuffered(ByteBuf in, String what) {
        if (in.isReadable()) {
            throw violation("received unencrypted data after " + what + " request");
        }
    }

    private static String describe(byte type) {
        int b = type & 0xFF;
        return b >= 0x20 && b < 0x7F ? "'" + (char) b + "'" : "0x" + Integer.toHexString(b);
    }

    private static ShardProxyException violation(String message) {
        return new ShardProxyException(SqlState.PROTOCOL_VIOLATION, message);
    }
}
