package io.clusterserving.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Direct (native) buffers for ONNX Runtime's inputs and pre-allocated outputs, kept per thread and
 * reused from call to call.
 *
 * <p>Why: every {@code allocateDirect} also registers a cleaner that the garbage collector must
 * process, so direct buffers allocated per request turn into collector work that shows in the tail
 * latency.
 * Buffers up to {@link #MAX_REUSED} bytes are reused; larger ones are allocated per call, so a
 * thread never holds more than {@code slots * MAX_REUSED} bytes for a model. A buffer is only used
 * during one ORT call on its thread, and outputs are copied out before the next call.
 */
final class DirectScratch {
    static final int MAX_REUSED = 64 * 1024;

    private final int slots;
    private final ThreadLocal<ByteBuffer[]> perThread;

    DirectScratch(int slots) {
        this.slots = slots;
        this.perThread = ThreadLocal.withInitial(() -> new ByteBuffer[slots]);
    }

    /** A native-order direct buffer of exactly {@code bytes} (position 0, limit = capacity = bytes). */
    ByteBuffer take(int slot, int bytes) {
        if (slot < 0 || slot >= slots) {
            throw new IllegalArgumentException("slot " + slot + " of " + slots);
        }
        if (bytes > MAX_REUSED) {
            return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        ByteBuffer[] mine = perThread.get();
        ByteBuffer b = mine[slot];
        if (b == null || b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect(Math.max(bytes, 1024)).order(ByteOrder.nativeOrder());
            mine[slot] = b;
        }
        b.clear().limit(bytes);
        return b.slice().order(ByteOrder.nativeOrder());
    }
}
