package io.clusterserving.cli.sql;

import io.clusterserving.cli.Main;
import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.service.LocalInferenceService;
import io.clusterserving.core.service.PredictRequest;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.onnx.build.ExampleModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's Flink SQL job through {@code cluster-serving sql -f}: a CSV of (uri, data) rows, the
 * model directory given as {@code pipeline.global-job-parameters}, a print sink; each row must come
 * out as the model's 128 comma-separated outputs and their count, the same numbers the core gives.
 */
class SqlCommandTest {

    @TempDir
    Path dir;

    @Test
    void seedJobPrintsTheModelOutputsAndTheirCountForEachRow() throws Exception {
        ExampleModels.dense128(dir.resolve("models"));
        Path model = dir.resolve("models").resolve(ExampleModels.DENSE128);
        float[] x = new float[128];
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) / 7f - 0.5f;
            data.append(i == 0 ? "" : " ").append(x[i]);
        }
        Files.writeString(dir.resolve("input.csv"), "row-1," + data + "\nbad-row,1.0 two\n");
        Path script = dir.resolve("seed.sql");
        Files.writeString(script, """
                CREATE TEMPORARY TABLE ClusterServingInput(uri STRING, `data` STRING)
                  WITH ('connector' = 'filesystem', 'path' = '%s', 'format' = 'csv');
                CREATE TEMPORARY TABLE ClusterServingOutput (uri1 STRING, data1 STRING) WITH ('connector' = 'print');
                LOAD MODULE `cluster-serving`;
                INSERT INTO ClusterServingOutput SELECT r.output, r.size
                  FROM (SELECT cluster_serving(uri, `data`) AS r FROM ClusterServingInput);
                """.formatted(dir.resolve("input.csv")));

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = Main.commandLine().execute("sql", "-f", script.toString(),
                    "-D", "pipeline.global-job-parameters=modelPath:" + model, "-D", "parallelism.default=1");
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();

        String good = out.lines().filter(l -> l.startsWith("+I[") && !l.contains("ERROR")).findFirst().orElseThrow();
        String[] fields = good.substring(3, good.length() - 1).split(",");
        assertThat(fields).hasSize(129);
        assertThat(fields[128].trim()).isEqualTo("128");
        float[] expected = expectedOutputs(model, x);
        for (int i = 0; i < 128; i++) {
            assertThat(Float.parseFloat(fields[i].trim())).as("output %d", i).isEqualTo(expected[i]);
        }
        assertThat(out).containsPattern("\\+I\\[ERROR: INVALID_ARGUMENT: .*bad-row.*, 0]");
    }

    private static float[] expectedOutputs(Path model, float[] x) {
        try (LocalInferenceService service = LocalInferenceService.builder()
                .models(List.of(ModelConfig.of("dense128", model))).fileSystemPollSeconds(0).build()) {
            assertThat(service.awaitReady(Duration.ofSeconds(60))).isTrue();
            Tensor y = service.predict(PredictRequest.of(ModelSpec.latest("dense128"),
                    Map.of("x", Tensor.ofFloats(new long[] {1, 128}, x)))).join().outputs().get("y");
            float[] out = new float[128];
            for (int i = 0; i < out.length; i++) {
                out[i] = y.getFloat(i);
            }
            return out;
        }
    }
}
