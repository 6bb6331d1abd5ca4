package io.clusterserving.core.manager;

import io.clusterserving.core.manager.AvailabilityPolicy.Action;
import io.clusterserving.core.manager.AvailabilityPolicy.Kind;
import io.clusterserving.core.manager.AvailabilityPolicy.VersionView;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class AvailabilityPolicyTest {
    private final AvailabilityPolicy policy = new AvailabilityPolicy();

    private static VersionView view(VersionState state) {
        return new VersionView(state, false, false);
    }

    private List<Action> actions(List<Long> aspired, Map<Long, VersionView> versions) {
        return policy.actions(new TreeSet<>(aspired), new TreeMap<>(versions));
    }

    @Test
    void loadsTheNewVersionBeforeUnloadingTheOld() {
        assertThat(actions(List.of(2L), Map.of(1L, view(VersionState.AVAILABLE))))
                .containsExactly(new Action(Kind.LOAD, 2));
        assertThat(actions(List.of(2L), Map.of(1L, view(VersionState.AVAILABLE), 2L, view(VersionState.LOADING))))
                .as("2 is not serving yet: 1 stays").isEmpty();
        assertThat(actions(List.of(2L), Map.of(1L, view(VersionState.AVAILABLE), 2L, view(VersionState.AVAILABLE))))
                .containsExactly(new Action(Kind.UNLOAD, 1));
    }

    @Test
    void aFailedNewVersionLeavesTheServingOne() {
        Map<Long, VersionView> failed = Map.of(1L, view(VersionState.AVAILABLE), 2L, view(VersionState.END));
        assertThat(actions(List.of(2L), failed)).isEmpty();
        Map<Long, VersionView> changed = Map.of(1L, view(VersionState.AVAILABLE),
                2L, new VersionView(VersionState.END, false, true));
        assertThat(actions(List.of(2L), changed)).as("its directory changed").containsExactly(new Action(Kind.LOAD, 2));
    }

    @Test
    void nothingAspiredUnloadsEverythingAndCancelsWhatIsNotLoading() {
        Map<Long, VersionView> versions = Map.of(
                1L, view(VersionState.AVAILABLE),
                2L, view(VersionState.START),
                3L, new VersionView(VersionState.LOADING, true, false),
                4L, new VersionView(VersionState.LOADING, false, false),
                5L, view(VersionState.UNLOADING),
                6L, view(VersionState.END));
        assertThat(actions(List.of(), versions)).containsExactly(
                new Action(Kind.UNLOAD, 1), new Action(Kind.CANCEL, 2), new Action(Kind.CANCEL, 4));
    }

    @Test
    void aVersionAspiredWhileUnloadingLoadsAgainOnceEnded() {
        assertThat(actions(List.of(1L), Map.of(1L, view(VersionState.UNLOADING)))).isEmpty();
        assertThat(actions(List.of(1L), Map.of(1L, new VersionView(VersionState.END, false, true))))
                .containsExactly(new Action(Kind.LOAD, 1));
    }
}
