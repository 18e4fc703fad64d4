-- psql client of DriverMatrixTest: catalog commands, whose queries psql builds from pg_catalog.
-- Run with -X -v ON_ERROR_STOP=1 -f; every section starts with an "== " line. Sections marked
-- "(drv_ rows only)" list every relation of the database, and other test classes create tables
-- on the shards that the oracle does not have: those run in unaligned format, and the test keeps
-- only their header and the rows that mention drv_.
\pset pager off
\echo '== \\dt drv_*'
\dt drv_*
\echo '== \\d drv_items'
\d drv_items
\echo '== \\d drv_types'
\d drv_types
\echo '== \\d+ drv_stream'
\d+ drv_stream
\echo '== \\di drv_*'
\di drv_*
\echo '== \\dT+ drv_mood'
\dT+ drv_mood
\echo '== \\dn'
\dn
\echo '== \\l'
-- psql builds \l for the server version it sees; psql 15 asks PostgreSQL 17 for a column 17
-- renamed (daticulocale), so \l runs only when psql is at least as new as the server.
select :VERSION_NUM / 10000 >= :SERVER_VERSION_NUM / 10000 as psql_knows_server \gset
\if :psql_knows_server
\l
\else
\echo '(skipped: psql older than the server)'
\endif
\echo '== \\dt (drv_ rows only)'
\pset format unaligned
\pset footer off
\dt
\echo '== \\d (drv_ rows only)'
\d
\echo '== end'
