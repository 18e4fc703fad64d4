package io.shardproxy.server.types;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.merge.value.PgType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.shardproxy.server.types.PostgresCorpusTest.hex;
import static io.shardproxy.server.types.PostgresCorpusTest.text;
import static io.shardproxy.server.types.PostgresCorpusTest.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Binary formats of user-defined types through a {@link TypeResolver}, here a fake catalog:
 * enums as text, domains as their base types, arrays of them with the enum's or the domain's OID
 * in the header (what array_send writes; checked against PostgreSQL in CatalogOidsTest).
 */
class BinaryFormatUserTypesTest {
    private static final int MOOD = 20000;
    private static final int MOOD_ARRAY = 20001;
    private static final int POSINT = 20002;
    private static final int POSINT_ARRAY = 20003;
    private static final int MOOD_DOMAIN = 20004;
    private static final int MOOD_DOMAIN_ARRAY = 20005;
    private static final int INTS_DOMAIN = 20006;
    private static final int MOODS_DOMAIN = 20007;
    private static final int POSINT_DOMAIN = 20008;
    private static final int COMPOSITE = 20010;
    private static final int COMPOSITE_ARRAY = 20011;
    private static final int RANGE = 20012;
    private static final int INTS_DOMAIN_ARRAY = 20013;
    private static final int CYCLE = 20014;
    private static final int MONEY_ARRAY = 791;

    /** A catalog as a map, counting the questions it is asked. */
    private static final class FakeCatalog implements TypeResolver {
        final Map<Integer, UserType> types = new HashMap<>();
        final List<Integer> asked = new ArrayList<>();

        @Override
        public UserType typeOf(int typeOid) {
            asked.add(typeOid);
            return types.getOrDefault(typeOid, UserType.OTHER);
        }
    }

    private static FakeCatalog catalog() {
        FakeCatalog c = new FakeCatalog();
        c.types.put(MOOD, UserType.ENUM);
        c.types.put(MOOD_ARRAY, UserType.arrayOf(MOOD));
        c.types.put(POSINT, UserType.domainOver(23));
        c.types.put(POSINT_ARRAY, UserType.arrayOf(POSINT));
        c.types.put(MOOD_DOMAIN, UserType.domainOver(MOOD));
        c.types.put(MOOD_DOMAIN_ARRAY, UserType.arrayOf(MOOD_DOMAIN));
        c.types.put(INTS_DOMAIN, UserType.domainOver(1007));
        c.types.put(MOODS_DOMAIN, UserType.domainOver(MOOD_ARRAY));
        c.types.put(POSINT_DOMAIN, UserType.domainOver(POSINT));
        c.types.put(COMPOSITE_ARRAY, UserType.arrayOf(COMPOSITE));
        c.types.put(INTS_DOMAIN_ARRAY, UserType.arrayOf(INTS_DOMAIN));
        c.types.put(CYCLE, UserType.domainOver(CYCLE));
        c.types.put(MONEY_ARRAY, UserType.arrayOf(790));
        return c;
    }

    @Test
    void anEnumIsSentAsItsLabelLikeText() {
        assertEquals("happy", text(BinaryFormat.encode(MOOD, utf8("happy"), catalog())));
        assertEquals("très content", text(BinaryFormat.encode(MOOD, utf8("très content"), catalog())));
        assertEquals("happy", text(BinaryFormat.decode(MOOD, utf8("happy"), catalog())));
    }

    @Test
    void anEnumArrayNamesTheEnumInItsHeader() {
        // ndim 1, flags 1 (a NULL), element type 20000 (0x4e20), [3 elements from 1], "ok", NULL, "a b"
        assertEquals("00000001" + "00000001" + "00004e20" + "00000003" + "00000001"
                        + "00000002" + "6f6b" + "ffffffff" + "00000003" + "612062",
                hex(BinaryFormat.encode(MOOD_ARRAY, utf8("{ok,NULL,\"a b\"}"), catalog())));
        assertEquals("{ok,NULL,\"a b\"}", text(BinaryFormat.decode(MOOD_ARRAY,
                BinaryFormat.encode(MOOD_ARRAY, utf8("{ok,NULL,\"a b\"}"), catalog()), catalog())));
    }

    @Test
    void aDomainIsSentAsItsBaseTypeThroughEveryLevel() {
        assertEquals("0000002a", hex(BinaryFormat.encode(POSINT, utf8("42"), catalog())));
        assertEquals("0000002a", hex(BinaryFormat.encode(POSINT_DOMAIN, utf8("42"), catalog())));
        assertEquals("sad", text(BinaryFormat.encode(MOOD_DOMAIN, utf8("sad"), catalog())));
        assertEquals("42", text(BinaryFormat.decode(POSINT_DOMAIN, new byte[] {0, 0, 0, 42}, catalog())));
    }

    @Test
    void anArrayOfADomainNamesTheDomainAndSendsElementsAsTheBaseType() {
        assertEquals("00000001" + "00000000" + "00004e22" + "00000002" + "00000001"
                        + "00000004" + "00000001" + "00000004" + "00000002",
                hex(BinaryFormat.encode(POSINT_ARRAY, utf8("{1,2}"), catalog())));
        assertEquals("00000001" + "00000000" + "00004e24" + "00000001" + "00000001" + "00000003" + "736164",
                hex(BinaryFormat.encode(MOOD_DOMAIN_ARRAY, utf8("{sad}"), catalog())));
    }

