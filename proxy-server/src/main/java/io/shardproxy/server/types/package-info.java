/**
 * PostgreSQL's binary send format for the types ShardProxy converts, to and from their text
 * output: {@link io.shardproxy.server.types.BinaryFormat} is the entry point, one class per type
 * family behind it, each with its byte layout on top. User-defined types (enums, domains, arrays
 * of them) convert through a {@link io.shardproxy.server.types.TypeResolver} that reads the
 * catalog; this package itself does no I/O.
 */
package io.shardproxy.server.types;
