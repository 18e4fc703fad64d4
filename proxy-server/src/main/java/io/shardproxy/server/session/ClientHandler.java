package io.shardproxy.server.session;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.shardproxy.config.UserConfig;
import io.shardproxy.error.ShardProxyException;
import io.shardproxy.error.SqlState;
import io.shardproxy.server.ProxyServices;
import io.shardproxy.server.auth.AuthenticationFailedException;
import io.shardproxy.server.auth.Md5Password;
import io.shardproxy.server.auth.ScramServerExchange;
import io.shardproxy.server.auth.ScramVerifier;
import io.shardproxy.server.wire.AuthenticationMd5Password;
import io.shardproxy.server.wire.AuthenticationSasl;
import io.shardproxy.server.wire.AuthenticationSaslContinue;
import io.shardproxy.server.wire.AuthenticationSaslFinal;
import io.shardproxy.server.wire.CancelRequest;
import io.shardproxy.server.wire.ErrorResponse;
import io.shardproxy.server.wire.FrontendDecoder;
import io.shardproxy.server.wire.FrontendMessage;
import io.shardproxy.server.wire.GssEncRequest;
import io.shardproxy.server.wire.NegotiateProtocolVersion;
import io.shardproxy.server.wire.PasswordMessage;
import io.shardproxy.server.wire.SaslInitialResponse;
import io.shardproxy.server.wire.SslRequest;
import io.shardproxy.server.wire.StartupMessage;
import io.shardproxy.server.wire.Terminate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The front end of one client connection, on its Netty event loop: the startup packet, TLS
 * negotiation, authentication (SCRAM-SHA-256, md5 or trust, per user), then hand-off of every
 * message to the client's {@link Session}. Errors before a session exists are FATAL and close the
 * connection; a malformed message closes it too, and nothing here ever blocks.
 */
