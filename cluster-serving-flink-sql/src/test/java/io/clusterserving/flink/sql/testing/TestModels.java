package io.clusterserving.flink.sql.testing;

import io.clusterserving.core.config.ModelConfig;
import io.clusterserving.core.model.ModelSpec;
import io.clusterserving.core.service.LocalInferenceService;
import io.clusterserving.core.service.PredictRequest;
import io.clusterserving.core.tensor.Tensor;
import io.clusterserving.onnx.build.Dense128Reference;
import io.clusterserving.onnx.build.ExampleModels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The models the tests score with, written by test code: dense128 (ONNX) and a named-field regression (PMML). */
public final class TestModels {
    /** quality = 1.5 + 2·x1 − 0.5·x2 + 0.25·x3. */
    public static final double INTERCEPT = 1.5;
    public static final String[] FIELDS = {"x1", "x2", "x3"};
    public static final double[] COEFFICIENTS = {2.0, -0.5, 0.25};

    private TestModels() {
    }

    /** {@code <dir>/dense128}, a base directory with version 1 holding a (?,128) → (?,128) ONNX model. */
    public static Path dense128(Path dir) throws IOException {
        ExampleModels.dense128(dir);
        return dir.resolve(ExampleModels.DENSE128);
    }

    /** {@code <dir>/regression/1/model.pmml}; returns the base directory. */
    public static Path regressionPmml(Path dir) throws IOException {
        Path version = Files.createDirectories(dir.resolve("regression").resolve("1"));
        StringBuilder dictionary = new StringBuilder();
        StringBuilder mining = new StringBuilder();
        StringBuilder predictors = new StringBuilder();
        for (int i = 0; i < FIELDS.length; i++) {
            dictionary.append("    <DataField name=\"").append(FIELDS[i]).append("\" optype=\"continuous\" dataType=\"double\"/>\n");
            mining.append("      <MiningField name=\"").append(FIELDS[i]).append("\"/>\n");
            predictors.append("      <NumericPredictor name=\"").append(FIELDS[i]).append("\" coefficient=\"")
                    .append(COEFFICIENTS[i]).append("\"/>\n");
        }
        String pmml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
                  <Header/>
                  <DataDictionary>
                    <DataField name="quality" optype="continuous" dataType="double"/>
                %s  </DataDictionary>
                  <RegressionModel functionName="regression">
                    <MiningSchema>
                      <MiningField name="quality" usageType="target"/>
                %s    </MiningSchema>
                    <RegressionTable intercept="%s">
                %s    </RegressionTable>
                  </RegressionModel>
                </PMML>
                """.formatted(dictionary, mining, INTERCEPT, predictors);
        Files.writeString(version.resolve("model.pmml"), pmml);
        return dir.resolve("regression");
    }

    public static double regression(double x1, double x2, double x3) {
        return INTERCEPT + COEFFICIENTS[0] * x1 + COEFFICIENTS[1] * x2 + COEFFICIENTS[2] * x3;
    }

    /** A direct prediction through the core: the reference every SQL result is compared with. */
    public static float[] predictDense128(Path baseDir, float[] x) {
        try (LocalInferenceService service = LocalInferenceService.builder()
                .models(List.of(ModelConfig.of("reference", baseDir))).fileSystemPollSeconds(0).intraOpThreads(1)
                .interOpThreads(1).build()) {
            if (!service.awaitReady(Duration.ofMinutes(1))) {
                throw new IllegalStateException("reference model did not load");
            }
            Tensor y = service.predict(PredictRequest.of(ModelSpec.latest("reference"),
                    Map.of("x", Tensor.ofFloats(new long[] {1, x.length}, x)))).join().outputs().get("y");
            float[] out = new float[(int) y.elementCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = y.getFloat(i);
            }
            return out;
        }
    }

    /** A deterministic input row for request {@code n}. */
    public static float[] input(int n) {
        return Dense128Reference.input(n);
    }

    /** The seed's data column: the values separated by spaces. */
    public static String spaced(float[] x) {
        StringBuilder text = new StringBuilder();
        for (float v : x) {
            text.append(text.isEmpty() ? "" : " ").append(v);
        }
        return text.toString();
    }

    /** How the function prints outputs: Float.toString, comma-separated. */
    public static String commaJoined(float[] y) {
        StringBuilder text = new StringBuilder();
        for (float v : y) {
            text.append(text.isEmpty() ? "" : ",").append(v);
        }
        return text.toString();
    }
}
