package io.shardproxy.server.wire;

/**
 * CancelRequest: sent on a fresh connection instead of a StartupMessage, to cancel the running
 * query of the session that got this key in its BackendKeyData. Nothing is answered; the
 * connection is closed.
 *
 * <pre>
 * Int32(16)        length
 * Int32(80877102)  the cancel request code
 * Int32            process id of the target session
 * Int32            its secret key
 * </pre>
 */
public record CancelRequest(int processId, int secretKey) implements FrontendMessage {

    @Override
    public String toString() {
        return "CancelRequest[processId=" + processId + "]";
    }

    static CancelRequest read(BodyReader body) {
        CancelRequest request = new CancelRequest(body.int32("process id"), body.int32("secret key"));
        body.end();
        return request;
    }
}