public final class ClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);

    private enum State { STARTUP, MD5, SASL_FIRST, SASL_FINAL, OPENING, READY, CLOSED }

    private final ProxyServices services;
    private final FrontendDecoder decoder;
    private final AtomicInteger connections;
    private State state = State.STARTUP;
    private StartupMessage startup;
    private UserConfig user;
    private byte[] md5Salt;
    private ScramServerExchange scram;
    private Session session;
    private final List<FrontendMessage> early = new ArrayList<>();

    public ClientHandler(ProxyServices services, FrontendDecoder decoder, AtomicInteger connections) {
        this.services = services;
        this.decoder = decoder;
        this.connections = connections;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connections.incrementAndGet();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        FrontendMessage m = (FrontendMessage) msg;
        switch (state) {
            case STARTUP:
                startupPhase(ctx, m);
                break;
            case MD5:
            case SASL_FIRST:
            case SASL_FINAL:
                if (m instanceof Terminate) {
                    ctx.close();
                } else {
                    password(ctx, (PasswordMessage) m);
                }
                break;
            case OPENING:
                early.add(m);
                break;
            case READY:
                if (m instanceof PasswordMessage) {
                    // As in PostgreSQL, whose main loop has no case for 'p': the stream is not what we think.
                    fatal(ctx, SqlState.PROTOCOL_VIOLATION,
                            "invalid frontend message type 112 (a password message after authentication)");
                } else {
                    session.submit(m);
                }
                break;
            default:
                break;
        }
    }

    private void startupPhase(ChannelHandlerContext ctx, FrontendMessage m) {
        if (m instanceof SslRequest) {
            if (services.ssl() != null) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'S'}));
                ctx.pipeline().addFirst("tls", services.ssl().newHandler(ctx.alloc()));
            } else {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'N'}));
            }
            return;
        }
        if (m instanceof GssEncRequest) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'N'}));
            return;
        }
        if (m instanceof CancelRequest) {
            CancelRequest c = (CancelRequest) m;
            services.workers().execute(() -> services.sessions().cancel(c.processId(), c.secretKey()));
            ctx.close();
            return;
        }
        startup = (StartupMessage) m;
        if (startup.majorVersion() != 3) {
            fatal(ctx, SqlState.PROTOCOL_VIOLATION, "unsupported frontend protocol " + startup.majorVersion() + "."
                    + startup.minorVersion() + ": server supports 3.0 to 3.0");
            return;
        }
        List<String> unknownOptions = new ArrayList<>();
        for (String k : startup.parameters().keySet()) {
            if (k.startsWith("_pq_.")) {
                unknownOptions.add(k);
            }
        }
        if (startup.minorVersion() > 0 || !unknownOptions.isEmpty()) {
            ctx.write(NegotiateProtocolVersion.v3(0, unknownOptions));
        }
        String name = startup.user();
        if (name == null || name.isEmpty()) {
            fatal(ctx, SqlState.INVALID_AUTHORIZATION, "no PostgreSQL user name specified in startup packet");
            return;
        }
        String replication = startup.parameters().get("replication");
        if (replication != null && !replication.equalsIgnoreCase("false") && !replication.equals("0")
                && !replication.equalsIgnoreCase("off") && !replication.equalsIgnoreCase("no")) {
            fatal(ctx, SqlState.FEATURE_NOT_SUPPORTED, "replication connections are not supported by ShardProxy");
            return;
        }
        if (connections.get() > services.config().listen().maxClients()) {
            fatal(ctx, SqlState.TOO_MANY_CONNECTIONS, "sorry, too many clients already");
            return;
        }
        user = services.config().users().stream().filter(u -> u.name().equals(name)).findFirst().orElse(null);
        if (user == null || user.auth() == io.shardproxy.config.AuthMethod.SCRAM_SHA_256) {
            scram = user == null
                    ? ScramServerExchange.doomed(name, services.processSecret(), services.random())
                    : new ScramServerExchange(ScramVerifier.parse(user.secret()), services.random());
            state = State.SASL_FIRST;
            ctx.writeAndFlush(new AuthenticationSasl(List.of(ScramServerExchange.MECHANISM)));
        } else if (user.auth() == io.shardproxy.config.AuthMethod.MD5) {
            md5Salt = Md5Password.newSalt(services.random());
            state = State.MD5;
            ctx.writeAndFlush(new AuthenticationMd5Password(md5Salt));
        } else {
            open(ctx);
        }
    }

    private void password(ChannelHandlerContext ctx, PasswordMessage p) {
        try {
            if (state == State.MD5) {
                if (!Md5Password.verify(user.secret(), md5Salt, p.data())) {
                    throw new AuthenticationFailedException("md5 response does not match");
                }
                open(ctx);
            } else if (state == State.SASL_FIRST) {
                byte[] first = scram.clientFirst(SaslInitialResponse.parse(p.data()));
                state = State.SASL_FINAL;
                ctx.writeAndFlush(new AuthenticationSaslContinue(first));
            } else {
                byte[] fin = scram.clientFinal(p.data());
                ctx.write(new AuthenticationSaslFinal(fin));
                open(ctx);
            }
        } catch (AuthenticationFailedException e) {
            LOG.info("authentication failed for user \"{}\": {}", startup.user(), e.getMessage());
            fatal(ctx, AuthenticationFailedException.clientError(startup.user()));
        } catch (ShardProxyException e) {
            fatal(ctx, e);
        }
    }

    /** Authenticated: build the session on a worker (it talks to a shard), then greet the client. */
    private void open(ChannelHandlerContext ctx) {
        decoder.authenticated();
        state = State.OPENING;
        boolean admin = user != null && user.admin();
        services.workers().execute(() -> {
            try {
                Startup s = Startup.open(services, startup.parameters());
                int pid = services.sessions().newProcessId();
                int key = services.random().nextInt();
                Session created = new Session(services, ctx.channel(), startup.user(), admin, pid, key,
                        s.settings(), s.applicationName());
                created.greeted(s.parameters());
                services.sessions().add(created);
                ctx.channel().eventLoop().execute(() -> ready(ctx, created, s.parameters()));
            } catch (RuntimeException e) {
                ctx.channel().eventLoop().execute(() -> fatal(ctx, e));
            }
        });
    }

    private void ready(ChannelHandlerContext ctx, Session s, Map<String, String> parameters) {
        if (state == State.CLOSED) {
            s.close();
            return;
        }
        session = s;
        ctx.write(io.shardproxy.server.wire.AuthenticationOk.INSTANCE);
        parameters.forEach((k, v) -> ctx.write(new io.shardproxy.server.wire.ParameterStatus(k, v)));
        ctx.write(new io.shardproxy.server.wire.BackendKeyData(s.processId(), s.secretKey()));
        ctx.writeAndFlush(io.shardproxy.server.wire.ReadyForQuery.IDLE);
        state = State.READY;
        for (FrontendMessage m : early) {
            s.submit(m);
        }
        early.clear();
        s.process();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (session != null) {
            session.process();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (session != null) {
            session.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connections.decrementAndGet();
        state = State.CLOSED;
        if (session != null) {
            session.close();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable e = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (e instanceof ShardProxyException) {
            LOG.debug("closing client connection: {}", e.getMessage());
            fatal(ctx, e);
            return;
        }
        if (e instanceof java.io.IOException) {
            LOG.debug("client connection error: {}", e.toString());
        } else {
            LOG.warn("client connection error", e);
        }
        ctx.close();
    }

    private void fatal(ChannelHandlerContext ctx, SqlState state, String message) {
        fatal(ctx, new ShardProxyException(state, message));
    }

    private void fatal(ChannelHandlerContext ctx, Throwable t) {
        state = State.CLOSED;
        ErrorResponse e = Errors.toResponse(t, -1);
        Map<Byte, String> fields = new java.util.LinkedHashMap<>(e.fields());
        fields.put((byte) 'S', ErrorResponse.FATAL);
        fields.put((byte) 'V', ErrorResponse.FATAL);
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(new ErrorResponse(fields)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
