package io.clusterserving.core.config;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelYamlTest {
    @TempDir
    Path dir;

    private ModelSettings read(String yaml) throws IOException {
        Files.writeString(dir.resolve(ModelYaml.FILE_NAME), yaml);
        return ModelYaml.read(dir);
    }

    @Test
    void absentOrEmptyFileMeansNoOptions() throws IOException {
        assertThat(ModelYaml.read(dir)).isEqualTo(ModelSettings.none());
        assertThat(read("")).isEqualTo(ModelSettings.none());
        assertThat(read("# just a comment\n")).isEqualTo(ModelSettings.none());
    }

    @Test
    void readsEveryKey() throws IOException {
        ModelSettings o = read("""
                format: onnx
                version_policy: {latest: 2}
                batching:
                  max_batch_size: 64
                  batch_timeout_micros: 500
                  max_enqueued_batches: 10
                  num_batch_threads: 2
                  allowed_batch_sizes: [8, 64]
                  pad_variable_length_inputs: true
                instances: 3
                intra_op_threads: 1
                inter_op_threads: 0
                default_signature: predict
                description: "the iris classifier"
                options:
                  graph_optimization: all
                  providers: [cpu]
                  nested: {a: 1}
                """);
        assertThat(o.format()).isEqualTo("onnx");
        assertThat(o.policy()).isEqualTo(new VersionPolicy.Latest(2));
        assertThat(o.batchingEnabled()).isTrue();
        assertThat(o.batching()).isEqualTo(new BatchingParameters(64, 500, 10, 2, List.of(8, 64), true));
        assertThat(o.instances()).isEqualTo(3);
        assertThat(o.intraOpThreads()).isEqualTo(1);
        assertThat(o.interOpThreads()).isZero();
        assertThat(o.defaultSignature()).isEqualTo("predict");
        assertThat(o.description()).isEqualTo("the iris classifier");
        assertThat(o.formatOptions()).containsEntry("graph_optimization", "all")
                .containsEntry("providers", List.of("cpu"))
                .containsEntry("nested", Map.of("a", 1));
    }

    @Test
    void versionPolicyForms() throws IOException {
        assertThat(read("version_policy: {all: true}").policy()).isEqualTo(new VersionPolicy.All());
        assertThat(read("version_policy:\n  specific: [1, 3]").policy()).isEqualTo(new VersionPolicy.Specific(Set.of(1L, 3L)));
        assertThat(read("version_policy: {latest: 1}").policy()).isEqualTo(new VersionPolicy.Latest(1));
    }

    @Test
    void batchingBlockDefaults() throws IOException {
        ModelSettings partial = read("batching: {max_batch_size: 16}");
        assertThat(partial.batchingEnabled()).isTrue();
        BatchingParameters d = BatchingParameters.defaults();
        assertThat(partial.batching()).isEqualTo(new BatchingParameters(16, d.batchTimeoutMicros(),
                d.maxEnqueuedBatches(), d.numBatchThreads(), List.of(), false));

        ModelSettings onOnly = read("batching: {enabled: true}");
        assertThat(onOnly.batchingEnabled()).isTrue();
        assertThat(onOnly.batching()).as("no parameters: the server-wide ones apply").isNull();

        ModelSettings off = read("batching: {enabled: false}");
        assertThat(off.batchingEnabled()).isFalse();

        assertThat(read("instances: 2").batchingEnabled()).as("no block: server-wide").isNull();
    }

    @Test
    void unknownKeysAreNamedWithTheKnownOnes() {
        assertInvalid("formt: onnx", "model.yaml of " + dir + ": unknown key 'formt'; known keys: format, "
                + "version_policy, batching, instances, intra_op_threads, inter_op_threads, default_signature, "
                + "description, options");
        assertInvalid("batching: {max_batch: 3}", "unknown key 'batching.max_batch'; known keys: enabled, max_batch_size");
        assertInvalid("version_policy: {newest: 3}", "unknown key 'version_policy.newest'");
    }

    @Test
    void wrongTypesNameTheKeyAndExpectedType() {
        assertInvalid("instances: \"2\"", "key 'instances': expected an integer, got string \"2\"");
        assertInvalid("instances: 0", "key 'instances': expected an integer >= 1, got 0");
        assertInvalid("intra_op_threads: -1", "key 'intra_op_threads': expected an integer >= 0, got -1");
        assertInvalid("format: 3", "key 'format': expected a non-empty string, got number 3");
        assertInvalid("description: [a]", "key 'description': expected a non-empty string, got a list");
        assertInvalid("batching: yes", "key 'batching': expected a mapping, got boolean true");
        assertInvalid("batching: {enabled: 1}", "key 'batching.enabled': expected true or false, got number 1");
        assertInvalid("batching: {allowed_batch_sizes: 8, max_batch_size: 8}",
                "key 'batching.allowed_batch_sizes': expected a list of integers, got number 8");
        assertInvalid("version_policy: {latest: 0}", "key 'version_policy.latest': expected an integer >= 1, got 0");
        assertInvalid("version_policy: {latest: 1, all: true}", "key 'version_policy': expected a mapping with exactly one of");
        assertInvalid("version_policy: {specific: []}", "key 'version_policy.specific': expected a non-empty list");
        assertInvalid("version_policy: {specific: [1, x]}", "key 'version_policy.specific[1]': expected a positive integer");
        assertInvalid("version_policy: {all: false}", "only 'all: true' is meaningful");
        assertInvalid("options: [1]", "key 'options': expected a mapping");
        assertInvalid("options: {a: null}", "key 'options.a': expected a value, got null");
        assertInvalid("- a\n- b", "expected a mapping of keys at the top level, got a list");
    }

    @Test
    void batchingIsValidatedLikeTfServing() {
        assertInvalid("batching: {max_batch_size: 64, allowed_batch_sizes: [8, 32]}",
                "key 'batching.allowed_batch_sizes': the last entry must equal max_batch_size 64, got [8, 32]");
        assertInvalid("batching: {max_batch_size: 64, allowed_batch_sizes: [32, 8, 64]}",
                "must be strictly increasing");
    }

    @Test
    void malformedYamlAndDuplicateKeysAreErrors() {
        assertInvalid("format: onnx\nformat: pmml", "model.yaml of " + dir + ": not valid YAML");
        assertInvalid("batching: {max_batch_size: [", "not valid YAML at line");
    }

    private void assertInvalid(String yaml, String expected) {
        assertThatThrownBy(() -> read(yaml))
                .isInstanceOfSatisfying(ServingException.class, e -> assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT))
                .hasMessageContaining(expected);
    }
}
