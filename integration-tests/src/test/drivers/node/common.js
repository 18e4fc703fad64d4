'use strict';
// What the Node.js clients of DriverMatrixTest share: arguments, the transcript, value rendering
// and the fixed rows they write.
//
// Every client prints one line per observation, "label: value", and nothing else on stdout. The
// test runs the same client against one plain PostgreSQL (the oracle) and against the proxy, and
// the two transcripts must be equal, so a line must depend only on what the server answered: no
// times, pids or OIDs of user-defined types. Values are rendered so that the driver's own
// JavaScript types stay visible (a bigint as 12n, a Date as Date(ISO), a Buffer as hex).
// An unexpected error is not caught: it ends the client with exit status 1 and the error on stderr.

const crypto = require('crypto');

// The columns of drv_types after id, in table order.
const TYPE_COLUMNS = [
  'c_int2', 'c_int4', 'c_int8', 'c_float4', 'c_float8', 'c_numeric', 'c_bool', 'c_text',
  'c_varchar', 'c_bytea', 'c_date', 'c_time', 'c_timestamp', 'c_timestamptz', 'c_interval',
  'c_uuid', 'c_json', 'c_jsonb', 'c_int4_arr', 'c_text_arr', 'c_mood',
];

const JSON_TEXT = '{"b": [1, 2.5, {"c": null}], "a": "x \\u00e9"}';

// One value per drv_types column, as the text a client sends (the types the Python clients send
// as native values); arrays as JavaScript arrays, which both drivers serialize themselves.
const TYPE_VALUES = [
  '-32768',
  2147483647,
  '-9223372036854775808',
  3.14,
  2.718281828459045,
  '-12345678901234.567890',
  true,
  'h\u00e9llo, "w\u00f6rld" \\ \u2713 tab\tend',
  'varchar \u00fc',
  Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x5c, 0x27, 0x22]),
  '2024-02-29',
  '23:59:59.999999',
  '1999-12-31 23:59:59.5',
  '2024-02-29 18:29:59.123456+05:30',
  '3 days 04:05:06.789',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  JSON_TEXT,
  JSON_TEXT,
  [1, null, 3],
  ['a b', 'c,d', null, '', 'q"uote'],
  'happy',
];

// The same edge-case literals as the Python clients' LITERAL_SELECT.
const LITERAL_SELECT =
  "select 1::int2 as i2, 2::int4 as i4, 3::int8 as i8, 'NaN'::float4 as f4nan," +
  " '-Infinity'::float8 as f8inf, 'NaN'::numeric as numnan, 0.000001::numeric as numsmall," +
  " 1e20::numeric as numbig, false as b, ''::text as empty, null::text as nothing," +
  " '\\x'::bytea as nobytes, '2000-01-01'::date as d, '00:00'::time as t," +
  " '2000-01-01 00:00'::timestamp as ts, '1970-01-01 00:00:00+00'::timestamptz as tstz," +
  " '1 year 2 mons 3 days -04:05:06.5'::interval as iv," +
  " '00000000-0000-0000-0000-000000000000'::uuid as u, '[]'::json as j," +
  " '{\"z\": 1, \"a\": [true, false, null]}'::jsonb as jb, '{{1,2},{3,4}}'::int4[] as grid," +
  " '{}'::text[] as none, array['x', null]::text[] as tarr, 'sad'::drv_mood as mood";

/** {host, port, user, password (undefined when empty), database} from argv. */
function args() {
  const a = process.argv.slice(2);
  if (a.length !== 5) {
    console.error('usage: node ' + process.argv[1] + ' HOST PORT USER PASSWORD DBNAME');
    process.exit(2);
  }
  return { host: a[0], port: Number(a[1]), user: a[2], password: a[3] || undefined, database: a[4] };
}

const lines = [];

/** Records one transcript line; they are printed when the client ends. */
function out(label, ...values) {
  lines.push(label + ': ' + values.map(render).join(' '));
}

/** Prints the transcript so far, then exits with code (also when a socket would keep Node alive). */
function finish(code) {
  const text = lines.join('\n') + (lines.length ? '\n' : '');
  lines.length = 0;
  process.stdout.write(text, () => process.exit(code));
}

function render(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'bigint') return v + 'n';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Buffer.isBuffer(v)) return 'Buffer(' + v.toString('hex') + ')';
  if (v instanceof Date) return 'Date(' + (isNaN(v.getTime()) ? 'invalid' : v.toISOString()) + ')';
  if (Array.isArray(v)) return '[' + v.map(render).join(', ') + ']';
  const name = v.constructor && v.constructor.name !== 'Object' ? v.constructor.name : '';
  return name + '{' + Object.keys(v).map((k) => JSON.stringify(k) + ': ' + render(v[k])).join(', ') + '}';
}

/** Count and SHA-256 of the rendered rows of a streamed result, in order. */
class Checksum {
  constructor() {
    this.count = 0;
    this.hash = crypto.createHash('sha256');
    this.first = null;
    this.last = null;
  }

  add(row) {
    const line = render(row);
    this.count++;
    this.hash.update(line + '\n');
    if (this.first === null) this.first = line;
    this.last = line;
  }

  emit(label) {
    lines.push(label + ': rows=' + this.count + ' sha256=' + this.hash.digest('hex') + ' first=' + this.first + ' last=' + this.last);
  }
}

/** Awaits promise, which must fail with a server error; records its SQLSTATE. */
async function expectError(label, promise) {
  try {
    await promise;
  } catch (e) {
    if (!e.code || !/^[0-9A-Z]{5}$/.test(e.code)) throw e;
    lines.push(label + ': sqlstate ' + e.code);
    return;
  }
  throw new Error(label + ': expected an error, got none');
}

/** Runs main, printing the transcript so far even when it fails or takes more than 120 s. */
function run(main) {
  const timer = setTimeout(() => {
    console.error('timed out after 120 s');
    finish(3);
  }, 120000);
  main().then(
    () => {
      clearTimeout(timer);
      finish(0);
    },
    (e) => {
      clearTimeout(timer);
      console.error(e && e.stack ? e.stack : e);
      if (e && e.code) console.error('code: ' + e.code);
      finish(1);
    },
  );
}

module.exports = { TYPE_COLUMNS, TYPE_VALUES, JSON_TEXT, LITERAL_SELECT, args, out, render, Checksum, expectError, run };
