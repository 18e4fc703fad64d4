/**
 * The merge engine: turns the rows of several shard streams into one result, as PostgreSQL would
 * have returned it from one database. {@link io.shardproxy.merge.MergeEngine#merge} turns a
 * {@link io.shardproxy.merge.MergePlan} (a tree of plain values built by the router) into a tree
 * of small pull operators, one per file: Concat, MergeSort, Limit, DropColumns, Aggregate and
 * GroupAggregate (with one combiner per aggregate family), Distinct, Sort (spilling to temporary
 * files past a row budget) and Filter (HAVING, three-valued). Rows stay in PostgreSQL text format end to end; an operator
 * passes a shard's bytes through untouched unless it computes a new value (sum, count, avg).
 *
 * <p>Invariants: no operator holds more than one pending row per shard, or more than one group
 * (GroupAggregate) or its row budget (Sort); types are resolved on
 * the first columns()/next(), so a value the engine cannot order or combine exactly fails with
 * 0A000 before any row is returned; close() closes every shard stream even when one close fails.
 */
package io.shardproxy.merge;
