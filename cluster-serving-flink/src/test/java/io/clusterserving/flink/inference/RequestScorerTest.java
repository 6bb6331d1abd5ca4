package io.clusterserving.flink.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.repository.ModelLocation;
import io.clusterserving.flink.config.PostProcessing;
import io.clusterserving.flink.testing.Dense128;
import io.clusterserving.onnx.build.ExampleModels;
import io.clusterserving.queue.envelope.QueueRequest;
import io.clusterserving.queue.envelope.QueueResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The scorer without Flink: a repository of two models, model selection, topN post-processing. */
class RequestScorerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path repo;

    private InferenceSettings settings(String modelName, PostProcessing post) {
        return new InferenceSettings(repo.toString(), modelName, 8, 5, 1, 0, post, 60_000, 300_000);
    }

    @Test
    void repositoryOfSeveralModelsNeedsAModelPerRequestAndTopNPostProcesses() throws Exception {
        ExampleModels.dense128(repo);
        ExampleModels.halfPlusTwo(repo);
        float[] x = Dense128.input(3);
        String row = Arrays.toString(x);
        try (RequestScorer scorer = RequestScorer.open(settings(null, PostProcessing.parse("topN(3)")))) {
            assertThat(scorer.location().defaultModel()).isNull();
            List<QueueResult> results = scorer.score(List.of(
                    new QueueRequest("top", "dense128", null, null, "{\"instances\": [" + row + "]}", "1-1", null,
                            false),
                    new QueueRequest("unnamed", null, null, null, "{\"instances\": [1]}", "1-2", null, false),
                    new QueueRequest("rejected", null, null, "r", null, "1-3", "field 'data' is missing", false)));
            QueueResult top = results.get(0);
            assertThat(top.error()).isNull();
            assertThat(top.ackId()).isEqualTo("1-1");
            assertThat(top.model()).isEqualTo("dense128");
            assertThat(top.version()).isEqualTo(1L);
            float[] y = Dense128.predict(x);
            int[] expectedOrder = IntStream.range(0, 128).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> -y[i])).limit(3).mapToInt(i -> i).toArray();
            JsonNode pairs = JSON.readTree(top.value()).get("predictions").get(0);
            assertThat(pairs).hasSize(3);
            for (int k = 0; k < 3; k++) {
                assertThat(pairs.get(k).get(0).asInt()).isEqualTo(expectedOrder[k]);
                assertThat(pairs.get(k).get(1).floatValue()).isCloseTo(y[expectedOrder[k]], within(1e-4f));
            }
            assertThat(results.get(1).error()).contains("names no model").contains("dense128").contains("half_plus_two");
            assertThat(results.get(2).error()).isEqualTo("field 'data' is missing");
            assertThat(results.get(2).replyTo()).isEqualTo("r");
        }
    }

    @Test
    void modelPathErrorsNameThePath() {
        assertThatThrownBy(() -> ModelLocation.resolve(repo.resolve("absent").toString(), null))
                .isInstanceOf(ServingException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> ModelLocation.resolve(repo.toString(), null))
                .hasMessageContaining("neither version directories");
    }

    @Test
    void namedDefaultModelServesUnnamedRequests() throws Exception {
        ExampleModels.dense128(repo);
        ExampleModels.halfPlusTwo(repo);
        assertThatThrownBy(() -> ModelLocation.resolve(repo.toString(), "resnet"))
                .hasMessageContaining("'resnet'").hasMessageContaining("half_plus_two");
        try (RequestScorer scorer = RequestScorer.open(settings("half_plus_two", PostProcessing.none()))) {
            QueueResult r = scorer.score(List.of(QueueRequest.of("u", "{\"inputs\": [2, 4]}"))).get(0);
            assertThat(r.model()).isEqualTo("half_plus_two");
            assertThat(JSON.readTree(r.value()).get("outputs").get(1).asDouble()).isEqualTo(4.0);
        }
    }
}
