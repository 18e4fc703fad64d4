package io.shardproxy.server.wire;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class FrontendDecoderTest {

    /** psql 15.18, "host=... user=alice dbname=shop" -c "select 1", recorded off the socket: the SSLRequest. */
    private static final String PSQL_SSL_REQUEST = "00000008 04d2162f";
    /** ... its StartupMessage after the proxy answered 'N'. */
    private static final String PSQL_STARTUP = "0000004d 00030000"
            + "7573657200 616c69636500"                          // user alice
            + "646174616261736500 73686f7000"                    // database shop
            + "6170706c69636174696f6e5f6e616d6500 7073716c00"    // application_name psql
            + "636c69656e745f656e636f64696e6700 5554463800"      // client_encoding UTF8
            + "00";
    /** ... its Query and Terminate after ReadyForQuery. */
    private static final String PSQL_QUERY_AND_TERMINATE = "51 0000000d 73656c656374203100" + "58 00000004";

    private static final String MINIMAL_STARTUP = "00000010 00030000 7573657200 6100 00"; // user a

    @Test
    void recordedPsqlSessionDecodesWhenFedOneByteAtATime() {
        FrontendDecoder decoder = new FrontendDecoder(1 << 20);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);

        assertEquals(List.of(SslRequest.INSTANCE), feedByteByByte(channel, PSQL_SSL_REQUEST));

        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("user", "alice");
        parameters.put("database", "shop");
        parameters.put("application_name", "psql");
        parameters.put("client_encoding", "UTF8");
        List<Object> startup = feedByteByByte(channel, PSQL_STARTUP);
        assertEquals(List.of(new StartupMessage(MessageType.PROTOCOL_3_0, parameters)), startup);
        StartupMessage message = (StartupMessage) startup.get(0);
        assertEquals(List.copyOf(parameters.keySet()), List.copyOf(message.parameters().keySet()), "order kept");
        assertEquals("alice", message.user());
        assertEquals("shop", message.database());
        assertEquals(3, message.majorVersion());
        assertEquals(0, message.minorVersion());

        decoder.authenticated();
        assertEquals(List.of(new Query("select 1"), Terminate.INSTANCE),
                feedByteByByte(channel, PSQL_QUERY_AND_TERMINATE));
    }

    @Test
    void messagesArrivingTogetherDecodeInOrder() {
        EmbeddedChannel channel = authenticatedChannel(1 << 20);
        channel.writeInbound(Unpooled.wrappedBuffer(hex("53 00000004" + PSQL_QUERY_AND_TERMINATE + "48 00000004")));
        assertEquals(List.of(Sync.INSTANCE, new Query("select 1"), Terminate.INSTANCE, Flush.INSTANCE), drain(channel));
    }

    @Test
    void everyFrontendMessageTypeDecodesFromHandBuiltBytes() {
        assertDecodes("51 0000000d 73656c656374203100", new Query("select 1"));
        assertDecodes("50 00000017 733100 73656c65637420243100 0001 00000017",
                new Parse("s1", "select $1", new int[] {23}));
        assertDecodes("50 00000009 00 7800 0000", new Parse("", "x", new int[0]));
        assertDecodes("42 0000001c 00 733100 0001 0001 0002 00000002 3432 ffffffff 0001 0000",
                new Bind("", "s1", new short[] {1}, new byte[][] {"42".getBytes(), null}, new short[] {0}));
        assertDecodes("42 0000000e 7000 7300 0000 0000 0000",
                new Bind("p", "s", new short[0], new byte[0][], new short[0]));
        assertDecodes("44 00000008 53 733100", new Describe(MessageType.TARGET_STATEMENT, "s1"));
        assertDecodes("44 00000006 50 00", new Describe(MessageType.TARGET_PORTAL, ""));
        assertDecodes("45 00000009 00 00000000", new Execute("", 0));
        assertDecodes("45 0000000a 7000 00000064", new Execute("p", 100));
        assertDecodes("43 00000006 50 00", new Close(MessageType.TARGET_PORTAL, ""));
        assertDecodes("43 00000008 53 733100", new Close(MessageType.TARGET_STATEMENT, "s1"));
        assertDecodes("53 00000004", Sync.INSTANCE);
        assertDecodes("48 00000004", Flush.INSTANCE);
        assertDecodes("58 00000004", Terminate.INSTANCE);
        assertDecodes("64 00000007 616263", new CopyData("abc".getBytes()));
        assertDecodes("63 00000004", CopyDone.INSTANCE);
        assertDecodes("66 00000009 6f6f707300", new CopyFail("oops"));
        assertDecodes("46 00000008 00000001", new FunctionCall(hex("00000001")));
        assertDecodes("70 0000000b 70656e63696c00", new PasswordMessage("pencil\0".getBytes()));
        // UTF-8: "é" is c3 a9
        assertDecodes("51 00000008 c3a9 3b00", new Query("\u00e9;"));
    }

    @Test
    void startupPacketsDecode() {
        assertEquals(List.of(new CancelRequest(0x1234, 0x5678)),
                feedByteByByte(new EmbeddedChannel(new FrontendDecoder(100)), "00000010 04d2162e 00001234 00005678"));
        assertEquals(List.of(GssEncRequest.INSTANCE),
                feedByteByByte(new EmbeddedChannel(new FrontendDecoder(100)), "00000008 04d21630"));

        List<Object> startup = feedByteByByte(new EmbeddedChannel(new FrontendDecoder(100)),
                "00000019 00030002 7573657200 6100 5f70715f2e7800 3100 00");
        StartupMessage message = (StartupMessage) startup.get(0);
        assertEquals(2, message.minorVersion(), "a newer minor version is passed through for negotiation");
        assertEquals(Map.of("user", "a", "_pq_.x", "1"), message.parameters());
        assertEquals("a", message.database(), "database defaults to the user, as in PostgreSQL");
    }

    @Test
    void gssEncRequestThenSslRequestThenStartupStayInStartup() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrontendDecoder(100));
        assertEquals(List.of(GssEncRequest.INSTANCE), feedByteByByte(channel, "00000008 04d21630"));
        assertEquals(List.of(SslRequest.INSTANCE), feedByteByByte(channel, PSQL_SSL_REQUEST));
        assertEquals(StartupMessage.class, feedByteByByte(channel, MINIMAL_STARTUP).get(0).getClass());
    }

    @Test
    void cancelRequestEndsDecoding() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrontendDecoder(100));
        channel.writeInbound(Unpooled.wrappedBuffer(hex("00000010 04d2162e 00001234 00005678" + MINIMAL_STARTUP)));
        assertEquals(List.of(new CancelRequest(0x1234, 0x5678)), drain(channel));
    }

    @Test
    void lengthBelowFourIsRejectedWhenTheHeaderArrives() {
        ShardProxyException e = decodeError(authenticatedChannel(100), "51 00000003", 4);
        assertEquals(SqlState.PROTOCOL_VIOLATION, e.state());
        assertTrue(e.getMessage().contains("Query"), e.getMessage());
    }

    @Test
    void oversizeMessageIsRejectedBeforeItsBodyIsBuffered() {
        // 101 > 100: the error must fire on the last length byte, with no body sent at all
        ShardProxyException e = decodeError(authenticatedChannel(100), "51 00000065", 4);
        assertEquals(SqlState.PROGRAM_LIMIT_EXCEEDED, e.state());
        assertTrue(e.getMessage().contains("Query message of 101 bytes exceeds the limit of 100"), e.getMessage());
    }

    @Test
    void messageAtTheLimitIsAccepted() {
        EmbeddedChannel channel = authenticatedChannel(13);
        assertEquals(List.of(new Query("select 1")), feedByteByByte(channel, "51 0000000d 73656c656374203100"));
    }

    @Test
    void unknownTypeIsRejectedOnItsFirstByte() {
        ShardProxyException e = decodeError(authenticatedChannel(100), "7a 00000004", 0);
        assertEquals(SqlState.PROTOCOL_VIOLATION, e.state());
        assertEquals("invalid frontend message type 'z'", e.getMessage());
    }

    @Test
    void stringWithoutNulIsRejected() {
        ShardProxyException e = decodeError(authenticatedChannel(100), "51 00000008 61626364", 8);
        assertEquals("invalid Query message: query string is not NUL-terminated", e.getMessage());
    }

    @Test
    void invalidUtf8IsRejected() {
        ShardProxyException e = decodeError(authenticatedChannel(100), "51 00000006 ff00", 6);
        assertEquals("invalid Query message: query string is not valid UTF-8", e.getMessage());
    }

    @Test
    void bindWithMoreParametersThanBytesIsRejected() {
        // says 5 parameters, carries one
        ShardProxyException e = decodeError(authenticatedChannel(100),
                "42 00000012 00 00 0000 0005 00000002 3432 0000", 18);
        assertEquals(SqlState.PROTOCOL_VIOLATION, e.state());
        assertTrue(e.getMessage().startsWith("invalid Bind message: parameter 2 length needs 4 byte(s)"),
                e.getMessage());
    }

    @Test
    void bindValueLongerThanTheMessageIsRejected() {
        ShardProxyException e = decodeError(authenticatedChannel(100), "42 00000010 00 00 0000 0001 00000010 3432", 16);
        assertEquals("invalid Bind message: parameter 1 needs 16 byte(s) but only 2 remain", e.getMessage());
    }

    @Test
    void bindWithNegativeCountOrMismatchedFormatsIsRejected() {
        assertEquals("invalid Bind message: parameter format count is negative (-1)",
                decodeError(authenticatedChannel(100), "42 0000000a 00 00 ffff 0000", 10).getMessage());
        assertEquals("invalid Bind message: 2 parameter formats for 1 parameters",
                decodeError(authenticatedChannel(100), "42 00000014 00 00 0002 0000 0000 0001 ffffffff 0000", 20)
                        .getMessage());
    }

    @Test
    void trailingBytesAreRejected() {
        assertEquals("invalid Sync message: 1 unexpected trailing byte(s)",
                decodeError(authenticatedChannel(100), "53 00000005 00", 5).getMessage());
        assertEquals("invalid Query message: 3 unexpected trailing byte(s)",
                decodeError(authenticatedChannel(100), "51 00000009 6100 626364", 9).getMessage());
    }

    @Test
    void describeWithUnknownTargetIsRejected() {
        assertEquals("invalid Describe message: target must be 'S' or 'P', got 0x58",
                decodeError(authenticatedChannel(100), "44 00000006 58 00", 6).getMessage());
    }

    @Test
    void startupPacketLongerThanPostgresAllowsIsRejectedOnItsLengthWord() {
        // 10005 - 4 = 10001 > MAX_STARTUP_PACKET_LENGTH
        ShardProxyException e = decodeError(new EmbeddedChannel(new FrontendDecoder(100)), "00002715", 3);
        assertEquals(SqlState.PROTOCOL_VIOLATION, e.state());
        assertTrue(e.getMessage().startsWith("invalid length of startup packet: 10005"), e.getMessage());
        // 10004 is the largest allowed: no error while its payload is still to come
        assertEquals(List.of(), feedByteByByte(new EmbeddedChannel(new FrontendDecoder(100)), "00002714 00030000"));
    }

    @Test
    void startupPacketShorterThanEightIsRejected() {
        decodeError(new EmbeddedChannel(new FrontendDecoder(100)), "00000007", 3);
    }

    @Test
    void unknownStartupCodeIsRejected() {
        ShardProxyException e = decodeError(new EmbeddedChannel(new FrontendDecoder(100)), "00000008 00020000", 7);
        assertEquals("unsupported frontend protocol 2.0: the proxy speaks protocol 3", e.getMessage());
    }

    @Test
    void startupWithoutTerminatorIsRejected() {
        ShardProxyException e = decodeError(new EmbeddedChannel(new FrontendDecoder(100)),
                "0000000f 00030000 7573657200 6100", 14);
        assertEquals("invalid StartupMessage: missing terminator after the last parameter", e.getMessage());
        e = decodeError(new EmbeddedChannel(new FrontendDecoder(100)), "0000000e 00030000 7573657200 61", 13);
        assertEquals("invalid StartupMessage: value of parameter user is not NUL-terminated", e.getMessage());
        e = decodeError(new EmbeddedChannel(new FrontendDecoder(100)), "0000000c 00030000 75736572", 11);
        assertEquals("invalid StartupMessage: parameter name is not NUL-terminated", e.getMessage());
    }

    @Test
    void sslRequestWithPayloadOrFollowedByPlaintextIsRejected() {
        decodeError(new EmbeddedChannel(new FrontendDecoder(100)), "00000009 04d2162f 00", 8);
        EmbeddedChannel channel = new EmbeddedChannel(new FrontendDecoder(100));
        DecoderException e = assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.wrappedBuffer(hex(PSQL_SSL_REQUEST + MINIMAL_STARTUP))));
        assertEquals("received unencrypted data after SSL request", e.getCause().getMessage());
        assertEquals(List.of(), drain(channel), "the SslRequest itself is not delivered");
    }

    @Test
    void cancelRequestOfWrongLengthIsRejected() {
        ShardProxyException e = decodeError(new EmbeddedChannel(new FrontendDecoder(100)),
                "0000000c 04d2162e 00001234", 11);
        assertTrue(e.getMessage().startsWith("invalid CancelRequest: secret key needs 4 byte(s)"), e.getMessage());
    }

    @Test
    void beforeAuthenticationOnlyPasswordAndTerminateAreAccepted() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrontendDecoder(1 << 20));
        feedByteByByte(channel, MINIMAL_STARTUP);
        assertEquals(List.of(new PasswordMessage("pencil\0".getBytes())),
                feedByteByByte(channel, "70 0000000b 70656e63696c00"));
        ShardProxyException e = decodeError(channel, "51 0000000d 73656c656374203100", 0);
        assertEquals("expected password response, got Query message", e.getMessage());
    }

    @Test
    void beforeAuthenticationLargeMessagesAreRejected() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrontendDecoder(1 << 20));
        feedByteByByte(channel, MINIMAL_STARTUP);
        ShardProxyException e = decodeError(channel, "70 00010004", 4); // 65540 > 65539
        assertEquals(SqlState.PROGRAM_LIMIT_EXCEEDED, e.state());
        assertTrue(e.getMessage().endsWith("before authentication"), e.getMessage());
    }

    @Test
    void afterAnErrorAllFurtherInputIsDiscarded() {
        EmbeddedChannel channel = authenticatedChannel(100);
        decodeError(channel, "7a", 0);
        channel.writeInbound(Unpooled.wrappedBuffer(hex("53 00000004 51 0000000d 73656c656374203100")));
        channel.writeInbound(Unpooled.wrappedBuffer(hex("ff ff ff ff")));
        assertEquals(List.of(), drain(channel));
    }

    @Test
    void maxMessageBytesBelowFourIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FrontendDecoder(3));
    }

    @Test
    void passwordMessageReadsAsCleartextPasswordAndHidesItself() {
        PasswordMessage message = new PasswordMessage("pencil\0".getBytes());
        assertEquals("pencil", message.cleartextPassword());
        assertEquals("PasswordMessage[7 bytes]", message.toString());
        ShardProxyException e = assertThrows(ShardProxyException.class,
                () -> new PasswordMessage("pen\0cil\0".getBytes()).cleartextPassword());
        assertEquals(SqlState.PROTOCOL_VIOLATION, e.state());
        assertThrows(ShardProxyException.class, () -> new PasswordMessage("pencil".getBytes()).cleartextPassword());
    }

    @Test
    void bindAppliesTheNoneOneOrEachFormatRule() {
        byte[][] values = new byte[2][];
        assertEquals(0, new Bind("", "", new short[0], values, new short[0]).parameterFormat(1));
        assertEquals(1, new Bind("", "", new short[] {1}, values, new short[0]).parameterFormat(1));
        assertEquals(0, new Bind("", "", new short[] {1, 0}, values, new short[0]).parameterFormat(1));
        assertEquals("Bind[portal=, statement=s, parameterFormats=[], parameters=[2 bytes, NULL], resultFormats=[]]",
                new Bind("", "s", new short[0], new byte[][] {{1, 2}, null}, new short[0]).toString(),
                "sizes, never values");
    }

    // ---- helpers

    private static void assertDecodes(String hexBytes, FrontendMessage expected) {
        List<Object> decoded = feedByteByByte(authenticatedChannel(1 << 20), hexBytes);
        assertEquals(List.of(expected), decoded, hexBytes);
        if (expected instanceof Bind bind) {
            Bind actual = (Bind) decoded.get(0);
            assertArrayEquals(bind.parameters(), actual.parameters());
        }
    }

    private static EmbeddedChannel authenticatedChannel(int maxMessageBytes) {
        FrontendDecoder decoder = new FrontendDecoder(maxMessageBytes);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        assertEquals(1, feedByteByByte(channel, MINIMAL_STARTUP).size());
        decoder.authenticated();
        return channel;
    }

    /** Feeds the bytes one at a time and returns everything decoded, failing on any error. */
    private static List<Object> feedByteByByte(EmbeddedChannel channel, String hexBytes) {
        List<Object> out = new ArrayList<>();
        for (byte b : hex(hexBytes)) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            out.addAll(drain(channel));
        }
        return out;
    }

    /** Feeds the bytes one at a time and asserts the decoder fails exactly at byte {@code failingIndex}. */
    private static ShardProxyException decodeError(EmbeddedChannel channel, String hexBytes, int failingIndex) {
        byte[] bytes = hex(hexBytes);
        for (int i = 0; i < bytes.length; i++) {
            try {
                channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {bytes[i]}));
            } catch (DecoderException e) {
                assertEquals(failingIndex, i, "failed at byte " + i + ": " + e.getCause().getMessage());
                assertTrue(e.getCause() instanceof ShardProxyException, String.valueOf(e.getCause()));
                assertEquals(List.of(), drain(channel), "nothing decoded from a bad message");
                return (ShardProxyException) e.getCause();
            }
            assertNull(channel.readInbound(), "decoded something at byte " + i);
        }
        return fail("no error after " + bytes.length + " bytes");
    }

    private static List<Object> drain(EmbeddedChannel channel) {
        List<Object> out = new ArrayList<>();
        Object message;
        while ((message = channel.readInbound()) != null) {
            out.add(message);
        }
        return out;
    }

    static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }
}
