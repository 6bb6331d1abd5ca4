package io.clusterserving.core.manager;

import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.config.ModelSettings;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.stats.VersionStats;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionHarnessTest {
    private final ServableStream model = new ServableStream("m", ModelConfig.of("m", Path.of("/models/m")), ModelSettings.none());
    private final AtomicInteger drained = new AtomicInteger();
    private final VersionHarness v = new VersionHarness(model, 2, Path.of("/models/m/2"), h -> drained.incrementAndGet());

    private static final LoadedVersion LOADED = new LoadedVersion(null, null, ModelSettings.none(), "linear", Map.of(),
            null, new VersionStats(), "a test version");

    /** Runs a move with the model's lock held, as the manager does. */
    private void locked(Consumer<VersionHarness> move) {
        synchronized (model) {
            move.accept(v);
        }
    }

    private VersionState state() {
        synchronized (model) {
            return v.state();
        }
    }

    private void assertIllegal(Consumer<VersionHarness> move, String message) {
        VersionState before = state();
        assertThatThrownBy(() -> locked(move))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("model 'm' version 2 cannot ")
                .hasMessageContaining(message);
        assertThat(state()).as("a refused move leaves the state").isEqualTo(before);
    }

    @Test
    void walksTheLegalPathAndHoldsTheUnloadForOpenHandles() {
        assertThat(state()).isEqualTo(VersionState.START);
        locked(VersionHarness::beginAttempt);
        assertThat(state()).isEqualTo(VersionState.LOADING);
        locked(h -> h.formatChosen("linear"));
        locked(h -> h.loadSucceeded(LOADED));
        assertThat(state()).isEqualTo(VersionState.AVAILABLE);
        assertThat(v.tryAcquire()).isTrue();

        int[] open = new int[1];
        locked(h -> open[0] = h.beginUnload());
        assertThat(open[0]).isEqualTo(1);
        assertThat(v.tryAcquire()).as("no handle once unloading").isFalse();
        assertThat(drained).hasValue(0);
        v.release();
        assertThat(drained).as("the last release starts the unload").hasValue(1);

        locked(h -> assertThat(h.takeForUnload()).isSameAs(LOADED));
        assertThat(state()).isEqualTo(VersionState.UNLOADING);
        locked(VersionHarness::unloaded);
        synchronized (model) {
            assertThat(v.status().state()).isEqualTo(VersionState.END);
            assertThat(v.status().format()).isEqualTo("linear");
            assertThat(v.mayLoadAgain()).isTrue();
            assertThat(v.stats()).as("stats outlive the unload").isNotNull();
        }
    }

    @Test
    void refusesEveryMoveOffThePath() {
        assertIllegal(h -> h.loadSucceeded(LOADED), "become AVAILABLE in state START");
        assertIllegal(VersionHarness::beginUnload, "begin unloading: START -> UNLOADING is not a legal move");
        assertIllegal(VersionHarness::unloaded, "START -> END");
        assertIllegal(VersionHarness::discardLoaded, "in state START");

        locked(VersionHarness::beginAttempt);
        assertIllegal(VersionHarness::beginAttempt, "LOADING -> LOADING is not a legal move while a load attempt is in progress");
        assertIllegal(VersionHarness::cancel, "be cancelled: LOADING -> END");
        assertIllegal(VersionHarness::beginUnload, "LOADING -> UNLOADING");

        locked(h -> h.loadSucceeded(LOADED));
        assertIllegal(VersionHarness::beginAttempt, "AVAILABLE -> LOADING");
        assertIllegal(VersionHarness::cancel, "AVAILABLE -> END");
        assertIllegal(h -> h.loadSucceeded(LOADED), "in state AVAILABLE");
        assertIllegal(VersionHarness::unloaded, "finish unloading: AVAILABLE -> END");

        locked(VersionHarness::beginUnload);
        assertIllegal(VersionHarness::beginUnload, "UNLOADING -> UNLOADING");
        assertIllegal(VersionHarness::unloaded, "finish unloading: UNLOADING -> END");
        locked(VersionHarness::takeForUnload);
        assertIllegal(VersionHarness::takeForUnload, "be closed");
        locked(VersionHarness::unloaded);
        assertIllegal(VersionHarness::beginAttempt, "END -> LOADING");
        assertIllegal(VersionHarness::cancel, "END -> END");
    }

    @Test
    void transitionsNeedTheModelsLock() {
        assertThatThrownBy(v::beginAttempt)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("model 'm' version 2: state read or changed without the model's lock");
        assertThatThrownBy(v::status).isInstanceOf(IllegalStateException.class);
        assertThat(state()).isEqualTo(VersionState.START);
    }

    @Test
    void failedAttemptsRetryWhileWantedThenEndWithTheError() {
        ServingException broken = ServingException.invalidArgument("corrupt model file");
        locked(VersionHarness::beginAttempt);
        boolean[] retry = new boolean[1];
        locked(h -> retry[0] = h.attemptFailed(broken, true, 2, 1_000_000, 42));
        assertThat(retry[0]).isTrue();
        synchronized (model) {
            assertThat(v.status().state()).isEqualTo(VersionState.LOADING);
            assertThat(v.status().errorCode()).isEqualTo(StatusCode.INVALID_ARGUMENT);
            assertThat(v.lastError()).isEqualTo("corrupt model file (load attempt 1 of 2 failed; retrying in PT1S)");
        }
        assertIllegal(h -> h.attemptFailed(broken, true, 2, 0, 42), "fail a load attempt in state LOADING with no load "
                + "attempt in progress");

        locked(VersionHarness::beginAttempt);
        locked(h -> retry[0] = h.attemptFailed(broken, true, 2, 0, 42));
        assertThat(retry[0]).isFalse();
        synchronized (model) {
            assertThat(v.status().state()).isEqualTo(VersionState.END);
            assertThat(v.lastError()).isEqualTo("corrupt model file (load failed after 2 attempts)");
            assertThat(v.summary()).isEqualTo("2 END (corrupt model file (load failed after 2 attempts))");
        }
    }

    @Test
    void aVersionWaitingForItsRetryCanBeCancelled() {
        locked(VersionHarness::beginAttempt);
        locked(h -> h.attemptFailed(ServingException.internal("disk error", null), true, 3, 0, 1));
        locked(VersionHarness::cancel);
        assertThat(state()).isEqualTo(VersionState.END);
        synchronized (model) {
            assertThat(v.mayLoadAgain()).as("cancelled, not failed for good").isTrue();
        }
    }
}
