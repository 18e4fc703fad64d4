'use strict';
// postgres.js (postgres) client of DriverMatrixTest (see common.js for the transcript rules).
//
// postgres.js runs every tagged-template query as a named prepared statement (Parse once per
// connection, then Bind/Execute), describes statements to learn parameter types, fetches the
// array types from the catalog when it connects, and pipelines: queries issued together are
// written to the socket without waiting for the previous answer. With max: 1 every query here
// shares one connection, so Promise.all really pipelines.
//
//   node postgresjs_client.js HOST PORT USER PASSWORD DBNAME

const postgres = require('postgres');
const c = require('./common');

const { out } = c;
const BASE = 5000000; // this client's ids in drv_items and drv_types: BASE .. BASE + 999999

/** A result's rows and, for a command without rows, its tag and count. */
function result(r) {
  return r.length > 0 || r.command === 'SELECT' ? Array.from(r) : [r.command, r.count];
}

async function main() {
  const a = c.args();
  const sql = postgres({
    host: a.host, port: a.port, user: a.user, password: a.password, database: a.database,
    max: 1, connect_timeout: 10, idle_timeout: 0, onnotice: () => {},
    connection: { application_name: 'drv-postgresjs' },
  });
  await sql`delete from drv_items where id between ${BASE} and ${BASE + 999999}`;
  await sql`delete from drv_types where id between ${BASE} and ${BASE + 999999}`;
  out('connected', true);
  for (const name of ['client_encoding', 'DateStyle', 'integer_datetimes', 'standard_conforming_strings', 'TimeZone']) {
    out('parameter.' + name, sql.parameters[name]);
  }

  // parameters, typed by the server's parameter description
  let r = await sql`select ${1}::int + ${2}::int as sum, ${"it's"}::text || 'x' as t, ${null}::text as nothing, ${true}::bool as yes`;
  out('params.columns', r.columns.map((col) => [col.name, col.type]));
  out('params.rows', result(r));
  out('params.statement_types', r.statement.types);
  for (let i = 1; i <= 10; i++) {
    r = await sql`insert into drv_items (id, name, qty, price, note)
                  values (${BASE + i}, ${'item ' + i}, ${i * 10}, ${i + '.25'}, ${i % 3 ? null : 'n' + i})`;
    out('insert', i, result(r));
  }
  out('select.by_id', result(await sql`select id, name, qty, price, note from drv_items where id = ${BASE + 3}`));
  out('select.in_list', result(await sql`select id, name from drv_items where id in ${sql([BASE + 2, BASE + 5, BASE + 9])} order by id`));
  out('select.values', result(await sql`select id, name, qty from drv_items where id = ${BASE + 4}`.values()));

  // the same statement again and again: parsed once, then only bound
  for (let i = 1; i <= 8; i++) {
    r = await sql`select id, name, qty, price from drv_items where id = ${BASE + i}`;
    out('prepared.reuse', i, result(r));
  }

  // a batch: a multi-row insert, then single inserts pipelined on the one connection
  const batchRows = [];
  for (let i = 0; i < 20; i++) batchRows.push({ id: BASE + 100 + i, name: 'batch ' + i, qty: i, price: (i / 4).toFixed(2) });
  out('batch.multirow', result(await sql`insert into drv_items ${sql(batchRows, 'id', 'name', 'qty', 'price')}`));
  const piped = [];
  for (let i = 0; i < 20; i++) {
    piped.push(sql`insert into drv_items (id, name, qty) values (${BASE + 200 + i}, ${'pipe ' + i}, ${i})`);
  }
  piped.push(sql`select count(*) from drv_items where id between ${BASE + 200} and ${BASE + 219}`);
  out('batch.pipelined', (await Promise.all(piped)).map(result));
  out('batch.totals', result(await sql`select count(*), sum(qty), sum(price), min(name), max(name) from drv_items
                                       where id between ${BASE + 100} and ${BASE + 299}`));

  // pipelined reads of different shapes, answered in order
  const reads = await Promise.all([
    sql`select ${1}::int as one`,
    sql`select id from drv_items where id = ${BASE + 1}`,
    sql`select count(*) as n from drv_items where id between ${BASE} and ${BASE + 999999}`,
    sql`select ${'x'}::text || ${'y'}::text as xy`,
    sql`select name from drv_items where id = ${BASE + 9}`,
  ]);
  out('pipelined.reads', reads.map(result));

  // transactions: commit, then rollback (a thrown error), each checked by reading back
  r = await sql.begin(async (tx) => {
    await tx`insert into drv_items (id, name, qty) values (${BASE + 400}, 'committed', 1)`;
    await tx`update drv_items set qty = qty + 1000 where id = ${BASE + 1}`;
    return tx`select qty from drv_items where id = ${BASE + 1}`;
  });
  out('tx.commit', result(r));
  const rollback = new Error('roll back');
  try {
    await sql.begin(async (tx) => {
      await tx`insert into drv_items (id, name, qty) values (${BASE + 401}, 'rolled back', 1)`;
      await tx`delete from drv_items where id = ${BASE + 2}`;
      out('tx.inside', result(await tx`select count(*) from drv_items where id in ${sql([BASE + 401, BASE + 2])}`));
      throw rollback;
    });
  } catch (e) {
    if (e !== rollback) throw e;
    out('tx.rolled_back', true);
  }
  out('tx.after', result(await sql`select id, name, qty from drv_items where id in ${sql([BASE + 1, BASE + 2, BASE + 400, BASE + 401])} order by id`));

  // an error inside a transaction aborts it; sql.begin rolls back and rethrows
  await c.expectError('tx.duplicate', sql.begin(async (tx) => {
    await tx`insert into drv_items (id, name) values (${BASE + 402}, 'tx')`;
    await tx`insert into drv_items (id, name) values (${BASE + 1}, 'dup')`;
  }));
  out('tx.aborted.after_rollback', result(await sql`select count(*) from drv_items where id = ${BASE + 402}`));

  // errors in autocommit, each followed by more work on the same connection
  await c.expectError('error.unique', sql`insert into drv_items (id, name) values (${BASE + 3}, 'dup')`);
  await c.expectError('error.division', sql`select 1 / ${0}::int`);
  await c.expectError('error.syntax', sql`selec ${1}::int`);
  await c.expectError('error.undefined_table', sql`select * from drv_no_such_table where id = ${1}`);
  await c.expectError('error.bad_param', sql`select ${'not a number'}::int`);
  const errorsPipelined = await Promise.allSettled([
    sql`select ${10}::int / ${2}::int as ok`,
    sql`select 1 / ${0}::int`,
    sql`select ${'after'}::text as after`,
  ]);
  out('error.pipelined', errorsPipelined.map((s) => (s.status === 'fulfilled' ? result(s.value) : 'sqlstate ' + s.reason.code)));
  out('error.after', result(await sql`select count(*) from drv_items where id between ${BASE} and ${BASE + 999999}`));

  // NULL in every column and as parameters
  await sql`insert into drv_types (id) values (${BASE + 2})`;
  out('nulls.row', result(await sql`select * from drv_types where id = ${BASE + 2}`));
  out('nulls.params', result(await sql`select ${null}::int is null as a, ${null}::text is null as b, coalesce(${null}::text, 'fallback') as c`));

  // every type: written through parameters, read back parsed and as raw bytes, and as literals.
  // (postgres.js 3.4 parses a NULL array element as NaN or "NULL"; the raw bytes show the truth.)
  const v = c.TYPE_VALUES;
  r = await sql`insert into drv_types (id, c_int2, c_int4, c_int8, c_float4, c_float8, c_numeric, c_bool, c_text, c_varchar,
                  c_bytea, c_date, c_time, c_timestamp, c_timestamptz, c_interval, c_uuid, c_json, c_jsonb, c_int4_arr,
                  c_text_arr, c_mood)
                values (${BASE + 1}, ${v[0]}, ${v[1]}, ${v[2]}, ${v[3]}, ${v[4]}, ${v[5]}, ${v[6]}, ${v[7]}, ${v[8]},
                  ${v[9]}, ${v[10]}, ${v[11]}, ${v[12]}, ${v[13]}, ${v[14]}, ${v[15]}, ${v[16]}::text::json, ${v[17]}::text::jsonb,
                  ${sql.array(v[18], 23)}, ${sql.array(v[19], 25)}, ${v[20]})`;
  out('types.insert', result(r));
  r = await sql`select * from drv_types where id = ${BASE + 1}`;
  out('types.columns', r.columns.map((col) => [col.name, col.type < 16384 ? col.type : 'user-type']));
  for (const col of r.columns) out('types.' + col.name, r[0][col.name]);
  r = await sql`select * from drv_types where id = ${BASE + 1}`.raw();
  r[0].forEach((value, i) => out('types.raw.' + ['id', ...c.TYPE_COLUMNS][i], value));
  r = await sql.unsafe(c.LITERAL_SELECT, [], { prepare: true });
  for (const col of r.columns) out('literal.' + col.name, r[0][col.name]);
  r = await sql.unsafe(c.LITERAL_SELECT);
  for (const col of r.columns) out('literal.unprepared.' + col.name, r[0][col.name]);
  out('types.server_side', result(await sql`select id, c_int4_arr[2] is null as a, array_length(c_text_arr, 1) as b,
      c_jsonb->'b'->2 as c, c_bytea = ${v[9]} as d, c_uuid = ${v[15]}::uuid as e from drv_types where id = ${BASE + 1}`));
  out('types.json_param', result(await sql`select ${sql.json({ k: [1, 'two', null] })}::jsonb -> 'k' as k`));

  // a large result streamed: a cursor in batches, then row by row with forEach
  let sum = new c.Checksum();
  await sql`select id, v, n from drv_stream where id > ${0} order by id`.cursor(1000, (rows) => {
    rows.forEach((row) => sum.add(row));
  });
  sum.emit('stream.cursor');
  sum = new c.Checksum();
  for await (const rows of sql`select id, v, n from drv_stream order by id desc`.cursor(333)) {
    rows.forEach((row) => sum.add(row));
  }
  sum.emit('stream.cursor_iteration');
  sum = new c.Checksum();
  await sql`select id, v, n from drv_stream where id > ${10000} order by id`.forEach((row) => sum.add(row));
  sum.emit('stream.for_each');

  // a fan-out read of everything this client wrote
  r = await sql`select id, name, qty, price, note from drv_items where id between ${BASE} and ${BASE + 999999} order by id`;
  out('final.count', r.count);
  r.forEach((row) => out('final.row', row));
  await sql.end({ timeout: 5 });
  out('done', true);
}

c.run(main);
