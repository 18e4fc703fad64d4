-- Queries the proxy supports, run through the proxy and on the oracle; the answers must be
-- identical. One query per line; lines starting with -- and blank lines are skipped. A query with
-- ORDER BY at its top level is compared in order, so its ORDER BY must be total (end with id, or
-- order by unique keys, or tie only rows that print the same); any other query is compared as a
-- multiset of rows.
-- A line starting with "~ " compares its float columns with a relative tolerance of 1e-12 and
-- everything else exactly: for float aggregates (variance, stddev, corr, covar, regr) combined
-- from shard partials, which may differ from PostgreSQL's in the last digit as PostgreSQL's own
-- parallel aggregation does. Such a line must order its rows or return one.
-- Tables: diff_items(id int pk, grp int, name text, price numeric(10,2), qty int, big bigint,
--         score float8, created timestamp, flag boolean, amount numeric, seen timestamptz),
--         sharded by id mod 4;
--         diff_groups(grp int pk, label text), a reference table;
--         diff_types(id int pk, cat text, i2 smallint, i4 int, i8 bigint, n numeric, f4 real,
--         f8 float8, b boolean, d date, ts timestamp, tz timestamptz, u uuid, bin bytea, t text,
--         iv interval), sharded by id mod 4: see DifferentialRows for the values.

-- point selects and key predicates
select * from diff_items where id = 7
select * from diff_items where id = -13
select name, price from diff_items where id = 100000
select * from diff_items where id in (1, 2, 3, 50, -7, 999) order by id
select id, name from diff_items where id = any(array[4, 8, 15, 16, 23, 42]) order by id
select id, qty from diff_items where id in (5, 6, 7, 8) and qty > 0
select id, name from diff_items where abs(mod(id, 4)) = 2 order by id
select count(*) from diff_items where abs(mod(id, 4)) = 3
select id, coalesce(price, 0) as price_or_zero, name || '!' as shout from diff_items where id = 12

-- fan-out with ORDER BY on each type, directions, NULLS FIRST/LAST, several keys
select * from diff_items order by id
select * from diff_items order by id desc
select id, price from diff_items order by price, id
select id, price from diff_items order by price desc, id desc
select id, price from diff_items order by price nulls first, id
select id, price from diff_items order by price desc nulls last, id
select id, name from diff_items order by name, id
select id, name from diff_items order by name desc, id
select id, name from diff_items order by name nulls first, id desc
select id, created from diff_items order by created, id
select id, created from diff_items order by created desc nulls last, id
select id, flag from diff_items order by flag, id
select id, flag from diff_items order by flag desc, id
select id, big from diff_items order by big, id
select id, amount from diff_items order by amount desc nulls first, id
select id, seen from diff_items order by seen, id
select id, score from diff_items order by score desc, id
select id, grp, qty from diff_items order by grp desc, qty, id
select id, grp, name, price from diff_items order by grp nulls first, name desc nulls last, price, id
select id, qty from diff_items order by qty * 2 desc, id
select name from diff_items order by id desc
select id, price * qty as total from diff_items order by total desc nulls last, id
select lower(name) as l, id from diff_items order by l, id
select id, name from diff_items order by 2, 1
select id from diff_items where qty > 50 order by id
select id, -qty as neg from diff_items order by neg nulls first, id
select id from diff_items order by abs(id), id
select 'x' as c, qty from diff_items order by id
select id, name from diff_items where name ilike 'a%' or name is null order by name desc nulls first, id
select * from diff_items where id = 5 or id = 6 order by id
select id from diff_items where id between -3 and 3 order by id

-- LIMIT and OFFSET
select id from diff_items order by id limit 10
select id, name from diff_items order by id desc limit 5 offset 7
select id from diff_items order by id limit 0
select id from diff_items limit 0
select id from diff_items order by id offset 100000
select id from diff_items order by id limit 5 offset 398
select * from diff_items order by price nulls first, id limit 3
select id, name from diff_items order by name, id offset 390
select id, created from diff_items order by created, id limit 4 offset 2
select id from diff_items order by id fetch first 3 rows only
select id from diff_items order by id limit all
select id from diff_items order by id desc offset 395
select id from diff_items order by id limit 3 offset 0
select distinct id from diff_items order by id desc limit 3
select count(*) from diff_items limit 0
select count(*) from diff_items offset 1
select sum(qty) from diff_items limit 1

