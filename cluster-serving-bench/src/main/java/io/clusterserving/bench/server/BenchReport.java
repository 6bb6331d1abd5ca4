package io.clusterserving.bench.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Formats bench results as a table for people or as JSON for scripts. */
public record BenchReport(String url, String model, String protocol, int batch, Duration warmup, Duration duration,
                   int runs, List<LevelResult> levels) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "model '%s' over %s at %s, batch %d, %s per level (warm-up %s), "
                        + "median of %d run%s%n%n", model, protocol, url, batch, seconds(duration), seconds(warmup),
                runs, runs == 1 ? "" : "s"));
        out.append(String.format(Locale.ROOT, "%11s %12s %9s %9s %9s %10s %8s%n",
                "concurrency", "req/s", "p50 ms", "p90 ms", "p99 ms", "requests", "errors"));
        for (LevelResult level : levels) {
            RunResult r = level.median();
            out.append(String.format(Locale.ROOT, "%11d %12.1f %9.2f %9.2f %9.2f %10d %8d%n", level.concurrency(),
                    r.throughput(), level.latencyMillis(50), level.latencyMillis(90), level.latencyMillis(99),
                    r.requests(), r.errors()));
        }
        for (LevelResult level : levels) {
            if (level.median().firstError() != null) {
                out.append(String.format(Locale.ROOT, "%nfirst error at concurrency %d: %s%n", level.concurrency(),
                        level.median().firstError()));
            }
        }
        return out.toString();
    }

    public String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("url", url);
        root.put("model", model);
        root.put("protocol", protocol);
        root.put("batch", batch);
        root.put("warmup_s", warmup.toMillis() / 1000.0);
        root.put("duration_s", duration.toMillis() / 1000.0);
        root.put("runs", runs);
        ArrayNode levelsNode = root.putArray("levels");
        for (LevelResult level : levels) {
            RunResult r = level.median();
            ObjectNode node = levelsNode.addObject();
            node.put("concurrency", level.concurrency());
            node.put("throughput_rps", round(r.throughput()));
            node.put("p50_ms", level.latencyMillis(50));
            node.put("p90_ms", level.latencyMillis(90));
            node.put("p99_ms", level.latencyMillis(99));
            node.put("mean_ms", round(r.latencies().mean() / 1000.0));
            node.put("max_ms", r.latencies().max() / 1000.0);
            node.put("requests", r.requests());
            node.put("errors", r.errors());
            if (r.firstError() == null) {
                node.putNull("first_error");
            } else {
                node.put("first_error", r.firstError());
            }
            ArrayNode runsNode = node.putArray("run_throughputs_rps");
            level.runThroughputs().forEach(t -> runsNode.add(round(t)));
        }
        try {
            return JSON.writeValueAsString(root) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    private static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }
}
