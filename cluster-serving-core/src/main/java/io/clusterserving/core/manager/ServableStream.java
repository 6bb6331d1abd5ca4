package io.clusterserving.core.manager;

import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.config.ModelSettings;
import io.clusterserving.core.error.ServingException;

import java.time.Instant;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** One served model: its versions and what its source currently aspires to. Guarded by its monitor. */
final class ServableStream {
    final String name;
    final TreeMap<Long, VersionHarness> versions = new TreeMap<>();
    volatile ModelConfig config;
    ModelSettings options;
    SortedSet<Long> aspired = new TreeSet<>();
    boolean removed;
    ServingException sourceError;
    Instant sourceErrorSince;

    /** The AVAILABLE versions, copied on every change; requests read it without locking. */
    volatile NavigableMap<Long, VersionHarness> available = Collections.emptyNavigableMap();
    /** The highest AVAILABLE version (null if none): what most requests want, without a map lookup. */
    volatile VersionHarness latest;

    ServableStream(String name, ModelConfig config, ModelSettings options) {
        this.name = name;
        this.config = config;
        this.options = options;
    }

    /** Re-publishes {@link #available}; call with the monitor held after a version enters or leaves AVAILABLE. */
    void publishAvailable() {
        TreeMap<Long, VersionHarness> now = new TreeMap<>();
        for (VersionHarness v : versions.values()) {
            if (v.state() == VersionState.AVAILABLE) {
                now.put(v.version, v);
            }
        }
        available = Collections.unmodifiableNavigableMap(now);
        latest = now.isEmpty() ? null : now.lastEntry().getValue();
    }

    boolean allEnded() {
        for (VersionHarness v : versions.values()) {
            if (v.state() != VersionState.END) {
                return false;
            }
        }
        return true;
    }
}
