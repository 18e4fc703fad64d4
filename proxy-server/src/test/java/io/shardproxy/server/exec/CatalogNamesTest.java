package io.shardproxy.server.exec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts of OID translation: unsigned OIDs and attribute numbers matched by column name. */
class CatalogNamesTest {

    @Test
    void oidsAboveTwoToTheThirtyOneAreUnsignedInSqlAndUserDefined() {
        int big = Integer.parseUnsignedInt("3000000000");
        assertEquals("{16384,3000000000}", CatalogNames.oidArray(new int[] {16384, big}));
        assertEquals(big, CatalogNames.oid("3000000000".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(CatalogOids.isUserOid(big));
        assertTrue(CatalogOids.isUserOid(16384));
        assertFalse(CatalogOids.isUserOid(16383));
        assertFalse(CatalogOids.isUserOid(0));
    }

    @Test
    void attributeNumbersMapByColumnNameAndAreNullWhenAllEqual() {
        CatalogNames.Names shard = names("id", "1", "mood", "3", "qty", "4");
        CatalogNames.Names catalog = names("id", "1", "mood", "2", "qty", "3");
        short[] map = CatalogNames.Named.attnums(shard.tables.get(1), catalog.tables.get(1));
        assertArrayEquals(new short[] {0, 1, 2, 2, 3}, map);
        assertNull(CatalogNames.Named.attnums(catalog.tables.get(1), catalog.tables.get(1)));
    }

    @Test
    void aColumnMissingOnTheOtherSideKeepsItsNumber() {
        CatalogNames.Names shard = names("id", "1", "extra", "2");
        CatalogNames.Names catalog = names("id", "1");
        assertNull(CatalogNames.Named.attnums(shard.tables.get(1), catalog.tables.get(1)));
    }

    @Test
    void anArrayTypeIsFoundByItsElementsNameNotByItsOwn() {
        CatalogNames.Names shard = new CatalogNames.Names();
        shard.add(false, 7, "public", "mood", true, null, null);
        CatalogNames.Names catalog = new CatalogNames.Names();
        catalog.add(false, 8, "public", "mood", false, null, null);
        assertNull(catalog.byName(shard.types.get(7)), "the enum itself is not its array");
        catalog.add(false, 9, "public", "mood", true, null, null);
        assertEquals(9, catalog.byName(shard.types.get(7)).oid);
    }

    /** Table OID 1 in schema public named t with the given column name, attnum pairs. */
    private static CatalogNames.Names names(String... columns) {
        CatalogNames.Names n = new CatalogNames.Names();
        for (int i = 0; i < columns.length; i += 2) {
            n.add(true, 1, "public", "t", false, columns[i + 1].getBytes(StandardCharsets.US_ASCII),
                    columns[i].getBytes(StandardCharsets.US_ASCII));
        }
        return n;
    }

    @Test
    void emptyOidListIsAnEmptyArrayLiteral() {
        assertEquals("{}", CatalogNames.oidArray(List.of()));
    }
}
