package io.shardproxy.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a sharded table's bucket-to-shard list: element b is the name of the shard holding bucket
 * b. Either the even default split, or an explicit {@code bucket-map} of shard name to bucket
 * ranges ({@code "0-1, 5"}) that must name every bucket in [0, buckets) exactly once.
 */
final class BucketMap {

    private static final Pattern RANGE = Pattern.compile("([0-9]+)(?:\\s*-\\s*([0-9]+))?");
    private static final String RANGE_FORM = "expected bucket numbers and ranges like \"0-3, 8, 10-11\"";

    private BucketMap() {
    }

    /**
     * Contiguous, as even as possible: bucket b goes to shard floor(b * S / N) for S shards and N
     * buckets. With N == S bucket k is on shard k, which is abs(mod(id, S)) = k for mod tables.
     */
    static List<String> evenSplit(int buckets, List<String> shards) {
        List<String> owners = new ArrayList<>(buckets);
        for (int b = 0; b < buckets; b++) {
            owners.add(shards.get((int) ((long) b * shards.size() / buckets)));
        }
        return owners;
    }

    /** The list an explicit {@code bucket-map} node describes, checked against shards and buckets. */
    static List<String> explicit(YamlNode map, int buckets, List<String> shards) {
        String[] owners = new String[buckets];
        for (Map.Entry<String, YamlNode> entry : map.entries().entrySet()) {
            String shard = entry.getKey();
            YamlNode ranges = entry.getValue();
            if (!shards.contains(shard)) {
                throw ranges.error("unknown shard \"" + shard + "\" (shards: " + String.join(", ", shards) + ")");
            }
            for (int bucket : buckets(ranges, buckets)) {
                if (owners[bucket] != null) {
                    throw ranges.error("bucket " + bucket + (owners[bucket].equals(shard)
                            ? " is listed twice" : " is already assigned to shard " + owners[bucket]));
                }
                owners[bucket] = shard;
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            if (owners[b] == null) {
                missing.add(b);
            }
        }
        if (!missing.isEmpty()) {
            throw map.error((missing.size() == 1 ? "bucket " : "buckets ") + ranges(missing)
                    + (missing.size() == 1 ? " is" : " are") + " not assigned to any shard (each bucket in "
                    + "0-" + (buckets - 1) + " needs exactly one shard)");
        }
        return Arrays.asList(owners);
    }

    /** The buckets one map value names, in the order written (repeats kept, to be reported). */
    private static List<Integer> buckets(YamlNode ranges, int buckets) {
        if (ranges.json().isIntegralNumber()) {
            return List.of(inRange(ranges, String.valueOf(ranges.integer(0, Integer.MAX_VALUE)), buckets));
        }
        String text = ranges.text();
        if (text.isBlank()) {
            throw ranges.error("no buckets given (" + RANGE_FORM + "; leave the shard out if it has none)");
        }
        List<Integer> result = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            Matcher m = RANGE.matcher(part.strip());
            if (!m.matches()) {
                throw ranges.error("malformed bucket range \"" + part.strip() + "\" in \"" + text + "\" (" + RANGE_FORM + ")");
            }
            int low = inRange(ranges, m.group(1), buckets);
            int high = m.group(2) == null ? low : inRange(ranges, m.group(2), buckets);
            if (high < low) {
                throw ranges.error("bucket range \"" + part.strip() + "\" runs backwards (write " + high + "-" + low + ")");
            }
            for (int b = low; b <= high; b++) {
                result.add(b);
            }
        }
        return result;
    }

    /** The bucket the decimal {@code digits} name, which must be below {@code buckets}. */
    private static int inRange(YamlNode ranges, String digits, int buckets) {
        // More than 9 digits is far out of range for any int bucket count; no overflow to handle.
        long bucket = digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (bucket >= buckets) {
            throw ranges.error("bucket " + digits + " is out of range: the table has " + buckets
                    + " buckets, numbered 0-" + (buckets - 1));
        }
        return (int) bucket;
    }

    /** Sorted bucket numbers written compactly: [2, 3, 4, 7] is "2-4, 7". */
    static String ranges(List<Integer> sorted) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append(sorted.get(i));
            if (j > i) {
                out.append('-').append(sorted.get(j));
            }
            i = j + 1;
        }
        return out.toString();
    }
}
