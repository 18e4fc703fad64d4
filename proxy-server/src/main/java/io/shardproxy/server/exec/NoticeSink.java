package io.shardproxy.server.exec;

import java.util.Map;

/** Receives the NoticeResponse fields a shard sends while a statement runs; called from any thread. */
@FunctionalInterface
public interface NoticeSink {
    void notice(Map<Byte, String> fields);

    NoticeSink IGNORE = fields -> { };
}
