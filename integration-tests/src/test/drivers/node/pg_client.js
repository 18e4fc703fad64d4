'use strict';
// node-postgres (pg) client of DriverMatrixTest (see common.js for the transcript rules).
//
// pg sends a query without parameters as a simple Query, one with parameters through the
// extended protocol with an unnamed statement, one with a name as a named prepared statement
// (parsed once per connection, then only bound), results as text unless binary: true. pg-cursor
// reads through a portal with a row limit and Flush instead of Sync.
//
//   node pg_client.js HOST PORT USER PASSWORD DBNAME

const { Client, types } = require('pg');
const Cursor = require('pg-cursor');
const c = require('./common');

const { out } = c;
const BASE = 4000000; // this client's ids in drv_items and drv_types: BASE .. BASE + 999999

// Results asked for in binary: pg 8 reads every DataRow value as a UTF-8 string, so its binary
// decoders see mangled bytes (invalid sequences become U+FFFD). Keep what pg hands over and print
// its bytes: still exactly what the server's binary bytes become, and equal through the proxy.
const rawBinary = { getTypeParser: (oid, format) => (format === 'binary' ? (value) => value : types.getTypeParser(oid, format)) };
// Binary reads leave out the enum: asyncpg covers a user-defined type in binary (and the
// introspection that comes with it); here it would only hide the built-in types behind it.
const TYPES_BINARY = 'select id, ' + c.TYPE_COLUMNS.filter((col) => col !== 'c_mood').join(', ') + ' from drv_types where id = $1';
const LITERAL_BINARY = c.LITERAL_SELECT.replace(", 'sad'::drv_mood as mood", '');

function ids(...offsets) {
  return offsets.map((o) => BASE + o);
}