    @Test
    void aDomainOverAnArrayIsSentAsThatArray() {
        // Over int4[]: the header names int4 (23), as the value is an int4[] inside.
        assertEquals("00000001" + "00000000" + "00000017" + "00000001" + "00000001" + "00000004" + "00000007",
                hex(BinaryFormat.encode(INTS_DOMAIN, utf8("{7}"), catalog())));
        // Over mood[]: the header names the enum.
        assertEquals("00000001" + "00000000" + "00004e20" + "00000001" + "00000001" + "00000002" + "6f6b",
                hex(BinaryFormat.encode(MOODS_DOMAIN, utf8("{ok}"), catalog())));
    }

    @Test
    void resolveFollowsTheChainOnceForAllValues() {
        FakeCatalog c = catalog();
        BinaryType t = BinaryFormat.resolve(MOODS_DOMAIN, c);
        assertEquals(new BinaryType(MOODS_DOMAIN, PgType.TEXT, MOOD_ARRAY, MOOD), t);
        int asked = c.asked.size();
        for (int i = 0; i < 100; i++) {
            t.encode(utf8("{a,b}"));
        }
        assertEquals(asked, c.asked.size());
        assertTrue(t.isArray());
        assertEquals(new BinaryType(POSINT, 23, 0, 0), BinaryFormat.resolve(POSINT, c));
        assertFalse(BinaryFormat.resolve(POSINT, c).isArray());
    }

    @Test
    void builtInTypesNeverAskTheResolver() {
        TypeResolver refusing = oid -> {
            throw new AssertionError("asked about " + oid);
        };
        assertTrue(BinaryFormat.supports(23, refusing));
        assertTrue(BinaryFormat.supports(1007, refusing));
        assertEquals("0000002a", hex(BinaryFormat.encode(23, utf8("42"), refusing)));
        assertEquals("{1}", text(BinaryFormat.decode(1007, BinaryFormat.encode(1007, utf8("{1}")), refusing)));
        assertFalse(BinaryFormat.supports(0, refusing));
    }

    @Test
    void compositesRangesAndArraysOfThemStayUnsupported() {
        FakeCatalog c = catalog();
        for (int oid : new int[] {COMPOSITE, COMPOSITE_ARRAY, RANGE, INTS_DOMAIN_ARRAY, CYCLE, MONEY_ARRAY, 790, 99999}) {
            assertFalse(BinaryFormat.supports(oid, c), "OID " + oid);
            assertNull(BinaryFormat.resolve(oid, c), "OID " + oid);
        }
        ShardProxyException e = assertThrows(ShardProxyException.class, () -> BinaryFormat.encode(COMPOSITE, utf8("(1,2)"), c));
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
        assertEquals("binary format for type OID 20010 is not supported by ShardProxy; "
                + "request text format for this column", e.getMessage());
        e = assertThrows(ShardProxyException.class, () -> BinaryFormat.decode(RANGE, new byte[1], c));
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.state());
        e = assertThrows(ShardProxyException.class, () -> BinaryFormat.encode(MONEY_ARRAY, utf8("{$1.00}"), c));
        assertEquals("binary format for type OID 791 is not supported by ShardProxy; "
                + "request text format for this column", e.getMessage());
    }

    @Test
    void withoutAResolverUserTypesAreUnsupportedAsBefore() {
        assertFalse(BinaryFormat.supports(MOOD));
        assertFalse(BinaryFormat.supports(MOOD, TypeResolver.BUILT_IN));
        assertThrows(ShardProxyException.class, () -> BinaryFormat.encode(MOOD, utf8("ok")));
    }

    @Test
    void decodingChecksWhatTheReceiversCheckOfTheBytes() {
        FakeCatalog c = catalog();
        ShardProxyException e = assertThrows(ShardProxyException.class,
                () -> BinaryFormat.decode(MOOD, new byte[] {(byte) 0xff}, c));
        assertEquals(SqlState.PROTOCOL_VIOLATION, e.state());
        // An enum array whose header names another element type (array_recv refuses it too).
        byte[] ints = BinaryFormat.encode(1007, utf8("{1}"));
        e = assertThrows(ShardProxyException.class, () -> BinaryFormat.decode(MOOD_ARRAY, ints, c));
        assertEquals(SqlState.PROTOCOL_VIOLATION, e.state());
        assertTrue(e.getMessage().contains("OID 20001"), e.getMessage());
    }

    @Test
    void badTextOfAUserArrayNamesItsOid() {
        ShardProxyException e = assertThrows(ShardProxyException.class,
                () -> BinaryFormat.encode(POSINT_ARRAY, utf8("{1,x}"), catalog()));
        assertEquals(SqlState.INVALID_TEXT_REPRESENTATION, e.state());
    }

    @Test
    void theElementTypeInABinaryArrayHeaderCanBeReplaced() {
        byte[] moods = BinaryFormat.encode(MOOD_ARRAY, utf8("{ok}"), catalog());
        assertEquals(MOOD, BinaryFormat.elementTypeOf(moods));
        byte[] elsewhere = BinaryFormat.withElementType(moods, 30000);
        assertEquals(30000, BinaryFormat.elementTypeOf(elsewhere));
        assertEquals(MOOD, BinaryFormat.elementTypeOf(moods), "the original is left alone");
        assertSame(moods, BinaryFormat.withElementType(moods, MOOD));
        byte[] shortBytes = {0, 0, 0, 1};
        assertSame(shortBytes, BinaryFormat.withElementType(shortBytes, 30000));
        assertEquals(0, BinaryFormat.elementTypeOf(shortBytes));
        assertArrayEquals(moods, BinaryFormat.withElementType(elsewhere, MOOD));
    }
}
