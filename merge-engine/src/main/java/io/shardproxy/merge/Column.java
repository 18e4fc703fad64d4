package io.shardproxy.merge;

/**
 * One column of a result, exactly as PostgreSQL describes it in a RowDescription field.
 *
 * @param name     column label
 * @param tableOid OID of the source table, or 0
 * @param attnum   attribute number in that table, or 0
 * @param typeOid  OID of the column's data type
 * @param typlen   the type's size (negative for variable width)
 * @param typmod   type modifier, -1 when none
 * @param format   0 text, 1 binary
 */
public record Column(String name, int tableOid, short attnum, int typeOid, short typlen, int typmod, short format) {

    /** A computed column of the given type, as PostgreSQL describes an expression result. */
    public static Column computed(String name, int typeOid, short typlen) {
        return new Column(name, 0, (short) 0, typeOid, typlen, -1, (short) 0);
    }

    public Column withName(String newName) {
        return new Column(newName, tableOid, attnum, typeOid, typlen, typmod, format);
    }
}
