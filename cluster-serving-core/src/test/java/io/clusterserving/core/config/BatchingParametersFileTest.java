package io.clusterserving.core.config;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchingParametersFileTest {

    /** The shape of TF Serving's documented batching parameters example (batching/README.md). */
    private static final String TF_SERVING_EXAMPLE = """
            max_batch_size { value: 128 }
            batch_timeout_micros { value: 0 }
            max_enqueued_batches { value: 1000000 }
            num_batch_threads { value: 8 }
            """;

    @Test
    void parsesTheDocumentedExample() {
        BatchingParameters p = BatchingParametersFile.parse(TF_SERVING_EXAMPLE, "batching.config");
        assertThat(p).isEqualTo(new BatchingParameters(128, 0, 1000000, 8, List.of(), false));
    }

    @Test
    void acceptsWrapperAndPlainScalarsAndAllowedSizes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("batching.config");
        Files.writeString(file, """
                max_batch_size: 128
                batch_timeout_micros { value: 1000 }
                max_enqueued_batches { value: 100 }
                num_batch_threads: 4
                allowed_batch_sizes: 32
                allowed_batch_sizes: 64
                allowed_batch_sizes: [128]
                pad_variable_length_inputs: true
                """);
        assertThat(BatchingParametersFile.read(file))
                .isEqualTo(new BatchingParameters(128, 1000, 100, 4, List.of(32, 64, 128), true));
    }

    @Test
    void aPlainValueMayStandOnTheLineAfterItsName() {
        assertThat(BatchingParametersFile.parse("max_batch_size:\n  16\nnum_batch_threads:\n\n 2", "b").maxBatchSize())
                .isEqualTo(16);
        assertThat(BatchingParametersFile.parse("max_batch_size:\n  16\nnum_batch_threads:\n\n 2", "b").numBatchThreads())
                .isEqualTo(2);
    }

    @Test
    void unsetFieldsTakeDefaults() {
        BatchingParameters d = BatchingParameters.defaults();
        assertThat(BatchingParametersFile.parse("", "b")).isEqualTo(d);
        BatchingParameters p = BatchingParametersFile.parse("batch_timeout_micros { value: 5 }", "b");
        assertThat(p.batchTimeoutMicros()).isEqualTo(5);
        assertThat(p.maxBatchSize()).isEqualTo(d.maxBatchSize());
        assertThat(p.numBatchThreads()).isEqualTo(d.numBatchThreads());
    }

    @Test
    void acceptsAndIgnoresTfSchedulerFields() {
        BatchingParameters p = BatchingParametersFile.parse("""
                max_batch_size { value: 64 }
                max_execution_batch_size { value: 32 }
                enable_large_batch_splitting { value: true }
                thread_pool_name { value: "pool" }
                batch_padding_policy { value: "PAD_UP" }
                low_priority_allowed_batch_sizes: [8, 16]
                """, "b");
        assertThat(p.maxBatchSize()).isEqualTo(64);
    }

    @Test
    void validatesLikeTfServingNamingTheField() {
        assertInvalid("max_batch_size { value: 0 }", "b.config:1:1: max_batch_size must be > 0, got 0");
        assertInvalid("max_batch_size {}", "b.config:1:1: max_batch_size must be > 0, got 0");
        assertInvalid("\nnum_batch_threads: -1", "b.config:2:1: num_batch_threads must be > 0, got -1");
        assertInvalid("max_enqueued_batches { value: 0 }", "max_enqueued_batches must be > 0, got 0");
        assertInvalid("batch_timeout_micros: -5", "batch_timeout_micros must be >= 0, got -5");
        assertInvalid("max_batch_size: 64 allowed_batch_sizes: [8, 8, 64]",
                "allowed_batch_sizes must be strictly increasing, got [8, 8, 64] (entry 1: 8 after 8)");
        assertInvalid("max_batch_size: 64 allowed_batch_sizes: [8, 32]",
                "allowed_batch_sizes: the last entry must equal max_batch_size 64, got [8, 32]");
        assertInvalid("max_batch_size: 64 allowed_batch_sizes: [0, 64]", "allowed_batch_sizes[0] must be > 0, got 0");
        assertInvalid("max_batch_size: 99999999999", "field 'max_batch_size': expected an integer in 32-bit range");
        assertInvalid("max_batch_size { val: 3 }", "b.config:1:18: unknown field 'val' in Int64Value; known fields: [value]");
        assertInvalid("max_batch_sizes: 3", "unknown field 'max_batch_sizes' in BatchingParameters");
        assertInvalid("max_batch_size: 3 max_batch_size: 4", "field 'max_batch_size' is set more than once");
        assertInvalid("pad_variable_length_inputs: yes", "b.config:1:29: Expected \"true\" or \"false\". Found \"yes\".");
        assertInvalid("\nmax_execution_batch_size { max: 7 }",
                "b.config:2:28: unknown field 'max' in Int64Value; known fields: [value]");
    }

    private static void assertInvalid(String text, String expected) {
        assertThatThrownBy(() -> BatchingParametersFile.parse(text, "b.config"))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining(expected);
    }
}
