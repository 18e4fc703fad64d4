package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.Column;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackendEncoderTest {

    @Test
    void authenticationMessages() {
        assertEncodes("52 00000008 00000000", AuthenticationOk.INSTANCE);
        assertEncodes("52 00000008 00000003", AuthenticationCleartextPassword.INSTANCE);
        assertEncodes("52 0000000c 00000005 01020304", new AuthenticationMd5Password(new byte[] {1, 2, 3, 4}));
        assertEncodes("52 00000017 0000000a 534352414d2d5348412d32353600 00",
                new AuthenticationSasl(List.of("SCRAM-SHA-256")));
        assertEncodes("52 0000000b 0000000b 723d61", new AuthenticationSaslContinue("r=a".getBytes()));
        assertEncodes("52 0000000b 0000000c 763d78", new AuthenticationSaslFinal("v=x".getBytes()));
    }

    @Test
    void sessionStartMessages() {
        assertEncodes("53 00000019 636c69656e745f656e636f64696e6700 5554463800",
                new ParameterStatus("client_encoding", "UTF8"));
        assertEncodes("4b 0000000c 000004d2 0000162e", new BackendKeyData(1234, 5678));
        assertEncodes("5a 00000005 49", ReadyForQuery.IDLE);
        assertEncodes("5a 00000005 54", ReadyForQuery.IN_TRANSACTION);
        assertEncodes("5a 00000005 45", ReadyForQuery.FAILED_TRANSACTION);
        assertEncodes("76 00000015 00030000 00000001 5f70715f2e666f6f00",
                NegotiateProtocolVersion.v3(0, List.of("_pq_.foo")));
        assertEncodes("76 0000000c 00030002 00000000", NegotiateProtocolVersion.v3(2, List.of()));
    }

    @Test
    void resultMessages() {
        assertEncodes("54 0000001b 0001 696400 00004000 0001 00000017 0004 ffffffff 0000",
                new RowDescription(List.of(new Column("id", 16384, (short) 1, 23, (short) 4, -1, (short) 0))));
        assertEncodes("54 00000006 0000", new RowDescription(List.of()));
        assertEncodes("44 00000013 0003 00000001 31 ffffffff 00000000",
                new DataRow(new byte[][] {"1".getBytes(), null, new byte[0]}));
        assertEncodes("43 0000000d 53454c454354203100", new CommandComplete("SELECT 1"));
        assertEncodes("49 00000004", EmptyQueryResponse.INSTANCE);
    }

    @Test
    void extendedProtocolMessages() {
        assertEncodes("31 00000004", ParseComplete.INSTANCE);
        assertEncodes("32 00000004", BindComplete.INSTANCE);
        assertEncodes("33 00000004", CloseComplete.INSTANCE);
        assertEncodes("6e 00000004", NoData.INSTANCE);
        assertEncodes("73 00000004", PortalSuspended.INSTANCE);
        assertEncodes("74 0000000e 0002 00000017 00000019", new ParameterDescription(new int[] {23, 25}));
        assertEncodes("74 00000006 0000", new ParameterDescription(new int[0]));
    }

    @Test
    void copyMessages() {
        assertEncodes("47 0000000b 00 0002 0000 0000", new CopyInResponse((byte) 0, new short[] {0, 0}));
        assertEncodes("48 00000009 01 0001 0001", new CopyOutResponse((byte) 1, new short[] {1}));
        assertEncodes("64 00000007 616263", new CopyData("abc".getBytes()));
        assertEncodes("63 00000004", CopyDone.INSTANCE);
    }

    @Test
    void errorResponseFromExceptionSendsSeverityCodeMessageDetailHintInOrder() {
        ShardProxyException e = new ShardProxyException(SqlState.PROTOCOL_VIOLATION, "bad", "d", "h");
        assertEncodes("45 00000025 53 4552524f5200 56 4552524f5200 43 303850303100 4d 62616400 44 6400 48 6800 00",
                ErrorResponse.of(e));
        assertEquals("08P01", ErrorResponse.of(e).code());
        assertEquals("bad", ErrorResponse.of(e).message());
    }

    @Test
    void errorResponseLeavesOutAbsentDetailAndHint() {
        ErrorResponse error = ErrorResponse.of(ErrorResponse.FATAL,
                new ShardProxyException(SqlState.INVALID_PASSWORD, "no"));
        assertEncodes("45 0000001e 53 464154414c00 56 464154414c00 43 323850303100 4d 6e6f00 00", error);
        assertEquals(error, ErrorResponse.of("FATAL", "28P01", "no"));
    }

    @Test
    void errorResponseKeepsTheFieldOrderItWasGiven() {
        Map<Byte, String> fields = new LinkedHashMap<>();
        fields.put(ErrorField.SEVERITY, "ERROR");
        fields.put(ErrorField.CODE, "42P01");
        fields.put(ErrorField.MESSAGE, "m");
        fields.put(ErrorField.POSITION, "15");
        fields.put(ErrorField.ROUTINE, "r");
        assertEncodes("45 0000001d 53 4552524f5200 43 343250303100 4d 6d00 50 313500 52 7200 00",
                new ErrorResponse(fields));
    }

    @Test
    void errorResponseNeedsSeverityCodeAndMessage() {
        assertThrows(IllegalArgumentException.class,
                () -> new ErrorResponse(Map.of(ErrorField.SEVERITY, "ERROR", ErrorField.CODE, "XX000")));
    }

    @Test
    void noticeResponse() {
        assertEncodes("4e 00000021 53 5741524e494e4700 56 5741524e494e4700 43 303130303000 4d 7700 00",
                NoticeResponse.of(NoticeResponse.WARNING, "01000", "w"));
    }

    @Test
    void stringsAreUtf8() {
        assertEncodes("43 00000008 c3a93100", new CommandComplete("\u00e91"));
    }

    @Test
    void stringWithNulIsRefusedRatherThanCorruptingTheStream() {
        assertThrows(IllegalArgumentException.class, () -> new CommandComplete("a\0b").encode(Unpooled.buffer()));
    }

    @Test
    void dataRowsEncodedOnTheHotPathShareOneBufferThatPassesThroughTheEncoder() {
        ByteBuf batch = Unpooled.buffer();
        DataRow.encode(batch, new byte[][] {"a".getBytes()});
        DataRow.encode(batch, new byte[][] {null});
        EmbeddedChannel channel = new EmbeddedChannel(new BackendEncoder());
        channel.writeOutbound(batch);
        ByteBuf out = channel.readOutbound();
        assertSame(batch, out);
        assertEquals(hexOf("44 0000000b 0001 00000001 61" + "44 0000000a 0001 ffffffff"), ByteBufUtil.hexDump(out));
        out.release();
    }

    @Test
    void recordsWithValuesHideThemInToString() {
        assertEquals("DataRow[1 bytes, NULL]", new DataRow(new byte[][] {{7}, null}).toString());
        assertEquals("BackendKeyData[processId=1]", new BackendKeyData(1, 99).toString());
    }

    private static void assertEncodes(String expectedHex, BackendMessage message) {
        EmbeddedChannel channel = new EmbeddedChannel(new BackendEncoder());
        channel.writeOutbound(message);
        ByteBuf out = channel.readOutbound();
        try {
            assertEquals(hexOf(expectedHex), ByteBufUtil.hexDump(out), message.toString());
        } finally {
            out.release();
        }
        assertNull(channel.readOutbound());
    }

    private static String hexOf(String spaced) {
        return spaced.replace(" ", "");
    }
}
