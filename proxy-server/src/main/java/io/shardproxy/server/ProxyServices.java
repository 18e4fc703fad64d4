package io.shardproxy.server;

import io.netty.handler.ssl.SslContext;
import io.shardproxy.config.ProxyConfig;
import io.shardproxy.merge.MergeOptions;
import io.shardproxy.router.Router;
import io.shardproxy.server.exec.ServerParameters;
import io.shardproxy.server.exec.ShardCatalog;
import io.shardproxy.server.exec.ShardPools;
import io.shardproxy.server.session.SessionRegistry;
import io.shardproxy.server.txn.Coordinator;

import java.security.SecureRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every client session shares, passed in through constructors: config, router, shard pools,
 * the worker threads that run blocking shard work, and the registry used by CancelRequest.
 *
 * @param ssl           TLS context, or null when TLS is not configured
 * @param processSecret per-process random bytes for SCRAM exchanges with unknown users
 * @param roundRobin    picks the shard for reads that any shard can answer
 * @param transactions  commits transactions across shards (two-phase commit) and recovers them
 * @param relays        protocol-level shard connections for relayed statements, or null when
 *                      {@code execution.relay} is off
 */
public record ProxyServices(
        ProxyConfig config,
        Router router,
        ShardCatalog catalog,
        ShardPools pools,
        ExecutorService workers,
        ServerParameters parameters,
        SessionRegistry sessions,
        MergeOptions mergeOptions,
        SslContext ssl,
        SecureRandom random,
        byte[] processSecret,
        AtomicInteger roundRobin,
        Coordinator transactions,
        io.shardproxy.server.relay.RelayPool relays) {
}
