package io.shardproxy.it.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Cases 0 to n-1 of a seed, played by a few concurrent clients (each with its own
 * {@link CaseRunner}, taking the next case number as it finishes one), while a separate thread runs
 * the caller's health check every so many finished cases. Keeps the first failures in full, counts
 * the rest, and tallies how cases ended by how their stream framed.
 */
public final class FuzzRun {
    private static final int KEPT_FAILURES = 20;

    /**
     * @param failed        cases with a problem, fuzzer errors included
     * @param firstFailures the first few failed cases, with everything needed to replay them
     * @param endings       "framing: ending" to count, e.g. "complete: probe answered"
     * @param finished      false when the workers were still busy at the time limit
     * @param inFlight      case numbers still running when the run ended (empty when finished)
     */
    public record Result(int cases, int failed, List<CaseRunner.Outcome> firstFailures, List<String> fuzzerErrors,
                         Map<String, Integer> endings, double seconds, boolean finished, List<Integer> inFlight) {
        public String summary() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%d cases in %.1f s (%.0f/s), %d failed%n",
                    cases, seconds, cases / seconds, failed));
            endings.forEach((k, v) -> s.append("  ").append(k).append(": ").append(v).append('\n'));
            return s.toString();
        }
    }

    private FuzzRun() {
    }

    /**
     * @param runners     makes one runner per client
     * @param healthEvery run {@code health} after every this many finished cases (with a description
     *                    of the moment, including the cases in flight)
     */
    public static Result run(CaseFactory factory, long seed, int cases, int parallel, Supplier<CaseRunner> runners,
                             int healthEvery, Consumer<String> health, long timeLimitSeconds, Consumer<String> progress)
            throws InterruptedException {
        long started = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ConcurrentLinkedQueue<CaseRunner.Outcome> firstFailures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> fuzzerErrors = new ConcurrentLinkedQueue<>();
        Map<String, AtomicInteger> endings = new ConcurrentHashMap<>();
        Map<Integer, Long> inFlight = new ConcurrentHashMap<>();
        BlockingQueue<Integer> healthTicks = new ArrayBlockingQueue<>(1024);

        Thread healthThread = new Thread(() -> {
            try {
                while (true) {
                    Integer tick = healthTicks.take();
                    if (tick < 0) {
                        return;
                    }
                    health.accept("after " + tick + " cases (in flight: " + inFlight.keySet() + ")");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fuzz-health");
        healthThread.start();

        ExecutorService workers = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "fuzz-client");
            t.setDaemon(true);
            return t;
        });
        for (int w = 0; w < parallel; w++) {
            workers.execute(() -> {
                try (CaseRunner runner = runners.get()) {
                    int n;
                    while ((n = next.getAndIncrement()) < cases) {
                        FuzzCase c;
                        try {
                            c = factory.make(seed, n);
                        } catch (RuntimeException e) {
                            // a defect of the fuzzer: fail the run with the case number, lose no client
                            failed.incrementAndGet();
                            fuzzerErrors.add("making case " + n + ": " + e);
                            continue;
                        }
                        inFlight.put(n, System.nanoTime());
                        CaseRunner.Outcome o = runner.run(c);
                        inFlight.remove(n);
                        String framing = c.auth() != null ? "startup"
                                : Framing.of(c.messages(), runner.maxMessageBytes()).kind().name().toLowerCase(Locale.ROOT);
                        endings.computeIfAbsent(framing + ": " + o.ending(), k -> new AtomicInteger()).incrementAndGet();
                        if (o.failed()) {
                            failed.incrementAndGet();
                            if (firstFailures.size() < KEPT_FAILURES) {
                                firstFailures.add(o);
                                progress.accept(o.report());
                            }
                        }
                        int d = done.incrementAndGet();
                        if (d % healthEvery == 0) {
                            healthTicks.offer(d);
                        }
                        if (d % 2000 == 0) {
                            progress.accept(String.format(Locale.ROOT, "%d cases, %d failed, %.1f s", d, failed.get(),
                                    (System.nanoTime() - started) / 1e9));
                        }
                    }
                }
            });
        }
        workers.shutdown();
        boolean finished = workers.awaitTermination(timeLimitSeconds, TimeUnit.SECONDS);
        if (!finished) {
            workers.shutdownNow();
        }
        healthTicks.put(-1);
        healthThread.join(30_000);
        Map<String, Integer> tally = new TreeMap<>();
        endings.forEach((k, v) -> tally.put(k, v.get()));
        return new Result(done.get(), failed.get(), new ArrayList<>(firstFailures), new ArrayList<>(fuzzerErrors), tally,
                (System.nanoTime() - started) / 1e9, finished, new ArrayList<>(inFlight.keySet()));
    }
}
