package io.clusterserving.core.manager;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.VersionListing;
import io.clusterserving.core.stats.ServingStats;
import io.clusterserving.core.stats.VersionStats;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One version of a served model and the only owner of its state. Its legal moves are
 * START → LOADING → AVAILABLE → UNLOADING → END, a LOADING version waiting for a retry starting its next
 * attempt, a failed load ending in END with its error, and a version that never became AVAILABLE being
 * cancelled to END. Each transition method refuses any other move with an {@link IllegalStateException}
 * naming the version and both states.
 *
 * <p>Lock rule: every state field is guarded by the owning {@link ServableStream}'s monitor, and every
 * transition checks that the caller holds it. Requests never take that monitor: they read the AVAILABLE
 * versions from {@link ServableStream#available} and count themselves in with {@link #tryAcquire}.
 */
final class VersionHarness {
    /** Sign bit of {@link #refs}: set once the version is unloading; no handle may be taken after. */
    private static final int CLOSING = Integer.MIN_VALUE;

    final ServableStream model;
    final long version;
    final Path dir;
    private final AtomicInteger refs = new AtomicInteger();
    private final Consumer<VersionHarness> onDrained;

    // Guarded by model's monitor.
    private VersionState state = VersionState.START;
    private Instant since = Instant.now();
    private StatusCode errorCode = StatusCode.OK;
    private String errorMessage = "";
    private String format;
    private int attempts;
    private boolean loadInProgress;
    private boolean failedForGood;
    private long fingerprintAtFailure;
    /** Set on entering AVAILABLE, dropped at END (the model is closed then). */
    private LoadedVersion loaded;
    /** Kept after END (unlike the model) so stats still show what the version served. */
    private VersionStats stats;
    private String description;
    private Instant availableSince;

    VersionHarness(ServableStream model, long version, Path dir, Consumer<VersionHarness> onDrained) {
        this.model = model;
        this.version = version;
        this.dir = dir;
        this.onDrained = onDrained;
    }

    // ---------------------------------------------------------------- transitions

    /** START → LOADING, or a LOADING version waiting for its retry starts the next attempt. */
    void beginAttempt() {
        requireLock();
        if (state == VersionState.START) {
            enter(VersionState.LOADING);
        } else if (state != VersionState.LOADING || loadInProgress) {
            throw illegal(VersionState.LOADING, "start a load attempt");
        }
        loadInProgress = true;
    }

    /** Records the format chosen by the attempt in progress. */
    void formatChosen(String name) {
        requireAttempt("choose a format");
        format = name;
    }

    /** LOADING → AVAILABLE with what the attempt in progress produced. */
    void loadSucceeded(LoadedVersion result) {
        requireAttempt("become AVAILABLE");
        loadInProgress = false;
        loaded = result;
        stats = result.stats();
        description = result.description();
        errorCode = StatusCode.OK;
        errorMessage = "";
        enter(VersionState.AVAILABLE);
        availableSince = since;
    }

    /** LOADING → END for an attempt that loaded a version no longer wanted; the caller closes what it loaded. */
    void discardLoaded() {
        requireAttempt("discard its load");
        loadInProgress = false;
        enter(VersionState.END);
    }

    /**
     * Records a failed attempt. The version stays LOADING when it is still {@code wanted} and attempts
     * remain (the caller schedules the retry), else it ends; either way the error shows in status.
     *
     * @param fingerprint the directory's fingerprint when the attempt began, remembered so that only a
     *                    changed directory loads a version that failed for good again
     * @return whether to retry
     */
    boolean attemptFailed(ServingException error, boolean wanted, int maxAttempts, long retryIntervalMicros,
                          long fingerprint) {
        requireAttempt("fail a load attempt");
        loadInProgress = false;
        attempts++;
        errorCode = error.code();
        boolean retry = wanted && attempts < maxAttempts;
        if (retry) {
            errorMessage = String.format("%s (load attempt %d of %d failed; retrying in %s)", error.getMessage(),
                    attempts, maxAttempts, Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(retryIntervalMicros)));
        } else {
            errorMessage = String.format("%s (load failed after %d attempt%s)", error.getMessage(), attempts,
                    attempts == 1 ? "" : "s");
            enter(VersionState.END);
            failedForGood = wanted;
            fingerprintAtFailure = fingerprint;
        }
        return retry;
    }

    /** START → END, or LOADING → END between attempts: a version not loading right now is no longer wanted. */
    void cancel() {
        requireLock();
        if (state != VersionState.START && (state != VersionState.LOADING || loadInProgress)) {
            throw illegal(VersionState.END, "be cancelled");
        }
        enter(VersionState.END);
    }

    /**
     * AVAILABLE → UNLOADING: no handle can be taken from now on.
     *
     * @return the handles still open; when 0 the caller finishes the unload, else the last release does
     */
    int beginUnload() {
        requireLock();
        if (state != VersionState.AVAILABLE) {
            throw illegal(VersionState.UNLOADING, "begin unloading");
        }
        enter(VersionState.UNLOADING);
        for (;;) {
            int r = refs.get();
            if (r < 0 || refs.compareAndSet(r, r | CLOSING)) {
                return r & Integer.MAX_VALUE;
            }
        }
    }

    /**
     * Hands an UNLOADING version's model to the caller to close outside the lock; the version stays
     * UNLOADING until {@link #unloaded}.
     */
    LoadedVersion takeForUnload() {
        requireLock();
        if (state != VersionState.UNLOADING || loaded == null) {
            throw illegal(VersionState.END, "be closed");
        }
        LoadedVersion out = loaded;
        loaded = null;
        return out;
    }

    /** UNLOADING → END after the caller closed what {@link #takeForUnload} returned. */
    void unloaded() {
        requireLock();
        if (state != VersionState.UNLOADING || loaded != null) {
            throw illegal(VersionState.END, "finish unloading");
        }
        enter(VersionState.END);
    }

    // ---------------------------------------------------------------- request path (no lock)

    /** Takes a reference unless the version is unloading. */
    boolean tryAcquire() {
        for (;;) {
            int r = refs.get();
            if (r < 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one out of an unloading version triggers the unload. */
    void release() {
        if (refs.decrementAndGet() == CLOSING) {
            onDrained.accept(this);
        }
    }

    /**
     * What requests run on. Written before the version is published in {@link ServableStream#available},
     * whose volatile write makes it visible to request threads; read only by a request that holds a
     * reference, so it is not dropped under it.
     */
    LoadedVersion loadedForRequest() {
        return loaded;
    }

    // ---------------------------------------------------------------- queries (lock held)

    VersionState state() {
        requireLock();
        return state;
    }

    boolean loadInProgress() {
        requireLock();
        return loadInProgress;
    }

    /**
     * Whether a fresh load may start for this ended version: always after an unload or a cancel, after a
     * final load failure only once the directory changed.
     */
    boolean mayLoadAgain() {
        requireLock();
        return state == VersionState.END
                && (!failedForGood || VersionListing.of(dir).fingerprint() != fingerprintAtFailure);
    }

    ModelVersionStatus status() {
        requireLock();
        return new ModelVersionStatus(model.name, version, state, errorCode, errorMessage, format, since);
    }

    /** "3 LOADING (its error)", for messages listing a model's versions. */
    String summary() {
        requireLock();
        return version + " " + state + (errorCode == StatusCode.OK ? "" : " (" + errorMessage + ")");
    }

    /** The error of the last attempt, "" when it did not fail. */
    String lastError() {
        requireLock();
        return errorCode == StatusCode.OK ? "" : errorMessage;
    }

    /** Serving statistics, if the version ever became AVAILABLE. */
    ServingStats stats() {
        requireLock();
        return stats == null ? null : stats.snapshot(model.name, version, description, availableSince);
    }

    String describe() {
        return "model '" + model.name + "' version " + version;
    }

    // ---------------------------------------------------------------- rules

    private void enter(VersionState next) {
        state = next;
        since = Instant.now();
    }

    private void requireAttempt(String move) {
        requireLock();
        if (state != VersionState.LOADING || !loadInProgress) {
            throw new IllegalStateException(describe() + " cannot " + move + " in state " + state
                    + (state == VersionState.LOADING ? " with no load attempt in progress" : ""));
        }
    }

    private IllegalStateException illegal(VersionState to, String move) {
        return new IllegalStateException(describe() + " cannot " + move + ": " + state + " -> " + to
                + " is not a legal move" + (loadInProgress ? " while a load attempt is in progress" : ""));
    }

    private void requireLock() {
        if (!Thread.holdsLock(model)) {
            throw new IllegalStateException(describe() + ": state read or changed without the model's lock");
        }
    }
}
