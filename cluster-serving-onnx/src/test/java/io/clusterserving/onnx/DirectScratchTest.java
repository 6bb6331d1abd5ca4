package io.clusterserving.onnx;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectScratchTest {
    private final DirectScratch scratch = new DirectScratch(2);

    @Test
    void givesExactlySizedNativeOrderDirectBuffers() {
        ByteBuffer b = scratch.take(0, 512);
        assertThat(b.isDirect()).isTrue();
        assertThat(b.order()).isEqualTo(ByteOrder.nativeOrder());
        assertThat(b.position()).isZero();
        assertThat(b.limit()).isEqualTo(512);
        assertThat(b.capacity()).isEqualTo(512);
    }

    @Test
    void reusesASlotsMemoryOnTheSameThreadButNotAcrossSlotsOrThreads() throws Exception {
        scratch.take(0, 512).putInt(0, 0x1234_5678);
        assertThat(scratch.take(0, 256).getInt(0)).as("same slot, same memory").isEqualTo(0x1234_5678);
        assertThat(scratch.take(1, 512).getInt(0)).as("another slot").isZero();
        int seenElsewhere = CompletableFuture.supplyAsync(() -> scratch.take(0, 512).getInt(0)).get();
        assertThat(seenElsewhere).as("another thread").isZero();
    }

    @Test
    void largeBuffersAreNotKept() {
        int big = DirectScratch.MAX_REUSED + 1;
        scratch.take(0, big).putInt(0, 42);
        assertThat(scratch.take(0, big).getInt(0)).isZero();
    }

    @Test
    void slotsAreBounded() {
        assertThatThrownBy(() -> scratch.take(2, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slot 2 of 2");
    }
}
