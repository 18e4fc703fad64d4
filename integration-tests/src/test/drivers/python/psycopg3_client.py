"""psycopg 3 client of DriverMatrixTest (see drvcommon.py for the transcript rules).

psycopg 3 binds parameters on the server (extended protocol): named prepared statements
(prepare=True, and its own automatic preparing after prepare_threshold executions), executemany
in libpq pipeline mode, an explicit pipeline, binary-format cursors, server-side cursors
(DECLARE through the extended protocol) and enum introspection from the catalog.

    /usr/bin/python3 psycopg3_client.py HOST PORT USER PASSWORD DBNAME
"""
from decimal import Decimal

import psycopg
from psycopg.types.enum import EnumInfo, register_enum
from psycopg.types.json import Json, Jsonb

import drvcommon as d
from drvcommon import out

BASE = 7_000_000  # this client's ids in drv_items and drv_types: BASE .. BASE + 999999


def sqlstate(e):
    return getattr(e, "sqlstate", None)


def main():
    host, port, user, password, dbname = d.args()
    conn = psycopg.connect(host=host, port=port, user=user, password=password, dbname=dbname,
                           connect_timeout=10, application_name="drv-psycopg3", autocommit=True)
    cur = conn.cursor()
    cur.execute("delete from drv_items where id between %s and %s", (BASE, BASE + 999_999))
    cur.execute("delete from drv_types where id between %s and %s", (BASE, BASE + 999_999))
    out("connected", conn.info.server_version >= 100000)
    for name in d.PARAMETERS:
        out("parameter." + name, conn.info.parameter_status(name))

    # parameters, bound on the server
    cur.execute("select %s::int + %s::int as sum, %s || 'x' as t, %s::text as nothing, %s as yes",
                (1, 2, "it's", None, True))
    out("params.columns", [c.name for c in cur.description])
    out("params.row", cur.fetchone())
    for i in range(1, 11):
        cur.execute("insert into drv_items (id, name, qty, price, note) values (%s, %s, %s, %s, %s)",
                    (BASE + i, "item %d" % i, i * 10, Decimal("%d.25" % i), None if i % 3 else "n%d" % i))
        out("insert.rowcount", i, cur.rowcount)
    cur.execute("select id, name, qty, price, note from drv_items where id = %s", (BASE + 3,))
    out("select.by_id", cur.fetchall())
    cur.execute("select id, name from drv_items where id = any(%s) order by id", ([BASE + 2, BASE + 5, BASE + 9],))
    out("select.any_array", cur.fetchall())

    # prepared statements: explicit (prepare=True) and psycopg's own after prepare_threshold runs
    out("prepare_threshold", conn.prepare_threshold)
    for i in range(1, 9):
        cur.execute("select id, name, qty, price from drv_items where id = %s", (BASE + i,), prepare=True)
        out("prepared.explicit", i, cur.fetchall())
    for i in range(1, 9):
        cur.execute("select name, qty * 2 from drv_items where id = %s", (BASE + i,))
        out("prepared.automatic", i, cur.fetchall())

    # executemany (pipeline mode with libpq 14+), then an explicit pipeline of several statements
    rows = [(BASE + 100 + i, "batch %d" % i, i, Decimal(i) / 4) for i in range(30)]
    cur.executemany("insert into drv_items (id, name, qty, price) values (%s, %s, %s, %s)", rows)
    out("executemany.rowcount", cur.rowcount)
    with conn.pipeline():
        for i in range(10):
            conn.execute("insert into drv_items (id, name, qty) values (%s, %s, %s)", (BASE + 200 + i, "pipe %d" % i, i))
        piped = conn.execute("select count(*), sum(qty) from drv_items where id between %s and %s",
                             (BASE + 200, BASE + 209))
    out("pipeline.totals", piped.fetchone())
    cur.execute("select count(*), sum(qty), sum(price), min(name), max(name) from drv_items"
                " where id between %s and %s", (BASE + 100, BASE + 299))
    out("batch.totals", cur.fetchone())

    # transactions: commit, then rollback, each checked by reading back
    with conn.transaction():
        cur.execute("insert into drv_items (id, name, qty) values (%s, 'committed', 1)", (BASE + 400,))
        cur.execute("update drv_items set qty = qty + 1000 where id = %s", (BASE + 1,))
    with conn.transaction(force_rollback=True):
        cur.execute("insert into drv_items (id, name, qty) values (%s, 'rolled back', 1)", (BASE + 401,))
        cur.execute("delete from drv_items where id = %s", (BASE + 2,))
        cur.execute("select count(*) from drv_items where id = any(%s)", ([BASE + 401, BASE + 2],))
        out("tx.inside", cur.fetchone())
    cur.execute("select id, name, qty from drv_items where id = any(%s) order by id",
                ([BASE + 1, BASE + 2, BASE + 400, BASE + 401],))
    out("tx.after", cur.fetchall())

    # an error inside a transaction aborts it until ROLLBACK; the connection stays usable
    tx_conn_error = None
    try:
        with conn.transaction():
            cur.execute("insert into drv_items (id, name) values (%s, 'tx')", (BASE + 402,))
            d.expect_error("tx.duplicate", sqlstate,
                           lambda: cur.execute("insert into drv_items (id, name) values (%s, 'dup')", (BASE + 1,)))
            cur.execute("select 1")
    except psycopg.Error as e:
        tx_conn_error = e.sqlstate
    print("tx.aborted: sqlstate %s" % tx_conn_error)
    cur.execute("select count(*) from drv_items where id = %s", (BASE + 402,))
    out("tx.aborted.after_rollback", cur.fetchone())

    # errors in autocommit, each followed by more work on the same connection
    d.expect_error("error.unique", sqlstate,
                   lambda: cur.execute("insert into drv_items (id, name) values (%s, 'dup')", (BASE + 3,)))
    d.expect_error("error.division", sqlstate, lambda: cur.execute("select 1 / %s::int", (0,)))
    d.expect_error("error.division_prepared", sqlstate,
                   lambda: cur.execute("select 10 / %s::int", (0,), prepare=True))
    d.expect_error("error.syntax", sqlstate, lambda: cur.execute("selec %s", (1,)))
    d.expect_error("error.undefined_table", sqlstate, lambda: cur.execute("select * from drv_no_such_table"))
    d.expect_error("error.bad_param", sqlstate, lambda: cur.execute("select %s::int", ("not a number",)))
    cur.execute("select count(*) from drv_items where id between %s and %s", (BASE, BASE + 999_999))
    out("error.after", cur.fetchone())
    cur.execute("select 10 / %s::int", (5,), prepare=True)
    out("error.prepared_again", cur.fetchone())

    # NULL in every column and as parameters, in text and binary
    cur.execute("insert into drv_types (id) values (%s)", (BASE + 2,))
    cur.execute("select * from drv_types where id = %s", (BASE + 2,))
    out("nulls.row", cur.fetchone())
    with conn.cursor(binary=True) as bcur:
        bcur.execute("select * from drv_types where id = %s", (BASE + 2,))
        out("nulls.row.binary", bcur.fetchone())
    cur.execute("select %s::int is null, %s::text is null, coalesce(%s::text, 'fallback')", (None, None, None))
    out("nulls.params", cur.fetchone())

    # every type: written through parameters (text, then binary), read back in text and binary
    values = list(d.TYPE_VALUES)
    values[16] = Json(None, dumps=lambda _: d.JSON_TEXT)
    values[17] = Jsonb(None, dumps=lambda _: d.JSON_TEXT)
    placeholders = ", ".join(["%s"] * len(values[:-1]) + ["%s::drv_mood"])
    insert = "insert into drv_types (id, %s) values (%%s, %s)" % (", ".join(d.TYPE_COLUMNS), placeholders)
    cur.execute(insert, [BASE + 1] + values)
    out("types.insert", cur.rowcount)
    with conn.cursor(binary=True) as bcur:
        bcur.execute(insert, [BASE + 3] + values)
        out("types.insert.binary", bcur.rowcount)
    for label, binary in (("types", False), ("types.binary", True)):
        with conn.cursor(binary=binary) as c:
            c.execute("select * from drv_types where id = any(%s) order by id", ([BASE + 1, BASE + 3],))
            out(label + ".columns", [(col.name, d.type_code(col.type_code)) for col in c.description])
            for row in c.fetchall():
                for column, value in zip([col.name for col in c.description], row):
                    out(label + "." + column, value)
    for label, binary in (("literal", False), ("literal.binary", True)):
        with conn.cursor(binary=binary) as c:
            c.execute(d.LITERAL_SELECT)
            for column, value in zip([col.name for col in c.description], c.fetchone()):
                out(label + "." + column, value)
    cur.execute("select id, c_int4_arr[2] is null, array_length(c_text_arr, 1), c_jsonb->'b'->2,"
                " c_bytea = %s, c_uuid = %s from drv_types where id = %s",
                (d.TYPE_VALUES[9], d.TYPE_VALUES[15], BASE + 1))
    out("types.server_side", cur.fetchone())

    # the enum, introspected from the catalog and then decoded as a Python Enum
    info = EnumInfo.fetch(conn, "drv_mood")
    out("enum.labels", info.labels)
    register_enum(info, conn)
    with conn.cursor() as c:  # a cursor takes its connection's adapters when it is made
        c.execute("select c_mood, 'ok'::drv_mood from drv_types where id = %s", (BASE + 1,))
        out("enum.values", [v.name for v in c.fetchone()])

    # a large result streamed through a server-side cursor, in a transaction
    checksum = d.Checksum()
    with conn.transaction():
        with conn.cursor(name="drv_stream_cursor", binary=True) as stream:
            stream.itersize = 1000
            stream.execute("select id, v, n from drv_stream where id > %s order by id", (0,))
            for r in stream:
                checksum.add(r)
    checksum.emit("stream.server_cursor")
    checksum = d.Checksum()
    with conn.cursor() as c:
        for r in c.stream("select id, v, n from drv_stream order by id desc"):
            checksum.add(r)
    checksum.emit("stream.single_row_mode")

    # a fan-out read of everything this client wrote
    cur.execute("select id, name, qty, price, note from drv_items where id between %s and %s order by id",
                (BASE, BASE + 999_999))
    all_rows = cur.fetchall()
    out("final.count", len(all_rows))
    for r in all_rows:
        out("final.row", r)
    conn.close()
    out("done", True)


if __name__ == "__main__":
    main()
