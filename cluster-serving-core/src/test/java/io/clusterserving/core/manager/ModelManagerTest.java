package io.clusterserving.core.manager;

import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.config.ModelSettings;
import io.clusterserving.core.config.VersionPolicy;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.repository.FormatRegistry;
import io.clusterserving.core.stats.VersionMetrics;
import io.clusterserving.core.testing.LinearFormat;
import io.clusterserving.core.testing.ModelDirs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelManagerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final LinearFormat format = new LinearFormat();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private ModelManager manager;

    @AfterEach
    void tearDown() {
        format.loadGate.countDown();
        format.predictGate.countDown();
        if (manager != null) {
            manager.close();
        }
    }

    private ModelManager manager(int retries, long retryMicros) {
        manager = new ModelManager(new FormatRegistry(List.of(format)),
                new ManagerSettings(retries, retryMicros, 0, 0, null, 2), registry);
        return manager;
    }

    private static SortedSet<Long> versions(Long... v) {
        return new TreeSet<>(List.of(v));
    }

    private void await(BooleanSupplier condition, String what) throws InterruptedException {
        assertThat(manager.awaitCondition(condition, WAIT)).as("waited for " + what).isTrue();
    }

    private VersionState state(String model, long version) {
        return manager.versionStatus(model, version).map(ModelVersionStatus::state).orElse(VersionState.UNKNOWN);
    }

    @Test
    void newVersionIsServedBeforeOldOneUnloads() throws Exception {
        Path base = dir.resolve("m");
        ModelDirs.writeVersion(base, 1, "1 0");
        ModelDirs.writeVersion(base, 2, "2 0 gated-load");
        ModelConfig config = ModelConfig.of("m", base);
        manager(0, 0);
        manager.setAspiredVersions(config, ModelSettings.none(), versions(1L));
        await(() -> state("m", 1) == VersionState.AVAILABLE, "version 1");

        format.loadGate = new CountDownLatch(1);
        manager.setAspiredVersions(config, ModelSettings.none(), versions(2L));
        assertThat(format.atLoadGate.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        // While 2 loads, 1 is still AVAILABLE and serves.
        assertThat(state("m", 2)).isEqualTo(VersionState.LOADING);
        assertThat(state("m", 1)).isEqualTo(VersionState.AVAILABLE);
        try (ServableHandle h = manager.acquire(ModelSpec.latest("m"))) {
            assertThat(h.version()).isEqualTo(1);
        }

        format.loadGate.countDown();
        await(() -> state("m", 1) == VersionState.END, "version 1 to end");
        ModelVersionStatus v1 = manager.versionStatus("m", 1).orElseThrow();
        ModelVersionStatus v2 = manager.versionStatus("m", 2).orElseThrow();
        assertThat(v2.state()).isEqualTo(VersionState.AVAILABLE);
        assertThat(v1.since()).isAfterOrEqualTo(v2.since());
        assertThat(v2.format()).isEqualTo("linear");
        assertThat(v2.errorCode()).isEqualTo(StatusCode.OK);
        try (ServableHandle h = manager.acquire(ModelSpec.latest("m"))) {
            assertThat(h.version()).isEqualTo(2);
        }
        assertThat(format.closes).hasValue(1);
        assertThat(registry.find(VersionMetrics.MODEL_LOAD_LATENCY).tags("model", "m", "version", "2", "status", "OK")
                .timer()).isNotNull();
    }

    @Test
    void anOpenHandleDelaysTheUnloadUntilReleased() throws Exception {
        Path base = dir.resolve("m");
        ModelDirs.writeVersion(base, 1, "1 0");
        ModelDirs.writeVersion(base, 2, "2 0");
        ModelConfig config = ModelConfig.of("m", base);
        manager(0, 0);
        manager.setAspiredVersions(config, ModelSettings.none(), versions(1L));
        await(() -> state("m", 1) == VersionState.AVAILABLE, "version 1");

        ServableHandle held = manager.acquire(ModelSpec.latest("m"));
        LinearFormat.LinearModel model = (LinearFormat.LinearModel) held.model();
        manager.setAspiredVersions(config, ModelSettings.none(), versions(2L));
        await(() -> state("m", 2) == VersionState.AVAILABLE, "version 2");

        // 1 entered UNLOADING when 2 became AVAILABLE; it cannot finish while the handle is open.
        assertThat(state("m", 1)).isEqualTo(VersionState.UNLOADING);
        assertThat(model.closed).isFalse();
        assertThat(held.model().predict("serving_default",
                Map.of("x", io.clusterserving.core.tensor.Tensor.ofFloats(new long[]{1}, 3f)), Set.of()))
                .containsKey("y");
        assertThatThrownBy(() -> manager.acquire(ModelSpec.version("m", 1)))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND));
        try (ServableHandle h = manager.acquire(ModelSpec.latest("m"))) {
            assertThat(h.version()).isEqualTo(2);
        }

        held.close();
        held.close(); // harmless
        await(() -> state("m", 1) == VersionState.END, "version 1 to end");
        assertThat(model.closed).isTrue();
        assertThat(format.closes).hasValue(1);
    }

    @Test
    void corruptNewVersionReportsErrorAndOldKeepsServing() throws Exception {
        Path base = dir.resolve("m");
        ModelDirs.writeVersion(base, 1, "1 0");
        ModelDirs.writeVersion(base, 2, "corrupt");
        ModelConfig config = ModelConfig.of("m", base);
        manager(2, 0);
        manager.setAspiredVersions(config, ModelSettings.none(), versions(1L));
        await(() -> state("m", 1) == VersionState.AVAILABLE, "version 1");

        manager.setAspiredVersions(config, ModelSettings.none(), versions(2L));
        await(() -> state("m", 2) == VersionState.END, "version 2 to fail");
        ModelVersionStatus failed = manager.versionStatus("m", 2).orElseThrow();
        assertThat(failed.errorCode()).isNotEqualTo(StatusCode.OK);
        assertThat(failed.errorMessage()).contains("corrupt model file").contains("after 3 attempts");
        assertThat(format.loadsOf(2)).isEqualTo(3); // 1 attempt + 2 retries
        assertThat(state("m", 1)).isEqualTo(VersionState.AVAILABLE);
        try (ServableHandle h = manager.acquire(ModelSpec.latest("m"))) {
            assertThat(h.version()).isEqualTo(1);
        }

        // Later polls with the same directory do not retry it.
        manager.setAspiredVersions(config, ModelSettings.none(), versions(2L));
        assertThat(state("m", 2)).isEqualTo(VersionState.END);
        assertThat(format.loadsOf(2)).isEqualTo(3);

        // Fixing the directory does.
        ModelDirs.rewrite(base, 2, "2 0 fixed");
        manager.setAspiredVersions(config, ModelSettings.none(), versions(2L));
        await(() -> state("m", 2) == VersionState.AVAILABLE && state("m", 1) == VersionState.END, "fixed version 2");
        assertThat(manager.versionStatus("m", 2).orElseThrow().errorCode()).isEqualTo(StatusCode.OK);
        assertThat(registry.find(VersionMetrics.MODEL_LOAD_LATENCY).tags("model", "m", "version", "2")
                .timers()).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void loadErrorIsVisibleFromTheFirstFailureWhileRetriesRemain() throws Exception {
        Path base = dir.resolve("m");
        ModelDirs.writeVersion(base, 1, "corrupt");
        manager(5, 60_000_000L);
        manager.setAspiredVersions(ModelConfig.of("m", base), ModelSettings.none(), versions(1L));
        await(() -> format.loadsOf(1) == 1
                && manager.versionStatus("m", 1).orElseThrow().errorCode() != StatusCode.OK, "first failure");
        ModelVersionStatus s = manager.versionStatus("m", 1).orElseThrow();
        assertThat(s.state()).isEqualTo(VersionState.LOADING);
        assertThat(s.errorMessage()).contains("corrupt model file").contains("attempt 1 of 6");
        assertThatThrownBy(() -> manager.acquire(ModelSpec.version("m", 1)))
                .isInstanceOfSatisfying(ServingException.class, e -> {
                    assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("not available yet (LOADING)").contains("corrupt");
                });
        assertThatThrownBy(() -> manager.acquire(ModelSpec.latest("m")))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE));
        assertThat(manager.isReady()).isFalse();
        // No longer aspired: the pending retry is cancelled.
        manager.setAspiredVersions(ModelConfig.of("m", base), ModelSettings.none(), versions());
        assertThat(state("m", 1)).isEqualTo(VersionState.END);
    }

    @Test
    void resolvesVersionsAndLabels() throws Exception {
        Path base = dir.resolve("m");
        ModelDirs.writeVersion(base, 1, "1 0");
        ModelDirs.writeVersion(base, 2, "2 0");
        ModelConfig config = new ModelConfig("m", base, null, new VersionPolicy.All(),
                Map.of("stable", 1L, "canary", 2L, "gone", 9L));
        manager(0, 0);
        manager.setAspiredVersions(config, ModelSettings.none(), versions(1L, 2L));
        await(() -> manager.isReady() && manager.status("m").stream()
                .allMatch(s -> s.state() == VersionState.AVAILABLE), "both versions");

        try (ServableHandle h = manager.acquire(ModelSpec.latest("m"))) {
            assertThat(h.version()).isEqualTo(2);
        }
        try (ServableHandle h = manager.acquire(ModelSpec.version("m", 1))) {
            assertThat(h.version()).isEqualTo(1);
            assertThat(h.format()).isEqualTo("linear");
            assertThat(h.batcher()).isEmpty();
        }
        try (ServableHandle h = manager.acquire(new ModelSpec("m", null, "stable", null))) {
            assertThat(h.version()).isEqualTo(1);
        }
        assertThat(manager.status(new ModelSpec("m", null, "canary", null)))
                .singleElement().satisfies(s -> assertThat(s.version()).isEqualTo(2));
        assertThatThrownBy(() -> manager.acquire(new ModelSpec("m", null, "beta", null)))
                .isInstanceOfSatisfying(ServingException.class, e -> {
                    assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND);
                    assertThat(e.getMessage()).contains("'beta'").contains("[canary, gone, stable]");
                });
        assertThatThrownBy(() -> manager.acquire(ModelSpec.version("m", 7)))
                .isInstanceOfSatisfying(ServingException.class, e -> {
                    assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND);
                    assertThat(e.getMessage()).isEqualTo("model 'm' has no version 7; available versions: [1, 2]");
                });
        assertThatThrownBy(() -> manager.acquire(new ModelSpec("m", null, "gone", null)))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND));
        assertThatThrownBy(() -> manager.acquire(ModelSpec.latest("x")))
                .isInstanceOfSatisfying(ServingException.class, e -> {
                    assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND);
                    assertThat(e.getMessage()).isEqualTo("model 'x' not found; served models: [m]");
                });
        assertThatThrownBy(() -> manager.status(ModelSpec.version("m", 5)))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND));
        assertThatThrownBy(() -> manager.status("x"))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND));

        // Narrowing the policy to a specific version unloads the other.
        manager.setAspiredVersions(config, ModelSettings.none(), new VersionPolicy.Specific(Set.of(1L)).select(versions(1L, 2L)));
        await(() -> state("m", 2) == VersionState.END, "version 2 to end");
        try (ServableHandle h = manager.acquire(ModelSpec.latest("m"))) {
            assertThat(h.version()).isEqualTo(1);
        }
    }

    @Test
    void aVersionStillLoadingIsUnavailable() throws Exception {
        Path base = dir.resolve("m");
        ModelDirs.writeVersion(base, 3, "1 0 gated-load");
        format.loadGate = new CountDownLatch(1);
        manager(0, 0);
        manager.setAspiredVersions(ModelConfig.of("m", base), ModelSettings.none(), versions(3L));
        assertThat(format.atLoadGate.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> manager.acquire(ModelSpec.version("m", 3)))
                .isInstanceOfSatisfying(ServingException.class, e -> {
                    assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo("model 'm' version 3 is not available yet (LOADING)");
                });
        assertThatThrownBy(() -> manager.acquire(ModelSpec.latest("m")))
                .isInstanceOfSatisfying(ServingException.class, e -> {
                    assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("no available version yet").contains("3 LOADING");
                });
        format.loadGate.countDown();
        await(manager::isReady, "ready");
        assertThat(manager.stats("m")).singleElement().satisfies(s -> {
            assertThat(s.version()).isEqualTo(3);
            assertThat(s.description()).isEqualTo("linear model from " + base.resolve("3"));
            assertThat(s.since()).isNotNull();
        });
    }

    @Test
    void removingAModelUnloadsItAndForgetsIt() throws Exception {
        Path base = dir.resolve("m");
        ModelDirs.writeVersion(base, 1, "1 0");
        manager(0, 0);
        manager.setAspiredVersions(ModelConfig.of("m", base), ModelSettings.none(), versions(1L));
        await(manager::isReady, "ready");
        assertThat(manager.models()).containsExactly("m");
        manager.removeModel("m");
        assertThat(manager.models()).isEmpty();
        await(() -> format.openModels.get() == 0, "model closed");
        assertThatThrownBy(() -> manager.acquire(ModelSpec.latest("m")))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.NOT_FOUND));
    }

    @Test
    void sourceErrorShowsInStatusOfAModelWithoutVersions() {
        manager(0, 0);
        ModelConfig config = ModelConfig.of("m", dir.resolve("missing"));
        manager.reportSourceError(config, ServingException.notFound("model base path %s does not exist", config.basePath()));
        assertThat(manager.status("m")).singleElement().satisfies(s -> {
            assertThat(s.version()).isZero();
            assertThat(s.errorCode()).isEqualTo(StatusCode.NOT_FOUND);
            assertThat(s.errorMessage()).contains("does not exist");
        });
        assertThat(manager.isReady()).isFalse();
        assertThatThrownBy(() -> manager.acquire(ModelSpec.latest("m")))
                .isInstanceOfSatisfying(ServingException.class, e -> {
                    assertThat(e.code()).isEqualTo(StatusCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("does not exist");
                });
    }

    @Test
    void instancesLoadSeveralCopies() throws Exception {
        Path base = dir.resolve("m");
        ModelDirs.writeVersion(base, 1, "1 0");
        manager(0, 0);
        ModelSettings options = new ModelSettings(null, null, null, null, 3, 0, 0, null, "three copies", Map.of());
        manager.setAspiredVersions(ModelConfig.of("m", base), options, versions(1L));
        await(manager::isReady, "ready");
        assertThat(format.loadsOf(1)).isEqualTo(3);
        assertThat(manager.stats("m")).singleElement().satisfies(s -> assertThat(s.description()).isEqualTo("three copies"));
        manager.close();
        assertThat(format.openModels).hasValue(0);
    }
}
