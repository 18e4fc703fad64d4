package io.shardproxy.server.wire;

/**
 * A message from client to proxy, as {@link FrontendDecoder} produces it: one record per wire
 * message, each in its own file with its byte layout on top. Records holding arrays compare them by
 * content; the arrays are the decoder's own copies and are not copied again.
 */
public sealed interface FrontendMessage
        permits StartupMessage, SslRequest, GssEncRequest, CancelRequest, PasswordMessage, Query, Parse, Bind,
        Describe, Execute, Close, Sync, Flush, Terminate, CopyData, CopyDone, CopyFail, FunctionCall {
}
