package io.shardproxy.router.analyze;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** PostgreSQL's names of encodings, for COPY's ENCODING option: any alias to the canonical name. */
final class CopyEncodingNames {

    /** PostgreSQL's encoding names (encnames.c's pg_encname_tbl), cleaned as pg_char_to_encoding cleans them. */
    private static final Map<String, String> ENCODINGS = Map.ofEntries(
            Map.entry("abc", "WIN1258"), Map.entry("alt", "WIN866"), Map.entry("big5", "BIG5"),
            Map.entry("euccn", "EUC_CN"), Map.entry("eucjis2004", "EUC_JIS_2004"), Map.entry("eucjp", "EUC_JP"),
            Map.entry("euckr", "EUC_KR"), Map.entry("euctw", "EUC_TW"), Map.entry("gb18030", "GB18030"),
            Map.entry("gbk", "GBK"), Map.entry("iso88591", "LATIN1"), Map.entry("iso885910", "LATIN6"),
            Map.entry("iso885913", "LATIN7"), Map.entry("iso885914", "LATIN8"), Map.entry("iso885915", "LATIN9"),
            Map.entry("iso885916", "LATIN10"), Map.entry("iso88592", "LATIN2"), Map.entry("iso88593", "LATIN3"),
            Map.entry("iso88594", "LATIN4"), Map.entry("iso88595", "ISO_8859_5"), Map.entry("iso88596", "ISO_8859_6"),
            Map.entry("iso88597", "ISO_8859_7"), Map.entry("iso88598", "ISO_8859_8"), Map.entry("iso88599", "LATIN5"),
            Map.entry("johab", "JOHAB"), Map.entry("koi8", "KOI8R"), Map.entry("koi8r", "KOI8R"),
            Map.entry("koi8u", "KOI8U"), Map.entry("latin1", "LATIN1"), Map.entry("latin10", "LATIN10"),
            Map.entry("latin2", "LATIN2"), Map.entry("latin3", "LATIN3"), Map.entry("latin4", "LATIN4"),
            Map.entry("latin5", "LATIN5"), Map.entry("latin6", "LATIN6"), Map.entry("latin7", "LATIN7"),
            Map.entry("latin8", "LATIN8"), Map.entry("latin9", "LATIN9"), Map.entry("mskanji", "SJIS"),
            Map.entry("muleinternal", "MULE_INTERNAL"), Map.entry("shiftjis", "SJIS"),
            Map.entry("shiftjis2004", "SHIFT_JIS_2004"), Map.entry("sjis", "SJIS"), Map.entry("sqlascii", "SQL_ASCII"),
            Map.entry("tcvn", "WIN1258"), Map.entry("tcvn5712", "WIN1258"), Map.entry("uhc", "UHC"),
            Map.entry("unicode", "UTF8"), Map.entry("utf8", "UTF8"), Map.entry("vscii", "WIN1258"),
            Map.entry("win", "WIN1251"), Map.entry("win1250", "WIN1250"), Map.entry("win1251", "WIN1251"),
            Map.entry("win1252", "WIN1252"), Map.entry("win1253", "WIN1253"), Map.entry("win1254", "WIN1254"),
            Map.entry("win1255", "WIN1255"), Map.entry("win1256", "WIN1256"), Map.entry("win1257", "WIN1257"),
            Map.entry("win1258", "WIN1258"), Map.entry("win866", "WIN866"), Map.entry("win874", "WIN874"),
            Map.entry("win932", "SJIS"), Map.entry("win936", "GBK"), Map.entry("win949", "UHC"),
            Map.entry("win950", "BIG5"), Map.entry("windows1250", "WIN1250"), Map.entry("windows1251", "WIN1251"),
            Map.entry("windows1252", "WIN1252"), Map.entry("windows1253", "WIN1253"),
            Map.entry("windows1254", "WIN1254"), Map.entry("windows1255", "WIN1255"),
            Map.entry("windows1256", "WIN1256"), Map.entry("windows1257", "WIN1257"),
            Map.entry("windows1258", "WIN1258"), Map.entry("windows866", "WIN866"), Map.entry("windows874", "WIN874"),
            Map.entry("windows932", "SJIS"), Map.entry("windows936", "GBK"), Map.entry("windows949", "UHC"),
            Map.entry("windows950", "BIG5"));

    private CopyEncodingNames() {
    }

    /** PostgreSQL's canonical name of an encoding name (pg_char_to_encoding), or null. */
    static String canonical(String name) {
        if (name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length >= 64) {
            return null;
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) {
                key.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                key.append((char) (c + 32));
            }
        }
        return ENCODINGS.get(key.toString());
    }
}
