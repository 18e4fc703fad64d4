/**
 * PostgreSQL values in text format, by type OID: their btree ordering
 * ({@link io.shardproxy.merge.value.ValueOrdering}), and the arithmetic and output functions the
 * aggregate combiners need, each matching PostgreSQL's own functions (int8pl, float8pl, add_var,
 * numeric_div with select_div_scale, float8out's shortest digits) to the byte.
 */
package io.shardproxy.merge.value;
