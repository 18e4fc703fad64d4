package io.shardproxy.server.session;

/** The client closed its connection while the proxy was sending it a result. */
final class ClientGoneException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClientGoneException() {
        super("client connection closed", null, false, false);
    }
}
