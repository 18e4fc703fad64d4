"""What the Python clients of DriverMatrixTest share: arguments, the transcript, value rendering
and the fixed rows they write.

Every client prints one line per observation, "label: value", and nothing else on stdout. The
test runs the same client against one plain PostgreSQL (the oracle) and against the proxy, and
the two transcripts must be equal, so a line must depend only on what the server answered: no
times, pids, OIDs of user-defined types or memory addresses. Values are rendered with repr(),
the driver's own Python types made visible (Decimal('1.50'), datetime.date(2024, 2, 29), ...).
An unexpected error is not caught: it ends the client with a traceback on stderr and exit status 1.
"""
import datetime
import decimal
import hashlib
import sys
import uuid

# The columns of drv_types after id, in table order.
TYPE_COLUMNS = [
    "c_int2", "c_int4", "c_int8", "c_float4", "c_float8", "c_numeric", "c_bool", "c_text",
    "c_varchar", "c_bytea", "c_date", "c_time", "c_timestamp", "c_timestamptz", "c_interval",
    "c_uuid", "c_json", "c_jsonb", "c_int4_arr", "c_text_arr", "c_mood",
]

# One value per drv_types column, as Python values; json columns get their text (each driver
# wraps it its own way) and the enum its label.
JSON_TEXT = '{"b": [1, 2.5, {"c": null}], "a": "x \\u00e9"}'
TYPE_VALUES = [
    -32768,
    2147483647,
    -9223372036854775808,
    3.14,
    2.718281828459045,
    decimal.Decimal("-12345678901234.567890"),
    True,
    'h\u00e9llo, "w\u00f6rld" \\ \u2713 tab\tend',
    "varchar \u00fc",
    b"\x00\x01\xfe\xff\\'\"",
    datetime.date(2024, 2, 29),
    datetime.time(23, 59, 59, 999999),
    datetime.datetime(1999, 12, 31, 23, 59, 59, 500000),
    datetime.datetime(2024, 2, 29, 18, 29, 59, 123456,
                      tzinfo=datetime.timezone(datetime.timedelta(hours=5, minutes=30))),
    datetime.timedelta(days=3, hours=4, minutes=5, seconds=6, microseconds=789000),
    uuid.UUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
    JSON_TEXT,
    JSON_TEXT,
    [1, None, 3],
    ["a b", "c,d", None, "", 'q"uote'],
    "happy",
]

# Literals the server types itself, for the edges a client must decode: NaN, infinities, zero
# and huge numerics, empty and NULL values, a two-dimensional array, an interval with months.
LITERAL_SELECT = (
    "select 1::int2 as i2, 2::int4 as i4, 3::int8 as i8, 'NaN'::float4 as f4nan,"
    " '-Infinity'::float8 as f8inf, 'NaN'::numeric as numnan, 0.000001::numeric as numsmall,"
    " 1e20::numeric as numbig, false as b, ''::text as empty, null::text as nothing,"
    " '\\x'::bytea as nobytes, '2000-01-01'::date as d, '00:00'::time as t,"
    " '2000-01-01 00:00'::timestamp as ts, '1970-01-01 00:00:00+00'::timestamptz as tstz,"
    " '1 year 2 mons 3 days -04:05:06.5'::interval as iv,"
    " '00000000-0000-0000-0000-000000000000'::uuid as u, '[]'::json as j,"
    " '{\"z\": 1, \"a\": [true, false, null]}'::jsonb as jb, '{{1,2},{3,4}}'::int4[] as grid,"
    " '{}'::text[] as none, array['x', null]::text[] as tarr, 'sad'::drv_mood as mood"
)


def args():
    """host, port, user, password (None when empty), dbname from argv."""
    if len(sys.argv) != 6:
        sys.exit("usage: %s HOST PORT USER PASSWORD DBNAME" % sys.argv[0])
    host, port, user, password, dbname = sys.argv[1:]
    return host, int(port), user, password or None, dbname


def out(label, *values):
    """Prints one transcript line."""
    print(label + ": " + " ".join(render(v) for v in values))


def render(value):
    """repr() of a value, recursing into rows, lists and dicts; bytes-likes as bytes."""
    if isinstance(value, (memoryview, bytearray)):
        return repr(bytes(value))
    if isinstance(value, (list, tuple)) or type(value).__name__ == "Record":
        return "[" + ", ".join(render(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(render(k) + ": " + render(v) for k, v in value.items()) + "}"
    return repr(value)


# Server parameters (ParameterStatus) that drivers read to decode values.
PARAMETERS = ["client_encoding", "DateStyle", "IntervalStyle", "integer_datetimes",
              "standard_conforming_strings", "TimeZone"]


def type_code(oid):
    """A column's type OID; user-defined types have a different OID on every server."""
    return oid if oid < 16384 else "user-type"


class Checksum:
    """Count and SHA-256 of the rendered rows of a streamed result, in order."""

    def __init__(self):
        self.count = 0
        self.digest = hashlib.sha256()
        self.first = None
        self.last = None

    def add(self, row):
        line = render(row)
        self.count += 1
        self.digest.update(line.encode("utf-8") + b"\n")
        if self.first is None:
            self.first = line
        self.last = line

    def emit(self, label):
        print("%s: rows=%d sha256=%s first=%s last=%s"
              % (label, self.count, self.digest.hexdigest(), self.first, self.last))


def expect_error(label, sqlstate_of, action):
    """Runs action, which must fail with a server error; prints its SQLSTATE."""
    try:
        action()
    except Exception as e:  # the driver's own error class; sqlstate_of reads its code
        state = sqlstate_of(e)
        if state is None:
            raise
        print("%s: sqlstate %s" % (label, state))
        return
    raise AssertionError(label + ": expected an error, got none")