-- aggregates without GROUP BY
select count(*) from diff_items
select count(*), count(price), count(name), count(flag) from diff_items
select sum(qty), min(qty), max(qty), avg(qty) from diff_items
select sum(price), avg(price), min(price), max(price) from diff_items
select sum(big), avg(big), min(big), max(big) from diff_items
select sum(amount), avg(amount), min(amount), max(amount), count(amount) from diff_items
select avg(amount) from diff_items where id in (1, 2, 3, 4, 5, 6, 7, 8)
select avg(amount), sum(amount) from diff_items where amount < 1000
select min(seen), max(seen) from diff_items
select min(name), max(name) from diff_items
select min(created), max(created), min(score), max(score) from diff_items
select count(*), sum(qty), avg(qty), min(qty), max(price) from diff_items where id > 1000000
select count(price), sum(price), avg(price), min(price), max(price) from diff_items where price is null
select avg(id), avg(id::numeric), avg(id::bigint), avg(qty::smallint) from diff_items
select sum(id::bigint), sum(qty::smallint), sum(price * qty) from diff_items
select count(*) as n, sum(qty) as total, avg(price) as mean from diff_items where grp = 3
select avg(price) from diff_items where id in (1, 2, 3)
select max(id), min(id) from diff_items where abs(mod(id, 4)) = 1
select count(*) filter (where flag), sum(qty) filter (where price > 0) from diff_items
select sum(qty) from diff_items where id = 3
select sum(qty), count(*), max(name) from diff_items where false
select min(created::date), max(created::date), count(created) from diff_items

-- GROUP BY, DISTINCT and windows that include the shard key
select id, count(*) from diff_items group by id order by id
select id, sum(qty) from diff_items group by id having sum(qty) > 50 order by id
select id, max(name) from diff_items group by id
select id, grp, count(*) from diff_items group by id, grp order by grp nulls first, id
select distinct id, grp from diff_items order by id
select distinct on (id) id, name from diff_items order by id, name
select id, row_number() over (partition by id order by qty) as rn from diff_items order by id

-- joins with the reference table
select i.id, g.label from diff_items i join diff_groups g on g.grp = i.grp order by i.id
select i.id, g.label from diff_items i left join diff_groups g on g.grp = i.grp where i.id = 11
select g.label, i.name from diff_groups g join diff_items i on i.grp = g.grp where i.id in (1, 2, 3) order by i.id
select i.id, i.name from diff_items i where i.grp in (select grp from diff_groups where label like 'g%') and i.id = 5

-- reference-table reads
select * from diff_groups order by grp
select count(*), max(label) from diff_groups
select label from diff_groups where grp = 2

-- no table
select 1
select 1 + 1 as two, 'abc' || 'déf' as s, 7 / 2 as i, 7.0 / 2 as n, null::int as nothing
select upper('héllo'), length('日本語'), abs(-5), mod(-7, 4), round(2.5), 10::numeric(5, 2)
select '2026-01-01'::date + 30 as d, '2026-01-01 10:00'::timestamp as ts, true and null as b

