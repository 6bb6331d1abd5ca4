package io.clusterserving.core.manager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * TF Serving's availability-preserving policy: which versions of one model to load, cancel and unload,
 * given the versions its source aspires to and the state of those the manager has. It only decides —
 * no I/O, no locks, no state of its own; the manager applies the actions to its {@link VersionHarness}es.
 *
 * <ul>
 *   <li>An aspired version the manager does not have, or has only ended (and {@code mayLoadAgain}), loads.</li>
 *   <li>A version no longer aspired that never became AVAILABLE is cancelled — unless an attempt is
 *       running, which is let finish (and its result discarded).</li>
 *   <li>An AVAILABLE version no longer aspired unloads only once some aspired version is AVAILABLE, or
 *       nothing is aspired any more: a new version is served before the old one goes, and a new version
 *       that fails to load leaves the old one serving.</li>
 * </ul>
 */
final class AvailabilityPolicy {

    /** A version as the policy sees it. */
    record VersionView(VersionState state, boolean loadInProgress, boolean mayLoadAgain) {
    }

    enum Kind { LOAD, CANCEL, UNLOAD }

    /** One step for the manager to take. */
    record Action(Kind kind, long version) {
    }

    /** The steps to take now, loads first; empty when the model is where it should be. */
    List<Action> actions(SortedSet<Long> aspired, Map<Long, VersionView> versions) {
        List<Action> out = new ArrayList<>();
        boolean aspiredAvailable = false;
        for (long v : aspired) {
            VersionView view = versions.get(v);
            if (view == null || view.state() == VersionState.END && view.mayLoadAgain()) {
                out.add(new Action(Kind.LOAD, v));
            } else if (view.state() == VersionState.AVAILABLE) {
                aspiredAvailable = true;
            }
        }
        boolean mayUnload = aspiredAvailable || aspired.isEmpty();
        versions.forEach((v, view) -> {
            if (aspired.contains(v)) {
                return;
            }
            switch (view.state()) {
                case START -> out.add(new Action(Kind.CANCEL, v));
                case LOADING -> {
                    if (!view.loadInProgress()) {
                        out.add(new Action(Kind.CANCEL, v)); // waiting for a retry
                    }
                }
                case AVAILABLE -> {
                    if (mayUnload) {
                        out.add(new Action(Kind.UNLOAD, v));
                    }
                }
                default -> {
                }
            }
        });
        return out;
    }
}
