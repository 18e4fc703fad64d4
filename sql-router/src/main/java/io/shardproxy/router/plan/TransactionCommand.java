package io.shardproxy.router.plan;

/** Transaction control statements. */
public enum TransactionCommand { BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, ROLLBACK_TO }