-- ORDER BY on each type: NaN above every number, -0 = 0, infinities, BC and infinite dates,
-- uuid and bytea as unsigned bytes, text in C order ('B' < 'a' < 'b', accents and non-Latin after ASCII)
select id, i2 from diff_types order by i2, id
select id, i2 from diff_types order by i2 desc nulls last, id desc
select id, i4, i8 from diff_types order by i8 desc, id
select id, n from diff_types order by n, id
select id, n from diff_types order by n desc nulls last, id
select id, f4 from diff_types order by f4, id
select id, f4 from diff_types order by f4 desc nulls last, id
select id, f8 from diff_types order by f8, id
select id, f8 from diff_types order by f8 desc, id
select id, f8 from diff_types order by f8 nulls first, id desc
select id, b from diff_types order by b nulls first, id
select id, d from diff_types order by d, id
select id, d from diff_types order by d desc nulls last, id
select id, ts from diff_types order by ts, id
select id, ts from diff_types order by ts desc, id
select id, tz from diff_types order by tz, id
select id, tz from diff_types order by tz desc nulls last, id
select id, u from diff_types order by u, id
select id, u from diff_types order by u desc, id
select id, bin from diff_types order by bin, id
select id, bin from diff_types order by bin desc nulls last, id
select id, t from diff_types order by t, id
select id, t from diff_types order by t desc, id
select id, t from diff_types order by t nulls first, id
select id, t, cat from diff_types order by cat, t desc, id
select id, b, d, i2 from diff_types order by b desc, d, i2 nulls first, id
select * from diff_types order by id desc
select id, iv from diff_types order by iv, id
select id, iv from diff_types order by iv desc, id
select ID, T from diff_types order by T, Id
select id as "ID", t as "T" from diff_types order by "T", "ID"
select id, t::varchar(3) as v from diff_types order by v, id
select id, t::char(5) as c from diff_types order by c desc, id
select id, ts::time as tm from diff_types where ts between '2000-01-01' and '2100-01-01' order by tm, id
select id, extract(epoch from ts) as e from diff_types order by e, id
select id, case when f8 = 'NaN' then 'NaN'::numeric when f8 = 'Infinity' then 'Infinity'::numeric else n end as x from diff_types order by x, id
select id, (f8 * 1e300) as big from diff_types where f8 between -10000 and 10000 order by big, id

-- ORDER BY expressions, aliases and positions
select id, f8 * 2 as twice from diff_types order by twice, id
select id, upper(t) as ut from diff_types order by 2, 1
select id, t from diff_types order by t || 'x', id
select id, d from diff_types order by d + 1 desc nulls last, id
select id, ts::date as day from diff_types order by day, ts, id
select t, id from diff_types order by 1 desc, 2
select id, tz from diff_types order by date_trunc('hour', tz), id
select id, length(t) from diff_types order by length(t) desc, t, id
select id, i2, i4 from diff_types order by i2 * i4 nulls first, id
select id, n from diff_types order by abs(n), id
select id, -f8 as neg from diff_types order by neg, id
select id, u::text as ut from diff_types order by u::text desc, id
select id, i8 from diff_types order by i8::numeric / 3, id

-- LIMIT and OFFSET, also after GROUP BY and DISTINCT
select id, t from diff_types order by t, id limit 0
select id, f8 from diff_types order by f8 desc, id limit 7 offset 3
select id from diff_types order by id offset 240
select id from diff_types order by id limit 10 offset 1000
select cat, count(*) from diff_types group by cat order by cat limit 2 offset 1
select cat, count(*) from diff_types group by cat order by count(*) desc, cat limit 3
select cat, sum(i4) from diff_types group by cat limit 0
select cat, count(*) from diff_types group by cat order by cat offset 100
select grp, count(*) from diff_items group by grp order by grp nulls first limit 2 offset 3
select distinct cat from diff_types order by cat limit 3 offset 2
select distinct i2 from diff_types order by i2 desc nulls last limit 4
select distinct b from diff_types order by b offset 5
select distinct on (cat) cat, id, t from diff_types order by cat, id limit 3 offset 1
select distinct t from diff_types order by t limit 0
select t, count(*) from diff_types group by t order by t desc limit 5 offset 3
select i2, sum(i4), count(*) from diff_types group by i2 having sum(i4) > 0 order by sum(i4) desc limit 3 offset 1
select distinct cat, i2 from diff_types order by i2, cat limit 10 offset 5
select count(*) from diff_types group by cat order by 1 desc limit 1
select id, i2 from diff_types order by i2, id offset 5 rows fetch next 3 rows only

