-- Queries the foundation supports, run through the proxy and on the oracle; the answers must be
-- identical. One query per line; lines starting with -- and blank lines are skipped. A query with
-- ORDER BY at its top level is compared in order, so its ORDER BY must be total (end with id);
-- any other query is compared as a multiset of rows.
-- Tables: diff_items(id int pk, grp int, name text, price numeric(10,2), qty int, big bigint,
--         score float8, created timestamp, flag boolean, amount numeric, seen timestamptz),
--         sharded by id mod 4;
--         diff_groups(grp int pk, label text), a reference table.

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
