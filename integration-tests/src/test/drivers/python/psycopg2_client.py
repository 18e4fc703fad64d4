"""psycopg2 client of DriverMatrixTest (see drvcommon.py for the transcript rules).

psycopg2 speaks only the simple query protocol: it interpolates parameters into the SQL text on
the client, so what it exercises is quoting and typed literals, SQL-level PREPARE/EXECUTE,
multi-statement strings (execute_batch), multi-row VALUES (execute_values), DECLARE/FETCH
(named cursors) and the text output of every type.

    /usr/bin/python3 psycopg2_client.py HOST PORT USER PASSWORD DBNAME
"""
from decimal import Decimal

import psycopg2
import psycopg2.errors
import psycopg2.extras

import drvcommon as d
from drvcommon import out

BASE = 6_000_000  # this client's ids in drv_items and drv_types: BASE .. BASE + 999999


def sqlstate(e):
    return getattr(e, "pgcode", None)


def main():
    host, port, user, password, dbname = d.args()
    conn = psycopg2.connect(host=host, port=port, user=user, password=password, dbname=dbname,
                            connect_timeout=10, application_name="drv-psycopg2")
    psycopg2.extras.register_uuid(conn_or_curs=conn)
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("delete from drv_items where id between %s and %s", (BASE, BASE + 999_999))
    cur.execute("delete from drv_types where id between %s and %s", (BASE, BASE + 999_999))
    out("connected", conn.server_version >= 100000)
    for name in d.PARAMETERS:
        out("parameter." + name, conn.get_parameter_status(name))

    # parameters, interpolated on the client
    cur.execute("select %s::int + %s::int as sum, %s || 'x' as t, %s as nothing, %s as yes",
                (1, 2, "it's", None, True))
    out("params.columns", [c.name for c in cur.description])
    out("params.row", cur.fetchone())
    for i in range(1, 11):
        cur.execute("insert into drv_items (id, name, qty, price, note) values (%s, %s, %s, %s, %s)",
                    (BASE + i, "item %d" % i, i * 10, Decimal("%d.25" % i), None if i % 3 else "n%d" % i))
        out("insert.rowcount", i, cur.rowcount)
    cur.execute("select id, name, qty, price, note from drv_items where id = %s", (BASE + 3,))
    out("select.by_id", cur.fetchall())
    cur.execute("select id, name from drv_items where id in %s order by id", ((BASE + 2, BASE + 5, BASE + 9),))
    out("select.in_list", cur.fetchall())

    # a server-side prepared statement, through SQL: psycopg2 has no API for one
    cur.execute("prepare drv_by_id (bigint) as select id, name, qty, price from drv_items where id = $1")
    for i in range(1, 9):
        cur.execute("execute drv_by_id (%s)", (BASE + i,))
        out("prepared.execute", i, cur.fetchall())
    cur.execute("deallocate drv_by_id")

    # batches: executemany (one statement each), execute_batch (multi-statement strings),
    # execute_values (multi-row VALUES)
    rows = [(BASE + 100 + i, "batch %d" % i, i, Decimal(i) / 4) for i in range(20)]
    cur.executemany("insert into drv_items (id, name, qty, price) values (%s, %s, %s, %s)", rows)
    out("executemany.rowcount", cur.rowcount)
    rows = [(BASE + 200 + i, "page %d" % i, i, Decimal(i) / 8) for i in range(20)]
    psycopg2.extras.execute_batch(cur, "insert into drv_items (id, name, qty, price) values (%s, %s, %s, %s)",
                                  rows, page_size=7)
    rows = [(BASE + 300 + i, "values %d" % i, i, None) for i in range(20)]
    psycopg2.extras.execute_values(cur, "insert into drv_items (id, name, qty, price) values %s", rows,
                                   page_size=8)
    cur.execute("select count(*), sum(qty), sum(price), min(name), max(name) from drv_items"
                " where id between %s and %s", (BASE + 100, BASE + 399))
    out("batch.totals", cur.fetchone())

    # transactions: commit, then rollback, each checked by reading back
    conn.autocommit = False
    cur.execute("insert into drv_items (id, name, qty) values (%s, 'committed', 1)", (BASE + 400,))
    cur.execute("update drv_items set qty = qty + 1000 where id = %s", (BASE + 1,))
    conn.commit()
    cur.execute("insert into drv_items (id, name, qty) values (%s, 'rolled back', 1)", (BASE + 401,))
    cur.execute("delete from drv_items where id = %s", (BASE + 2,))
    cur.execute("select count(*) from drv_items where id in %s", ((BASE + 401, BASE + 2),))
    out("tx.inside", cur.fetchone())
    conn.rollback()
    cur.execute("select id, name, qty from drv_items where id in %s order by id",
                ((BASE + 1, BASE + 2, BASE + 400, BASE + 401),))
    out("tx.after", cur.fetchall())
    conn.commit()

    # an error inside a transaction aborts it until ROLLBACK; the connection stays usable
    cur.execute("insert into drv_items (id, name) values (%s, 'tx')", (BASE + 402,))
    d.expect_error("tx.duplicate", sqlstate,
                   lambda: cur.execute("insert into drv_items (id, name) values (%s, 'dup')", (BASE + 1,)))
    d.expect_error("tx.aborted", sqlstate, lambda: cur.execute("select 1"))
    conn.rollback()
    cur.execute("select count(*) from drv_items where id = %s", (BASE + 402,))
    out("tx.aborted.after_rollback", cur.fetchone())
    conn.commit()
    conn.autocommit = True

    # errors in autocommit, each followed by more work on the same connection
    d.expect_error("error.unique", sqlstate,
                   lambda: cur.execute("insert into drv_items (id, name) values (%s, 'dup')", (BASE + 3,)))
    d.expect_error("error.division", sqlstate, lambda: cur.execute("select 1 / %s", (0,)))
    d.expect_error("error.syntax", sqlstate, lambda: cur.execute("selec 1"))
    d.expect_error("error.undefined_table", sqlstate, lambda: cur.execute("select * from drv_no_such_table"))
    cur.execute("select count(*) from drv_items where id between %s and %s", (BASE, BASE + 999_999))
    out("error.after", cur.fetchone())

    # NULL in every column and as parameters
    cur.execute("insert into drv_types (id) values (%s)", (BASE + 2,))
    cur.execute("select * from drv_types where id = %s", (BASE + 2,))
    out("nulls.row", cur.fetchone())
    cur.execute("select %s::int is null, %s::text is null, coalesce(%s, 'fallback')", (None, None, None))
    out("nulls.params", cur.fetchone())

    # every type: written through parameters, read back, and as typed literals
    values = list(d.TYPE_VALUES)
    values[16] = psycopg2.extras.Json(None, dumps=lambda _: d.JSON_TEXT)
    values[17] = psycopg2.extras.Json(None, dumps=lambda _: d.JSON_TEXT)
    placeholders = ", ".join(["%s"] * (len(values) + 1))
    cur.execute("insert into drv_types (id, %s) values (%s)" % (", ".join(d.TYPE_COLUMNS), placeholders),
                [BASE + 1] + values)
    out("types.insert", cur.rowcount)
    cur.execute("select * from drv_types where id = %s", (BASE + 1,))
    out("types.columns", [(c.name, d.type_code(c.type_code)) for c in cur.description])
    row = cur.fetchone()
    for column, value in zip([c.name for c in cur.description], row):
        out("types." + column, value)
    cur.execute(d.LITERAL_SELECT)
    for column, value in zip([c.name for c in cur.description], cur.fetchone()):
        out("literal." + column, value)
    cur.execute("select id, c_int4_arr[2] is null, array_length(c_text_arr, 1), c_jsonb->'b'->2,"
                " c_bytea = %s, c_uuid = %s from drv_types where id = %s",
                (d.TYPE_VALUES[9], d.TYPE_VALUES[15], BASE + 1))
    out("types.server_side", cur.fetchone())

    # a large result streamed through a server-side (named) cursor, in a transaction
    conn.autocommit = False
    stream = conn.cursor(name="drv_stream_cursor")
    stream.itersize = 1000
    stream.execute("select id, v, n from drv_stream order by id")
    checksum = d.Checksum()
    for r in stream:
        checksum.add(r)
    stream.close()
    conn.commit()
    checksum.emit("stream.named_cursor")
    conn.autocommit = True

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
