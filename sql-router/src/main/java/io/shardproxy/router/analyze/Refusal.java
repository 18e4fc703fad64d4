package io.shardproxy.router.analyze;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.router.plan.Plan;

/** A shape the router has decided it cannot route correctly: every statement of it gets the same error. */
public record Refusal(ShardProxyException error) implements Template {

    @Override
    public Plan bind(Binding binding) {
        throw new ShardProxyException(error.state(), error.getMessage(), error.detail(), error.hint());
    }
}