-- aggregates over the whole table, over empty input and over NULL-only input
select count(*), count(i2), count(n), count(f8), count(b), count(u), count(bin), count(t), count(iv) from diff_types
select sum(i2), sum(i4), sum(i8), sum(n) from diff_types
select avg(i2), avg(i4), avg(i8), avg(n) from diff_types
select sum(f4), sum(f8), avg(f4), avg(f8) from diff_types
select sum(f4), sum(f8), avg(f4), avg(f8) from diff_types where f8 between -10000 and 10000 and f4 between -1000 and 1000
select min(i2), max(i2), min(i8), max(i8), min(n), max(n) from diff_types
select min(f4), max(f4), min(f8), max(f8) from diff_types
select min(d), max(d), min(ts), max(ts), min(tz), max(tz) from diff_types
select min(t), max(t), min(u::text), max(u::text) from diff_types
select bool_and(b), bool_or(b), every(b) from diff_types
select bool_and(b), bool_or(b), every(b) from diff_types where b is null
select var_pop(i4), var_samp(i4), variance(i2), stddev(i8), stddev_pop(n), stddev_samp(n) from diff_types
select variance(i4), stddev(i4), var_pop(n), stddev_pop(i8) from diff_types where i4 > 100000
~ select var_pop(f8), var_samp(f8), stddev_pop(f8), stddev_samp(f8) from diff_types where f8 between -10000 and 10000
~ select var_pop(f4), variance(f4), stddev(f4) from diff_types where f4 between -1000 and 1000
~ select corr(f8, i4), covar_pop(f8, i4), covar_samp(f8, i4) from diff_types where f8 between -10000 and 10000
~ select regr_avgx(f8, i4), regr_avgy(f8, i4), regr_count(f8, i4), regr_intercept(f8, i4), regr_r2(f8, i4), regr_slope(f8, i4) from diff_types where f8 between -10000 and 10000
~ select regr_sxx(f8, i4), regr_sxy(f8, i4), regr_syy(f8, i4) from diff_types where f8 between -10000 and 10000
select corr(f8, i4), regr_count(i4, i2), covar_pop(i4, i2), regr_sxx(f8, i4) from diff_types where false
select string_agg(t, ',' order by t) from diff_types
select string_agg(t, '|' order by id) from diff_types where cat = 'alpha'
select string_agg(t, ', ' order by t desc) filter (where b) from diff_types
select array_agg(id order by id desc) from diff_types where b
select array_agg(i2 order by i2 nulls first) from diff_types where cat = 'gamma'
select array_agg(d order by d desc nulls last) from diff_types where cat = 'Beta'
select count(distinct t) from diff_types
select count(distinct i2), sum(distinct i2), avg(distinct i2), min(distinct i2), max(distinct i2) from diff_types
select count(distinct u) from diff_types
select count(distinct d), min(distinct d), max(distinct d) from diff_types
select count(distinct bin) from diff_types
select sum(distinct i4), count(*), count(i4) from diff_types
select count(*), sum(i4), min(t), max(u::text), avg(n), bool_or(b) from diff_types where false
select count(*), count(i2), sum(i2), avg(n), min(t), max(d), bool_and(b), var_pop(i4), stddev(n) from diff_types where cat = 'void'
select string_agg(t, ',' order by t), array_agg(f8 order by f8) from diff_types where cat = 'void'
select count(distinct iv), min(iv), max(iv) from diff_types
select count(distinct f8), min(distinct f8), max(distinct f8) from diff_types
select sum(distinct i8), avg(distinct i8) from diff_types
select sum(i8), sum(i8::numeric * i8), avg(i8) from diff_types
select sum(extract(epoch from ts)) from diff_types

