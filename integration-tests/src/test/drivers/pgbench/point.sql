-- pgbench script of DriverMatrixTest: a point read and an update by key in one transaction.
-- drv_bench holds ids 1..10000; each transaction adds 1 to one balance, so the sum of balances
-- grows by exactly the number of transactions.
\set id random(1, 10000)
BEGIN;
SELECT balance FROM drv_bench WHERE id = :id;
UPDATE drv_bench SET balance = balance + 1 WHERE id = :id;
END;
