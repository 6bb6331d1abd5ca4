package io.clusterserving.cli.serve;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.manager.ModelVersionStatus;
import io.clusterserving.core.manager.VersionState;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.service.InferenceService;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the server serves once the first loads have settled: a line per model version with its state,
 * and the error of every version that failed to load.
 *
 * @param allAvailable every model has an AVAILABLE version and no version failed
 */
record StartupReport(List<Line> lines, boolean allAvailable) {

    /** One line of the report; {@code problem} lines deserve a warning. */
    record Line(String text, boolean problem) {
    }

    private static final long POLL_MILLIS = 50;

    /**
     * Waits until every model's versions are AVAILABLE or have failed at least once, at most
     * {@code maxWait}; a model with no versions at all counts as settled after {@code emptyGrace}
     * (the file system poller has had its chance to find some).
     */
    static StartupReport waitForInitialLoad(InferenceService service, Duration maxWait, Duration emptyGrace) {
        long start = System.nanoTime();
        while (true) {
            long elapsed = System.nanoTime() - start;
            Map<String, List<ModelVersionStatus>> snapshot = snapshot(service);
            boolean pastGrace = elapsed >= emptyGrace.toNanos();
            boolean settled = snapshot.values().stream().allMatch(versions -> isSettled(versions, pastGrace));
            if (settled || elapsed >= maxWait.toNanos()) {
                return of(snapshot);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return of(snapshot);
            }
        }
    }

    static StartupReport of(Map<String, List<ModelVersionStatus>> snapshot) {
        List<Line> lines = new ArrayList<>();
        boolean allAvailable = !snapshot.isEmpty();
        if (snapshot.isEmpty()) {
            lines.add(new Line("no models are configured", true));
        }
        for (Map.Entry<String, List<ModelVersionStatus>> model : snapshot.entrySet()) {
            List<ModelVersionStatus> versions = model.getValue();
            if (versions.isEmpty()) {
                lines.add(new Line("model '" + model.getKey()
                        + "': no versions found (expected numbered version directories)", true));
                allAvailable = false;
                continue;
            }
            boolean anyAvailable = false;
            for (ModelVersionStatus v : versions) {
                lines.add(new Line(describe(v), v.errorCode() != StatusCode.OK));
                anyAvailable |= v.state() == VersionState.AVAILABLE;
                allAvailable &= v.errorCode() == StatusCode.OK;
            }
            allAvailable &= anyAvailable;
        }
        return new StartupReport(List.copyOf(lines), allAvailable);
    }

    private static String describe(ModelVersionStatus v) {
        StringBuilder line = new StringBuilder()
                .append("model '").append(v.modelName()).append("' version ").append(v.version())
                .append(": ").append(v.state());
        if (v.format() != null) {
            line.append(" (").append(v.format()).append(')');
        }
        if (v.errorCode() != StatusCode.OK) {
            line.append(" - failed to load: ").append(v.errorCode()).append(": ").append(v.errorMessage());
        }
        return line.toString();
    }

    private static boolean isSettled(List<ModelVersionStatus> versions, boolean pastGrace) {
        if (versions.isEmpty()) {
            return pastGrace;
        }
        return versions.stream().allMatch(v -> v.state() == VersionState.AVAILABLE || v.state() == VersionState.END
                || v.errorCode() != StatusCode.OK);
    }

    private static Map<String, List<ModelVersionStatus>> snapshot(InferenceService service) {
        Map<String, List<ModelVersionStatus>> out = new LinkedHashMap<>();
        for (String name : service.modelNames()) {
            try {
                out.put(name, service.status(ModelSpec.latest(name)));
            } catch (ServingException e) {
                // A model the manager knows no versions of yet reports NOT_FOUND.
                out.put(name, List.of());
            }
        }
        return out;
    }
}