-- GROUP BY text, int, numeric, bool, date, uuid, bytea and date_trunc keys; groups empty on some
-- shards (solo) and groups of NULL-only values (void)
select cat, count(*), count(i2), sum(i2), avg(i2), min(i2), max(i2) from diff_types group by cat order by cat
select cat, sum(i8), avg(i8), sum(n), avg(n) from diff_types group by cat order by cat nulls first
select cat, min(t), max(t), min(d), max(ts), min(tz) from diff_types group by cat order by cat desc
select cat, bool_and(b), bool_or(b), every(b) from diff_types group by cat order by cat
select cat, var_pop(i4), var_samp(i4), stddev_pop(i2), stddev_samp(i8), variance(n) from diff_types group by cat order by cat
~ select cat, var_pop(f8), stddev(f8) from diff_types where f8 between -10000 and 10000 group by cat order by cat
~ select cat, corr(f8, i4), covar_samp(f8, i4), regr_slope(f8, i4), regr_r2(f8, i4) from diff_types where f8 between -10000 and 10000 group by cat order by cat
select cat, string_agg(t, '/' order by t) from diff_types group by cat order by cat
select cat, array_agg(id order by id) from diff_types group by cat order by cat
select cat, array_agg(u order by u desc) from diff_types group by cat order by cat
select t, count(*) from diff_types group by t order by t
select t, count(*) from diff_types group by t order by count(*) desc, t
select i2, count(*), sum(i4) from diff_types group by i2 order by i2 nulls first
select b, count(*), avg(i4) from diff_types group by b
select d, count(*) from diff_types group by d order by d desc
select date_trunc('month', ts) as m, count(*), min(ts), max(ts) from diff_types group by m order by m
select date_trunc('day', tz) as day, count(*) from diff_types group by 1 order by 1 nulls first
select date_trunc('week', created), count(*), sum(qty) from diff_items group by 1 order by 1
select u, count(*) from diff_types group by u order by u
select bin, count(*) from diff_types group by bin order by bin nulls first
select price, count(*) from diff_items group by price order by price desc nulls last
select round(n, 1) as r, count(*) from diff_types group by r order by r
select f4, count(*) from diff_types where f4 <> 0 group by f4 order by f4 desc
select lower(t) as lt, count(*) from diff_types group by lower(t) order by lt
select cat, i2, count(*) from diff_types group by cat, i2 order by cat, i2
select cat, count(*) from diff_types group by cat
select length(t), count(*) from diff_types group by length(t) order by 2 desc, 1
select cat, count(*), sum(i2), avg(f8), min(t), count(bin) from diff_types where cat in ('solo', 'void') group by cat order by cat
select cat, count(*) filter (where b), sum(i4) filter (where i4 > 0) from diff_types group by cat order by cat
select grp, count(*), sum(qty) from diff_items where false group by grp
select g.label, count(*), sum(i.qty) from diff_items i join diff_groups g on g.grp = i.grp group by g.label order by g.label
select cat, sum(i4) filter (where false), avg(i4) filter (where i4 > 100000), count(i4) filter (where false), bool_and(b) filter (where false) from diff_types group by cat order by cat
select cat, var_samp(i4) filter (where id % 8 = 1), var_pop(i4) filter (where id % 8 = 1), stddev(n) filter (where id % 8 = 1) from diff_types group by cat order by cat
select cat, string_agg(t, ',' order by t) filter (where false), array_agg(id order by id) filter (where id < -30) from diff_types group by cat order by cat
select cat, array_agg(t order by t nulls first), array_agg(bin order by bin) from diff_types group by cat order by cat
select cat, array_agg(tz order by tz desc) from diff_types group by cat order by cat
select cat, string_agg(t, E'\t' order by id desc) from diff_types group by cat order by cat
select cat, string_agg(t, null order by t) from diff_types group by cat order by cat
select justify_interval(iv) as j, count(*) from diff_types group by 1 order by 1
select cat, min(iv), max(iv) from diff_types group by cat order by cat
select extract(year from d) as y, count(*) from diff_types group by 1 order by 1
select i4 > 0 as pos, count(*) from diff_types group by i4 > 0 order by 1
select lower(t) as t, count(*) from diff_types group by t order by 1, 2
select Cat, Count(*) as N from diff_types group by Cat order by N desc, Cat
select 1 as one, cat, 'x' as x from diff_types group by cat order by cat
select count(*) from diff_types group by cat
select i.grp, g.label, count(*) from diff_items i left join diff_groups g on g.grp = i.grp group by i.grp, g.label order by i.grp nulls first

