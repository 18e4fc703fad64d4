-- The tables of DriverMatrixTest, created on every shard and on the oracle (so \d shows the same
-- thing on both sides). Every client owns an id range of drv_items and drv_types and deletes it
-- when it starts; drv_stream and drv_bench are loaded once by the test and only read (drv_bench
-- is updated by pgbench, which compares nothing). One statement per ';'.
drop table if exists drv_items;
drop table if exists drv_types;
drop table if exists drv_stream;
drop table if exists drv_bench;
drop type if exists drv_mood;
create type drv_mood as enum ('sad', 'ok', 'happy');
create table drv_items (
  id bigint primary key,
  name varchar(40) not null,
  qty integer,
  price numeric(12, 2),
  note text
);
create table drv_types (
  id bigint primary key,
  c_int2 smallint,
  c_int4 integer,
  c_int8 bigint,
  c_float4 real,
  c_float8 double precision,
  c_numeric numeric(20, 6),
  c_bool boolean,
  c_text text,
  c_varchar varchar(20),
  c_bytea bytea,
  c_date date,
  c_time time,
  c_timestamp timestamp,
  c_timestamptz timestamptz,
  c_interval interval,
  c_uuid uuid,
  c_json json,
  c_jsonb jsonb,
  c_int4_arr integer[],
  c_text_arr text[],
  c_mood drv_mood
);
create table drv_stream (
  id integer primary key,
  v text not null,
  n numeric(12, 3) not null
);
create table drv_bench (
  id integer primary key,
  balance integer not null
);
