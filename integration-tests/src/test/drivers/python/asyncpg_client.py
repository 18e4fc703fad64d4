"""asyncpg client of DriverMatrixTest (see drvcommon.py for the transcript rules).

asyncpg prepares every statement as a named server-side statement, asks for binary results and
sends binary parameters for every type it knows, and introspects the catalog (a recursive query
on pg_type) for a type it does not know: here the enum drv_mood, and jsonb once a codec is set
for it. It also pipelines executemany, and streams through portals with a row limit
(cursor prefetch).

    /usr/bin/python3 asyncpg_client.py HOST PORT USER PASSWORD DBNAME
"""
import asyncio
import json
from decimal import Decimal

import asyncpg

import drvcommon as d
from drvcommon import out

BASE = 8_000_000  # this client's ids in drv_items and drv_types: BASE .. BASE + 999999


async def expect_error(label, coroutine):
    try:
        await coroutine
    except asyncpg.PostgresError as e:
        print("%s: sqlstate %s" % (label, e.sqlstate))
        return
    raise AssertionError(label + ": expected an error, got none")


async def main():
    host, port, user, password, dbname = d.args()
    conn = await asyncpg.connect(host=host, port=port, user=user, password=password, database=dbname,
                                 timeout=10, command_timeout=60,
                                 server_settings={"application_name": "drv-asyncpg"})
    await conn.execute("delete from drv_items where id between $1 and $2", BASE, BASE + 999_999)
    await conn.execute("delete from drv_types where id between $1 and $2", BASE, BASE + 999_999)
    out("connected", conn.get_server_version().major >= 10)
    settings = conn.get_settings()
    for name in d.PARAMETERS:
        out("parameter." + name, getattr(settings, name))

    # parameters, binary on the wire
    row = await conn.fetchrow("select $1::int + $2::int as sum, $3::text || 'x' as t, $4::text as nothing,"
                              " $5::bool as yes", 1, 2, "it's", None, True)
    out("params.columns", list(row.keys()))
    out("params.row", row)
    for i in range(1, 11):
        status = await conn.execute("insert into drv_items (id, name, qty, price, note) values ($1, $2, $3, $4, $5)",
                                    BASE + i, "item %d" % i, i * 10, Decimal("%d.25" % i),
                                    None if i % 3 else "n%d" % i)
        out("insert.status", i, status)
    out("select.by_id", await conn.fetch("select id, name, qty, price, note from drv_items where id = $1", BASE + 3))
    out("select.any_array", await conn.fetch("select id, name from drv_items where id = any($1::bigint[]) order by id",
                                             [BASE + 2, BASE + 5, BASE + 9]))
    out("fetchval", await conn.fetchval("select name from drv_items where id = $1", BASE + 4))

    # one prepared statement, executed again and again
    stmt = await conn.prepare("select id, name, qty, price from drv_items where id = $1")
    out("prepared.parameters", [t.name for t in stmt.get_parameters()])
    out("prepared.attributes", [(a.name, a.type.name) for a in stmt.get_attributes()])
    for i in range(1, 9):
        out("prepared.fetchrow", i, await stmt.fetchrow(BASE + i))
    out("prepared.fetchval", await stmt.fetchval(BASE + 9, column=1))

    # executemany: one statement, its Bind/Execute messages pipelined
    rows = [(BASE + 100 + i, "batch %d" % i, i, Decimal(i) / 4) for i in range(30)]
    await conn.executemany("insert into drv_items (id, name, qty, price) values ($1, $2, $3, $4)", rows)
    out("batch.totals", await conn.fetchrow("select count(*), sum(qty), sum(price), min(name), max(name)"
                                            " from drv_items where id between $1 and $2", BASE + 100, BASE + 199))

    # transactions: commit, then rollback, each checked by reading back
    async with conn.transaction():
        await conn.execute("insert into drv_items (id, name, qty) values ($1, 'committed', 1)", BASE + 400)
        await conn.execute("update drv_items set qty = qty + 1000 where id = $1", BASE + 1)
    tr = conn.transaction()
    await tr.start()
    await conn.execute("insert into drv_items (id, name, qty) values ($1, 'rolled back', 1)", BASE + 401)
    await conn.execute("delete from drv_items where id = $1", BASE + 2)
    out("tx.inside", await conn.fetchval("select count(*) from drv_items where id = any($1::bigint[])",
                                         [BASE + 401, BASE + 2]))
    await tr.rollback()
    out("tx.after", await conn.fetch("select id, name, qty from drv_items where id = any($1::bigint[]) order by id",
                                     [BASE + 1, BASE + 2, BASE + 400, BASE + 401]))

    # an error inside a transaction aborts it until ROLLBACK; the connection stays usable
    tr = conn.transaction()
    await tr.start()
    await conn.execute("insert into drv_items (id, name) values ($1, 'tx')", BASE + 402)
    await expect_error("tx.duplicate", conn.execute("insert into drv_items (id, name) values ($1, 'dup')", BASE + 1))
    await expect_error("tx.aborted", conn.fetchval("select 1"))
    await tr.rollback()
    out("tx.aborted.after_rollback", await conn.fetchval("select count(*) from drv_items where id = $1", BASE + 402))

    # errors in autocommit, each followed by more work on the same connection
    await expect_error("error.unique", conn.execute("insert into drv_items (id, name) values ($1, 'dup')", BASE + 3))
    await expect_error("error.division", conn.fetchval("select 1 / $1::int", 0))
    divide = await conn.prepare("select 10 / $1::int")
    await expect_error("error.division_prepared", divide.fetchval(0))
    await expect_error("error.syntax", conn.fetchval("selec $1::int", 1))
    await expect_error("error.undefined_table", conn.fetch("select * from drv_no_such_table"))
    await expect_error("error.numeric_out_of_range", conn.fetchval("select $1::int * 1000000", 1000000))
    out("error.after", await conn.fetchval("select count(*) from drv_items where id between $1 and $2",
                                           BASE, BASE + 999_999))
    out("error.prepared_again", await stmt.fetchrow(BASE + 1), await divide.fetchval(5))

    # NULL in every column and as parameters
    await conn.execute("insert into drv_types (id) values ($1)", BASE + 2)
    out("nulls.row", await conn.fetchrow("select * from drv_types where id = $1", BASE + 2))
    out("nulls.params", await conn.fetchrow("select $1::int is null, $2::text is null, coalesce($3::text, 'fallback')",
                                            None, None, None))

    # every type, binary both ways; the enum is introspected on first sight
    placeholders = ", ".join("$%d" % (i + 2) for i in range(len(d.TYPE_COLUMNS)))
    status = await conn.execute("insert into drv_types (id, %s) values ($1, %s)" % (", ".join(d.TYPE_COLUMNS), placeholders),
                                BASE + 1, *d.TYPE_VALUES)
    out("types.insert", status)
    typed = await conn.prepare("select * from drv_types where id = $1")
    out("types.columns", [(a.name, a.type.name, a.type.kind, a.type.schema) for a in typed.get_attributes()])
    row = await typed.fetchrow(BASE + 1)
    for column, value in row.items():
        out("types." + column, value)
    literal = await conn.fetchrow(d.LITERAL_SELECT)
    for column, value in literal.items():
        out("literal." + column, value)
    out("types.server_side", await conn.fetchrow(
        "select id, c_int4_arr[2] is null, array_length(c_text_arr, 1), c_jsonb->'b'->2, c_bytea = $1,"
        " c_uuid = $2 from drv_types where id = $3", d.TYPE_VALUES[9], d.TYPE_VALUES[15], BASE + 1))
    out("enum.array", await conn.fetchval("select array['ok', 'sad']::drv_mood[]"))
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
    out("codec.jsonb", await conn.fetchval("select c_jsonb from drv_types where id = $1", BASE + 1))
    out("codec.jsonb_param", await conn.fetchval("select $1::jsonb -> 'k'", {"k": [1, "two", None]}))

    # a large result streamed through a cursor (portal with a row limit), in a transaction
    checksum = d.Checksum()
    async with conn.transaction():
        async for r in conn.cursor("select id, v, n from drv_stream where id > $1 order by id", 0, prefetch=1000):
            checksum.add(r)
    checksum.emit("stream.cursor_iteration")
    checksum = d.Checksum()
    async with conn.transaction():
        cursor = await conn.cursor("select id, v, n from drv_stream order by id desc")
        while True:
            batch = await cursor.fetch(777)
            if not batch:
                break
            for r in batch:
                checksum.add(r)
    checksum.emit("stream.cursor_fetch")

    # a fan-out read of everything this client wrote
    all_rows = await conn.fetch("select id, name, qty, price, note from drv_items where id between $1 and $2 order by id",
                                BASE, BASE + 999_999)
    out("final.count", len(all_rows))
    for r in all_rows:
        out("final.row", r)
    await conn.close()
    out("done", True)


if __name__ == "__main__":
    asyncio.run(main())
