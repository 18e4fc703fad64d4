package io.shardproxy.server.wire;

/**
 * CopyFail ('f'): the client aborts COPY FROM STDIN; the proxy answers with an ErrorResponse.
 *
 * <pre>
 * Byte1('f')
 * Int32      length, including itself
 * String     the reason
 * </pre>
 */
public record CopyFail(String message) implements FrontendMessage {

    static CopyFail read(BodyReader body) {
        CopyFail fail = new CopyFail(body.cstring("error message"));
        body.end();
        return fail;
    }
}
