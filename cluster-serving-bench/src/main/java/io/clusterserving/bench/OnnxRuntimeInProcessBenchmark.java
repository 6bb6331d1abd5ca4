package io.clusterserving.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * The baseline a served model is measured against: ONNX Runtime called directly, in process, with
 * one shared session and explicit thread settings — no HTTP, no JSON, no batching.
 *
 * <p>Run with as many JMH threads as the served benchmark's concurrency ({@code -t}); free
 * dimensions of the inputs are set to 1. Example:
 * {@code java -jar cluster-serving-bench/target/benchmarks.jar OnnxRuntimeInProcess -t 2
 * -p model=../shared/models/resnet50-light.onnx -p intraOpThreads=1}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class OnnxRuntimeInProcessBenchmark {

    @Param("../shared/models/resnet50-light.onnx")
    public String model;

    @Param("1")
    public int intraOpThreads;

    /**
     * The input values: {@code uniform} = uniform in [0, 1) from {@code new Random(42)}, what
     * {@code cluster-serving bench} sends when it makes random inputs (so served and in-process runs
     * compute on the same numbers); {@code sin} = sin(i), values in [-1, 1].
     */
    @Param("uniform")
    public String input;

    private OrtEnvironment env;
    private OrtSession session;
    private String inputName;
    private long[] inputShape;
    private FloatBuffer values;

    @Setup(Level.Trial)
    public void load() throws OrtException {
        env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(intraOpThreads);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = env.createSession(model, options);
        Map.Entry<String, NodeInfo> first = session.getInputInfo().entrySet().iterator().next();
        inputName = first.getKey();
        inputShape = ((TensorInfo) first.getValue().getInfo()).getShape().clone();
        long count = 1;
        for (int i = 0; i < inputShape.length; i++) {
            if (inputShape[i] < 0) {
                inputShape[i] = 1;
            }
            count *= inputShape[i];
        }
        values = ByteBuffer.allocateDirect((int) count * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < count; i++) {
            values.put(i, switch (this.input) {
                case "uniform" -> random.nextFloat();
                case "sin" -> (float) Math.sin(i);
                default -> throw new IllegalArgumentException("input must be uniform or sin, got " + this.input);
            });
        }
    }

    @Benchmark
    public float run() throws OrtException {
        try (OnnxTensor x = OnnxTensor.createTensor(env, values, inputShape);
             OrtSession.Result result = session.run(Map.of(inputName, x))) {
            return ((OnnxTensor) result.get(0)).getFloatBuffer().get(0);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws OrtException {
        session.close();
    }
}
