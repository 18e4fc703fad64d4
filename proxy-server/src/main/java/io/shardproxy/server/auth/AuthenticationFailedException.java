package io.shardproxy.server.auth;

import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;

/**
 * The client did not prove who it claims to be. Checked, so the session cannot forget to map it.
 *
 * <p>Trap: the reason ("proof does not verify", "unknown user", "nonce does not match") is for the
 * server log only. The client must get the same 28P01 whatever the reason, or it could tell an
 * unknown user from a wrong password: send {@link #clientError(String)}.
 */
public final class AuthenticationFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param reason why, for the server log; never a password, verifier or proof */
    public AuthenticationFailedException(String reason) {
        super(reason);
    }

    /** The one error a client sees for any authentication failure, as PostgreSQL words it. */
    public static ShardProxyException clientError(String user) {
        return new ShardProxyException(SqlState.INVALID_PASSWORD,
                "password authentication failed for user \"" + user + "\"");
    }
}