async function main() {
  const a = c.args();
  const client = new Client({ ...a, connectionTimeoutMillis: 10000, application_name: 'drv-pg' });
  await client.connect();
  await client.query('delete from drv_items where id between $1 and $2', [BASE, BASE + 999999]);
  await client.query('delete from drv_types where id between $1 and $2', [BASE, BASE + 999999]);
  out('connected', true);

  // parameters: text parameters of unspecified type, typed by the server
  let r = await client.query("select $1::int + $2::int as sum, $3::text || 'x' as t, $4::text as nothing, $5::bool as yes",
    [1, 2, "it's", null, true]);
  out('params.fields', r.fields.map((f) => [f.name, f.dataTypeID, f.format]));
  out('params.rows', r.rows);
  for (let i = 1; i <= 10; i++) {
    r = await client.query('insert into drv_items (id, name, qty, price, note) values ($1, $2, $3, $4, $5)',
      [BASE + i, 'item ' + i, i * 10, i + '.25', i % 3 ? null : 'n' + i]);
    out('insert', i, r.command, r.rowCount);
  }
  r = await client.query('select id, name, qty, price, note from drv_items where id = $1', [BASE + 3]);
  out('select.by_id', r.rows);
  r = await client.query('select id, name from drv_items where id = any($1::bigint[]) order by id', [ids(2, 5, 9)]);
  out('select.any_array', r.rows);
  r = await client.query({ text: 'select id, name, qty from drv_items where id = $1', values: [BASE + 4], rowMode: 'array' });
  out('select.row_mode_array', r.rows);
  r = await client.query('select count(*) as n from drv_items where id between ' + BASE + ' and ' + (BASE + 999999));
  out('simple_query', r.command, r.rows);

  // a named prepared statement, parsed once and bound again and again
  for (let i = 1; i <= 8; i++) {
    r = await client.query({ name: 'drv-by-id', text: 'select id, name, qty, price from drv_items where id = $1', values: [BASE + i] });
    out('prepared.named', i, r.rows);
  }

  // a batch: one named insert, parsed once and bound for every row (pg has no batch API, and
  // queuing queries without awaiting them is deprecated)
  const counts = [];
  for (let i = 0; i < 30; i++) {
    const x = await client.query({ name: 'drv-insert', text: 'insert into drv_items (id, name, qty, price) values ($1, $2, $3, $4)',
      values: [BASE + 100 + i, 'batch ' + i, i, (i / 4).toFixed(2)] });
    counts.push(x.rowCount);
  }
  out('batch.rowcounts', counts);
  r = await client.query('select count(*), sum(qty), sum(price), min(name), max(name) from drv_items where id between $1 and $2',
    [BASE + 100, BASE + 199]);
  out('batch.totals', r.rows);

  // transactions: commit, then rollback, each checked by reading back
  await client.query('begin');
  await client.query("insert into drv_items (id, name, qty) values ($1, 'committed', 1)", [BASE + 400]);
  await client.query('update drv_items set qty = qty + 1000 where id = $1', [BASE + 1]);
  r = await client.query('commit');
  out('tx.commit', r.command);
  await client.query('begin');
  await client.query("insert into drv_items (id, name, qty) values ($1, 'rolled back', 1)", [BASE + 401]);
  await client.query('delete from drv_items where id = $1', [BASE + 2]);
  r = await client.query('select count(*) from drv_items where id = any($1::bigint[])', [ids(401, 2)]);
  out('tx.inside', r.rows);
  r = await client.query('rollback');
  out('tx.rollback', r.command);
  r = await client.query('select id, name, qty from drv_items where id = any($1::bigint[]) order by id', [ids(1, 2, 400, 401)]);
  out('tx.after', r.rows);

  // an error inside a transaction aborts it until ROLLBACK; the connection stays usable
  await client.query('begin');
  await client.query("insert into drv_items (id, name) values ($1, 'tx')", [BASE + 402]);
  await c.expectError('tx.duplicate', client.query("insert into drv_items (id, name) values ($1, 'dup')", [BASE + 1]));
  await c.expectError('tx.aborted', client.query('select 1'));
  await client.query('rollback');
  r = await client.query('select count(*) from drv_items where id = $1', [BASE + 402]);
  out('tx.aborted.after_rollback', r.rows);

  // errors in autocommit, each followed by more work on the same connection
  await c.expectError('error.unique', client.query("insert into drv_items (id, name) values ($1, 'dup')", [BASE + 3]));
  await c.expectError('error.division', client.query('select 1 / $1::int', [0]));
  await c.expectError('error.division_named', client.query({ name: 'drv-divide', text: 'select 10 / $1::int', values: [0] }));
  await c.expectError('error.syntax', client.query('selec $1::int', [1]));
  await c.expectError('error.syntax_simple', client.query('selec 1'));
  await c.expectError('error.undefined_table', client.query('select * from drv_no_such_table where id = $1', [1]));
  await c.expectError('error.bad_param', client.query('select $1::int', ['not a number']));
  r = await client.query('select count(*) from drv_items where id between $1 and $2', [BASE, BASE + 999999]);
  out('error.after', r.rows);
  r = await client.query({ name: 'drv-divide', text: 'select 10 / $1::int', values: [5] });
  out('error.named_again', r.rows);
  r = await client.query({ name: 'drv-by-id', text: 'select id, name, qty, price from drv_items where id = $1', values: [BASE + 1] });
  out('error.prepared_again', r.rows);

  // NULL in every column and as parameters
  await client.query('insert into drv_types (id) values ($1)', [BASE + 2]);
  r = await client.query('select * from drv_types where id = $1', [BASE + 2]);
  out('nulls.row', r.rows);
  r = await client.query({ text: TYPES_BINARY, values: [BASE + 2], binary: true, types: rawBinary });
  out('nulls.row.binary', r.rows);
  r = await client.query("select $1::int is null as a, $2::text is null as b, coalesce($3::text, 'fallback') as c", [null, null, null]);
  out('nulls.params', r.rows);

  // every type: written through parameters, read back in text and in binary, and as literals
  const placeholders = c.TYPE_COLUMNS.map((_, i) => '$' + (i + 2)).join(', ');
  r = await client.query('insert into drv_types (id, ' + c.TYPE_COLUMNS.join(', ') + ') values ($1, ' + placeholders + ')',
    [BASE + 1, ...c.TYPE_VALUES]);
  out('types.insert', r.rowCount);
  for (const [label, binary] of [['types', false], ['types.binary', true]]) {
    r = await client.query({ text: binary ? TYPES_BINARY : 'select * from drv_types where id = $1', values: [BASE + 1], binary, types: rawBinary });
    out(label + '.fields', r.fields.map((f) => [f.name, f.dataTypeID < 16384 ? f.dataTypeID : 'user-type', f.format]));
    for (const f of r.fields) out(label + '.' + f.name, r.rows[0][f.name]);
  }
  for (const [label, binary] of [['literal', false], ['literal.binary', true]]) {
    r = await client.query({ text: binary ? LITERAL_BINARY : c.LITERAL_SELECT, binary, types: rawBinary, queryMode: 'extended' });
    for (const f of r.fields) out(label + '.' + f.name, r.rows[0][f.name]);
  }
  r = await client.query("select id, c_int4_arr[2] is null as a, array_length(c_text_arr, 1) as b, c_jsonb->'b'->2 as c," +
    ' c_bytea = $1 as d, c_uuid = $2 as e from drv_types where id = $3', [c.TYPE_VALUES[9], c.TYPE_VALUES[15], BASE + 1]);
  out('types.server_side', r.rows);

  // a large result streamed through a cursor (portal with a row limit)
  for (const [label, sql, size] of [['stream.cursor', 'select id, v, n from drv_stream where id > $1 order by id', 1000],
    ['stream.cursor_desc', 'select id, v, n from drv_stream where id > $1 order by id desc', 333]]) {
    const sum = new c.Checksum();
    const cursor = client.query(new Cursor(sql, [0]));
    for (let rows = await cursor.read(size); rows.length > 0; rows = await cursor.read(size)) {
      rows.forEach((row) => sum.add(row));
    }
    await cursor.close();
    sum.emit(label);
  }

  // a fan-out read of everything this client wrote
  r = await client.query('select id, name, qty, price, note from drv_items where id between $1 and $2 order by id', [BASE, BASE + 999999]);
  out('final.count', r.rowCount);
  r.rows.forEach((row) => out('final.row', row));
  await client.end();
  out('done', true);
}

c.run(main);
