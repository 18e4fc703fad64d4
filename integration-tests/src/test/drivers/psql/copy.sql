-- psql client of DriverMatrixTest: \copy both ways (COPY ... TO STDOUT and FROM STDIN on the
-- wire), in text and csv, with NULLs, tabs, quotes, backslashes, newlines and non-ASCII text,
-- and 20,000 rows in one COPY. Run with -X -v ON_ERROR_STOP=1 -f from an empty working
-- directory: \copy takes no variables, so its files are named relative to it.
-- This client's ids: 3000000 .. 3999999.
\pset pager off
-- quietly: how many rows an earlier run left differs between the two sides
\set QUIET on
delete from drv_items where id between 3000000 and 3999999;
\set QUIET off
\echo '== rows to copy'
insert into drv_items (id, name, qty, price, note) values
  (3000001, 'copy 1', 1, 1.50, E'tab\there'),
  (3000002, 'copy 2', null, null, null),
  (3000003, 'quote "q" and \ backslash', 3, 3.25, 'comma, here'),
  (3000004, E'\u00fcn\u00efcode \u2713', 4, 4.00, E'new\nline'),
  (3000005, 'five', 5, 5.55, '');
\echo '== copy out (text) and back in'
\copy (select id + 100, name, qty, price, note from drv_items where id between 3000001 and 3000005 order by id) to 'items.txt'
\copy drv_items from 'items.txt'
\echo '== copy out (csv, header) and back in'
\copy (select id + 200, name, qty, price, note from drv_items where id between 3000001 and 3000005 order by id) to 'items.csv' with (format csv, header true)
\copy drv_items (id, name, qty, price, note) from 'items.csv' with (format csv, header true)
\echo '== the files'
\! cat items.txt items.csv
\echo '== copy to stdout'
\copy (select id, name, qty, price, note from drv_items where id between 3000000 and 3999999 order by id) to stdout
\copy (select id, name, qty, price, note from drv_items where id between 3000000 and 3999999 order by id) to stdout with (format csv, force_quote *)
\echo '== everything copied, read back'
select id, name, qty, price, note from drv_items where id between 3000000 and 3999999 order by id;
\echo '== 20000 rows out to a file and back in'
\copy (select 3100000 + id, v, id % 100, n, null from drv_stream order by id) to 'big.txt'
\! wc -l < big.txt && md5sum < big.txt
\copy drv_items from 'big.txt'
select count(*), sum(qty), sum(price), min(name), max(name) from drv_items where id between 3100000 and 3199999;
\copy (select id, name, qty, price, note from drv_items where id between 3100000 and 3199999 order by id) to 'back.txt'
\! wc -l < back.txt && md5sum < back.txt
\echo '== a copy that fails (duplicate keys; its SQLSTATE goes to stderr), then the connection is still usable'
\set ON_ERROR_STOP 0
\set VERBOSITY sqlstate
\copy drv_items from 'items.txt'
\set ON_ERROR_STOP 1
select count(*) from drv_items where id between 3000000 and 3999999;
\echo '== end'
