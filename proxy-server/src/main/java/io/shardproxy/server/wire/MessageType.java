package io.shardproxy.server.wire;

/**
 * Every type byte and startup code of protocol v3, in one place, with a line on when each occurs.
 * The same byte means different things in each direction ('D' is Describe from the client and
 * DataRow from the server), hence the two nested classes.
 */
public final class MessageType {

    /** Protocol 3.0 in a StartupMessage: major version in the high 16 bits, minor in the low 16. */
    public static final int PROTOCOL_3_0 = 3 << 16;
    /** Untyped startup packet asking for TLS; the server answers with one byte 'S' or 'N'. */
    public static final int SSL_REQUEST_CODE = 80877103;
    /** Untyped startup packet asking for GSSAPI encryption; answered with 'G' or 'N'. */
    public static final int GSSENC_REQUEST_CODE = 80877104;
    /** Untyped packet on a fresh connection asking to cancel the query of another session. */
    public static final int CANCEL_REQUEST_CODE = 80877102;

    /** Describe and Close target: a prepared statement. */
    public static final byte TARGET_STATEMENT = 'S';
    /** Describe and Close target: a portal. */
    public static final byte TARGET_PORTAL = 'P';

    private MessageType() {
    }

    /** Client to proxy, after the StartupMessage. */
    public static final class Frontend {
        /** Simple query: one or more statements as text; answered up to ReadyForQuery. */
        public static final byte QUERY = 'Q';
        /** Extended protocol: create a prepared statement (unnamed if the name is empty). */
        public static final byte PARSE = 'P';
        /** Extended protocol: bind parameter values to a statement, creating a portal. */
        public static final byte BIND = 'B';
        /** Extended protocol: ask for ParameterDescription/RowDescription of a statement or portal. */
        public static final byte DESCRIBE = 'D';
        /** Extended protocol: run a portal, up to maxRows rows (0 = all). */
        public static final byte EXECUTE = 'E';
        /** Extended protocol: drop a statement or portal. */
        public static final byte CLOSE = 'C';
        /** Extended protocol: end of a batch; commit if implicit, then ReadyForQuery. Errors skip to here. */
        public static final byte SYNC = 'S';
        /** Extended protocol: send what is pending without ending the batch. */
        public static final byte FLUSH = 'H';
        /** The client is closing the connection. */
        public static final byte TERMINATE = 'X';
        /** During authentication: password, md5 response, SASLInitialResponse or SASLResponse. */
        public static final byte PASSWORD = 'p';
        /** COPY FROM STDIN payload (also sent by the server during COPY TO STDOUT). */
        public static final byte COPY_DATA = 'd';
        /** End of COPY FROM STDIN data (also sent by the server after COPY TO STDOUT). */
        public static final byte COPY_DONE = 'c';
        /** The client aborts COPY FROM STDIN with a message. */
        public static final byte COPY_FAIL = 'f';
        /** Legacy fast-path function call; the proxy rejects it. */
        public static final byte FUNCTION_CALL = 'F';

        private Frontend() {
        }

        /** The message's name for error texts, or null when the byte is not a frontend type. */
        public static String name(byte type) {
            switch (type) {
                case QUERY: return "Query";
                case PARSE: return "Parse";
                case BIND: return "Bind";
                case DESCRIBE: return "Describe";
                case EXECUTE: return "Execute";
                case CLOSE: return "Close";
                case SYNC: return "Sync";
                case FLUSH: return "Flush";
                case TERMINATE: return "Terminate";
                case PASSWORD: return "PasswordMessage";
                case COPY_DATA: return "CopyData";
                case COPY_DONE: return "CopyDone";
                case COPY_FAIL: return "CopyFail";
                case FUNCTION_CALL: return "FunctionCall";
                default: return null;
            }
        }
    }

    /** Proxy to client. */
    public static final class Backend {
        /** Authentication request or result; an Int32 code after the length says which. */
        public static final byte AUTHENTICATION = 'R';
        /** A run-time parameter's value: after authentication, and whenever a reported one changes. */
        public static final byte PARAMETER_STATUS = 'S';
        /** The process id and secret key a client needs to send a CancelRequest; once, after auth. */
        public static final byte BACKEND_KEY_DATA = 'K';
        /** Ready for a new query cycle; carries the transaction status ('I', 'T' or 'E'). */
        public static final byte READY_FOR_QUERY = 'Z';
        /** Columns of the rows that follow (or that a Describe'd statement would return). */
        public static final byte ROW_DESCRIPTION = 'T';
        /** One result row. */
        public static final byte DATA_ROW = 'D';
        /** A statement finished; carries the command tag ("SELECT 3", "INSERT 0 1"). */
        public static final byte COMMAND_COMPLETE = 'C';
        /** The query string was empty; replaces CommandComplete. */
        public static final byte EMPTY_QUERY_RESPONSE = 'I';
        /** An error; in the extended protocol the server then discards messages up to Sync. */
        public static final byte ERROR_RESPONSE = 'E';
        /** A warning or notice; never changes the flow. */
        public static final byte NOTICE_RESPONSE = 'N';
        /** Answer to Parse. */
        public static final byte PARSE_COMPLETE = '1';
        /** Answer to Bind. */
        public static final byte BIND_COMPLETE = '2';
        /** Answer to Close. */
        public static final byte CLOSE_COMPLETE = '3';
        /** Answer to Describe of something that returns no rows. */
        public static final byte NO_DATA = 'n';
        /** Answer to Describe of a statement: its parameter types, before RowDescription/NoData. */
        public static final byte PARAMETER_DESCRIPTION = 't';
        /** Execute stopped at maxRows; the portal can be executed again for more. */
        public static final byte PORTAL_SUSPENDED = 's';
        /** After StartupMessage: newer minor version or unknown _pq_ options requested. */
        public static final byte NEGOTIATE_PROTOCOL_VERSION = 'v';
        /** COPY FROM STDIN started; the client now sends CopyData. */
        public static final byte COPY_IN_RESPONSE = 'G';
        /** COPY TO STDOUT started; CopyData follows. */
        public static final byte COPY_OUT_RESPONSE = 'H';
        /** COPY TO STDOUT payload. */
        public static final byte COPY_DATA = 'd';
        /** End of COPY TO STDOUT data. */
        public static final byte COPY_DONE = 'c';

        /** AuthenticationOk: the client is in. */
        public static final int AUTH_OK = 0;
        /** AuthenticationCleartextPassword. */
        public static final int AUTH_CLEARTEXT_PASSWORD = 3;
        /** AuthenticationMD5Password, followed by a 4-byte salt. */
        public static final int AUTH_MD5_PASSWORD = 5;
        /** AuthenticationSASL, followed by the mechanism names. */
        public static final int AUTH_SASL = 10;
        /** AuthenticationSASLContinue, followed by the server-first-message. */
        public static final int AUTH_SASL_CONTINUE = 11;
        /** AuthenticationSASLFinal, followed by the server-final-message. */
        public static final int AUTH_SASL_FINAL = 12;

        private Backend() {
        }
    }
}
