package io.shardproxy.server.wire;

import io.netty.buffer.ByteBuf;

/**
 * A message from proxy to client: one record per wire message, each in its own file with its byte
 * layout on top. {@link #encode} appends the complete message, type byte and length included, so
 * several messages can share one buffer. Records holding arrays do not copy them: build them from
 * arrays nobody changes afterwards.
 */
public sealed interface BackendMessage
        permits AuthenticationOk, AuthenticationCleartextPassword, AuthenticationMd5Password, AuthenticationSasl,
        AuthenticationSaslContinue, AuthenticationSaslFinal, ParameterStatus, BackendKeyData, ReadyForQuery,
        RowDescription, DataRow, CommandComplete, EmptyQueryResponse, ErrorResponse, NoticeResponse,
        ParseComplete, BindComplete, CloseComplete, NoData, ParameterDescription, PortalSuspended,
        NegotiateProtocolVersion, CopyInResponse, CopyOutResponse, CopyData, CopyDone {

    /** Appends this message, header included, to {@code out}. */
    void encode(ByteBuf out);
}
