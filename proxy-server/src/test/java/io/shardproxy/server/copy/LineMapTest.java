package io.shardproxy.server.copy;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shard lines back to client lines, in bounded memory. */
class LineMapTest {

    @Test
    void mapsEveryLineOfRowsSentToAShard() {
        LineMap m = new LineMap(1024);
        m.add(1, 1);   // header: client line 1, shard line 1
        m.add(3, 1);   // client line 3 -> shard line 2
        m.add(7, 2);   // a CSV row on client lines 6-7 -> shard lines 3-4
        m.add(8, 1);
        assertEquals(1, m.clientLine(1));
        assertEquals(3, m.clientLine(2));
        assertEquals(6, m.clientLine(3));
        assertEquals(7, m.clientLine(4));
        assertEquals(8, m.clientLine(5));
        assertEquals(-1, m.clientLine(6));
        assertEquals(-1, m.clientLine(0));
        assertEquals(5, m.shardLines());
    }

    @Test
    void forgetsTheOldestRowsWhenFull() {
        LineMap m = new LineMap(64);
        Random r = new Random(1);
        long client = 0;
        long[] clientOf = new long[10_001];
        for (int i = 1; i <= 10_000; i++) {
            client += 1 + r.nextInt(300);
            m.add(client, 1);
            clientOf[i] = client;
        }
        assertEquals(clientOf[10_000], m.clientLine(10_000));
        assertEquals(clientOf[9_990], m.clientLine(9_990));
        assertEquals(-1, m.clientLine(5));
    }

    @Test
    void rewritesContextsAndSkipNotices() {
        LineMap m = new LineMap(1024);
        m.add(4, 1);
        m.add(10, 1);
        assertEquals("COPY t, line 10, column b: \"x\"", m.rewriteContext("COPY t, line 2, column b: \"x\"", "t", "s1"));
        assertEquals("SQL function f\nCOPY t, line 4: \"1\"",
                m.rewriteContext("SQL function f\nCOPY t, line 1: \"1\"", "t", "s1"));
        assertEquals("COPY t, line 9 of the rows sent to shard s1", m.rewriteContext("COPY t, line 9", "t", "s1"));
        assertEquals("COPY other, line 2", m.rewriteContext("COPY other, line 2", "t", "s1"));
        assertEquals("skipping row due to data type incompatibility at line 10 for column \"a\": \"x\"",
                m.rewriteSkipNotice("skipping row due to data type incompatibility at line 2 for column \"a\": \"x\"", "s1"));
    }
}
