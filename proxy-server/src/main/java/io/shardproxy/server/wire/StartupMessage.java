package io.shardproxy.server.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * StartupMessage: the client's first real packet (after an optional SSLRequest or GSSENCRequest).
 * Untyped, like every startup packet:
 *
 * <pre>
 * Int32    length, including itself (at most 10000 after the length word, as PostgreSQL allows)
 * Int32    protocol version: major (3) in the high 16 bits, minor in the low 16 bits
 * { String name, String value }*   run-time parameters: user, database, options, application_name,
 *                                  client_encoding, _pq_.* protocol options ...
 * Byte1(0) terminator (an empty name)
 * </pre>
 *
 * @param protocolVersion the requested version as sent, minor version included
 * @param parameters      the parameters in the order sent; a repeated name keeps its last value
 */
public record StartupMessage(int protocolVersion, Map<String, String> parameters) implements FrontendMessage {

    public StartupMessage {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public int majorVersion() {
        return protocolVersion >>> 16;
    }

    public int minorVersion() {
        return protocolVersion & 0xFFFF;
    }

    /** The "user" parameter, or null when the client sent none. */
    public String user() {
        return parameters.get("user");
    }

    /** The "database" parameter; PostgreSQL defaults it to the user name. */
    public String database() {
        return parameters.getOrDefault("database", user());
    }

    static StartupMessage read(BodyReader body, int protocolVersion) {
        Map<String, String> parameters = new LinkedHashMap<>();
        while (true) {
            if (!body.hasRemaining()) {
                throw body.violation("missing terminator after the last parameter");
            }
            String name = body.cstring("parameter name");
            if (name.isEmpty()) {
                break;
            }
            parameters.put(name, body.cstring("value of parameter " + name));
        }
        body.end();
        return new StartupMessage(protocolVersion, parameters);
    }
}