-- HAVING, evaluated after the groups of all shards are combined
select cat, count(*) from diff_types group by cat having count(*) > 40 order by cat
select i2, sum(i4) from diff_types group by i2 having sum(i4) < 0 or i2 is null order by i2
select t, count(*) from diff_types group by t having count(*) >= 2 and min(i4) > -900 order by t
select cat, avg(i4) from diff_types group by cat having avg(i4) > 0 order by avg(i4)
select cat, max(d) from diff_types group by cat having not (max(d) = 'infinity') order by cat
select cat, count(*) from diff_types group by cat having sum(i2) is null order by cat
select grp, count(*) from diff_items group by grp having count(*) <> 50 and grp <> 3 order by grp
select cat, count(*) from diff_types group by cat having max(t) > 'b' order by cat
select cat, max(tz) from diff_types group by cat having max(tz) > '2026-02-05 00:00:00+00' order by cat
select cat, max(d) from diff_types group by cat having max(d) > '2026-02-01'::date order by cat
select cat, avg(i4) from diff_types group by cat having avg(i4) > 1.5 order by cat
select cat, min(i4), max(i2) from diff_types group by cat having min(i4) < max(i2) order by cat
select cat, count(*) from diff_types group by cat having cat < 'a' order by cat
select cat, max(t) from diff_types group by cat having max(t) >= 'Ω' order by cat
select cat from diff_types group by cat having bool_or(b) = true order by cat
select cat, every(i2 > -5) from diff_types group by cat having every(i2 > -5) = false order by cat
select count(*) from diff_types having count(*) > 0

-- ORDER BY aggregates
select cat, sum(i4) from diff_types group by cat order by sum(i4) desc nulls last
select i2, count(*) as n from diff_types group by i2 order by n, i2 nulls first
select cat, count(*) from diff_types group by cat order by max(t), cat
select cat, avg(n) from diff_types group by cat order by 2 desc nulls first, 1
select t, min(id) from diff_types group by t order by min(id) desc limit 5

-- DISTINCT and DISTINCT ON
select distinct cat from diff_types
select distinct t from diff_types order by t
select distinct cat, b from diff_types order by cat, b
select distinct d from diff_types order by d desc nulls last
select distinct u from diff_types order by u
select distinct lower(t) from diff_types order by 1
select distinct on (cat) cat, id, t from diff_types order by cat, id
select distinct on (cat) cat, i4, id from diff_types order by cat, i4 desc nulls last, id
select distinct on (t) t, id from diff_types order by t desc, id
select distinct on (b, cat) b, cat, id from diff_types order by b, cat, id
select distinct on (d) d, ts, id from diff_types order by d nulls first, ts, id
select distinct on (i2) i2, id from diff_types order by i2, id limit 4
select distinct justify_interval(iv) from diff_types order by 1
select distinct on (lower(t)) lower(t), t, id from diff_types order by lower(t), id
select distinct on (date_trunc('month', ts)) date_trunc('month', ts) as m, id from diff_types order by date_trunc('month', ts), id

-- count(DISTINCT) with GROUP BY
select cat, count(distinct i2) from diff_types group by cat order by cat
select cat, count(distinct t), count(*) from diff_types group by cat order by cat
select b, count(distinct d), min(distinct d) from diff_types group by b order by b
select grp, count(distinct name) from diff_items group by grp order by grp
select count(distinct id) from diff_types

-- pushed down whole: grouped by, distinct on and windows partitioned by the key; one shard by the key
select id, count(*), min(t) from diff_types group by id order by id
select distinct on (id) id, t from diff_types order by id, t
select id, sum(i4) over (partition by id) from diff_types order by id
select id, rank() over (partition by id order by t) from diff_types
select id, t, count(*) over w from diff_types window w as (partition by id) order by id
select cat, count(*), sum(i4) from diff_types where id = 5 group by cat
select id, t from diff_types where id in (1, 5, 9, 13) order by t, id
select id, row_number() over (partition by id order by t), sum(i4) over (partition by id) from diff_types where id < 0 order by id
