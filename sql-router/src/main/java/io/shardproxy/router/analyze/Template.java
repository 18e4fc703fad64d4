package io.shardproxy.router.analyze;

import io.shardproxy.router.plan.Plan;

/**
 * The routing analysis of one statement shape, cached and shared by every statement of that
 * shape. Binding it to one statement's literal values gives that statement's plan. Templates are
 * immutable and thread-safe.
 */
public interface Template {

    /** This statement's plan; throws ShardProxyException when it cannot be routed correctly. */
    Plan bind(Binding binding);
}
