package io.shardproxy.server.exec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShardCatalogTest {

    @Test
    void libcCAndPosixAndCUtf8CollateByBytes() {
        assertTrue(ShardCatalog.collatesByBytes("c", "C", null));
        assertTrue(ShardCatalog.collatesByBytes("c", "POSIX", null));
        assertTrue(ShardCatalog.collatesByBytes("c", "C.UTF-8", null));
        assertTrue(ShardCatalog.collatesByBytes("c", "C.utf8", null));
    }

    @Test
    void aLibcLanguageLocaleDoesNotCollateByBytes() {
        assertFalse(ShardCatalog.collatesByBytes("c", "en_US.UTF-8", null));
    }

    @Test
    void beforePostgres15OnlyDatcollateCounts() {
        assertTrue(ShardCatalog.collatesByBytes(null, "C", null));
        assertFalse(ShardCatalog.collatesByBytes(null, "de_DE.UTF-8", null));
    }

    @Test
    void icuNeverCollatesByBytesThoughLcCollateSaysC() {
        // initdb --locale=C --locale-provider=icu --icu-locale=en-US leaves datcollate = C
        assertFalse(ShardCatalog.collatesByBytes("i", "C", "en-US"));
        assertFalse(ShardCatalog.collatesByBytes("i", "C", "und"));
    }

    @Test
    void builtinCAndCUtf8CollateByCodePointWhichIsByteOrder() {
        assertTrue(ShardCatalog.collatesByBytes("b", "C", "C"));
        assertTrue(ShardCatalog.collatesByBytes("b", "C", "C.UTF-8"));
        assertFalse(ShardCatalog.collatesByBytes("b", "C", null));
    }
}
