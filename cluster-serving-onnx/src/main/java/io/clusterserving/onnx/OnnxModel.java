package io.clusterserving.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.tensor.DataType;
import io.clusterserving.core.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One ONNX model file in an ONNX Runtime session, served as a single {@code serving_default}
 * predict signature whose inputs and outputs are the graph's, in graph order.
 *
 * <p>Thread-safe: {@link OrtSession#run} may be called concurrently, and every call creates and
 * closes its own native tensors. Graph outputs that are not tensors (sequences, maps) or whose
 * element type has no {@link DataType} are left out of the signature and never requested.
 *
 * <p>Threads and session tuning come from the {@link LoadContext}; the {@code options:} keys it
 * understands ({@code graph_optimization_level}, {@code allow_spinning}, {@code session_config}) are
 * described on {@link OnnxSessionSettings}.
 */
public final class OnnxModel implements LoadedModel {
    private static final System.Logger LOG = System.getLogger(OnnxModel.class.getName());

    private final String modelName;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final Signature signature;
    // Computed once: every request checks against them, and rebuilding them per request would allocate.
    private final List<String> inputNames;
    private final Set<String> allOutputs;
    private final PinnedOutputs pinned;
    private final DirectScratch scratch;

    private OnnxModel(String modelName, OrtEnvironment env, OrtSession session, Signature signature) {
        this.modelName = modelName;
        this.env = env;
        this.session = session;
        this.signature = signature;
        this.inputNames = signature.inputs().stream().map(TensorSpec::name).toList();
        this.allOutputs = Collections.unmodifiableSet(new LinkedHashSet<>(
                signature.outputs().stream().map(TensorSpec::name).toList()));
        this.pinned = new PinnedOutputs(signature.outputs());
        this.scratch = new DirectScratch(signature.inputs().size() + signature.outputs().size());
    }

    /**
     * Opens {@code file} in a new session configured by {@code context} (see {@link OnnxSessionSettings}).
     *
     * @throws ServingException INVALID_ARGUMENT naming the file when ORT cannot load it or the graph has
     *                          inputs we cannot feed
     */
    public static OnnxModel load(Path file, LoadContext context) {
        OnnxSessionSettings settings = OnnxSessionSettings.from(context);
        // ORT's process-wide environment, by ORT's design; it lives as long as the process, so never close it.
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = settings.toSessionOptions()) {
            session = env.createSession(file.toString(), options);
        } catch (OrtException e) {
            throw new ServingException(StatusCode.INVALID_ARGUMENT,
                    "cannot load ONNX model " + file + ": " + e.getMessage(), e);
        }
        try {
            Signature signature = new Signature(Signature.DEFAULT_NAME, Signature.PREDICT_METHOD,
                    inputSpecs(session, file), outputSpecs(session, file));
            return new OnnxModel(context.modelName(), env, session, signature);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            if (e instanceof ServingException se) {
                throw se;
            }
            throw new ServingException(StatusCode.INVALID_ARGUMENT,
                    "cannot read the inputs and outputs of ONNX model " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Signature> signatures() {
        return Map.of(signature.name(), signature);
    }

    @Override
    public Map<String, Tensor> predict(String signatureName, Map<String, Tensor> inputs, Set<String> outputFilter) {
        signature.checkSoleSignatureNamed(signatureName);
        checkInputs(inputs);
        Set<String> requested = requestedOutputs(outputFilter);
        Map<String, OnnxTensor> ortInputs = new LinkedHashMap<>();
        try {
            int slot = 0;
            for (TensorSpec spec : signature.inputs()) {
                ortInputs.put(spec.name(), OrtTensors.toOrt(env, spec.name(), inputs.get(spec.name()), scratch, slot++));
            }
            List<PinnedOutputs.Pin> pins = pinned.pinsFor(requested, inputs);
            if (pins == null) {
                return run(ortInputs, requested);
            }
            try {
                return runPinned(ortInputs, pins);
            } catch (OrtException pinnedFailure) {
                Map<String, Tensor> outputs = run(ortInputs, requested); // throws when the input is at fault
                pinned.disable();
                LOG.log(System.Logger.Level.WARNING, "model ''{0}'': the call failed with outputs pre-allocated "
                        + "for the input''s batch size and worked without, so outputs are no longer pre-allocated "
                        + "(ONNX Runtime said: {1})", modelName, pinnedFailure.getMessage());
                return outputs;
            }
        } catch (OrtException e) {
            throw new ServingException(StatusCode.INVALID_ARGUMENT,
                    "model '" + modelName + "': " + e.getMessage(), e);
        } finally {
            ortInputs.values().forEach(OnnxTensor::close);
        }
    }

    private Map<String, Tensor> run(Map<String, OnnxTensor> ortInputs, Set<String> requested) throws OrtException {
        try (OrtSession.Result result = session.run(ortInputs, requested)) {
            Map<String, Tensor> outputs = new LinkedHashMap<>();
            for (TensorSpec spec : signature.outputs()) {
                if (requested.contains(spec.name())) {
                    outputs.put(spec.name(), output(result, spec));
                }
            }
            return outputs;
        }
    }

    /** Runs with the outputs pre-allocated as {@code pins} say, then copies them to heap tensors. */
    private Map<String, Tensor> runPinned(Map<String, OnnxTensor> ortInputs, List<PinnedOutputs.Pin> pins)
            throws OrtException {
        Map<String, OnnxTensor> ortOutputs = new LinkedHashMap<>();
        ByteBuffer[] buffers = new ByteBuffer[pins.size()];
        try {
            for (int i = 0; i < buffers.length; i++) {
                PinnedOutputs.Pin pin = pins.get(i);
                buffers[i] = scratch.take(inputNames.size() + i, pin.bytes()); // slots after the inputs'
                ortOutputs.put(pin.name(), OrtTensors.pinnedOutput(env, pin.dtype(), buffers[i], pin.shape()));
            }
            session.run(ortInputs, ortOutputs).close();
            Map<String, Tensor> outputs = new LinkedHashMap<>();
            for (int i = 0; i < buffers.length; i++) {
                PinnedOutputs.Pin pin = pins.get(i);
                ByteBuffer heap = ByteBuffer.allocate(pin.bytes());
                heap.put(buffers[i]).flip();
                outputs.put(pin.name(), Tensor.wrap(pin.dtype(), pin.shape(), heap));
            }
            return outputs;
        } finally {
            ortOutputs.values().forEach(OnnxTensor::close);
        }
    }

    /** Whether outputs are still pre-allocated for ORT (false once a shape guess proved wrong). */
    boolean outputsPinned() {
        return pinned.enabled();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw ServingException.internal("closing the ONNX Runtime session of model '" + modelName + "' failed", e);
        }
    }

    private void checkInputs(Map<String, Tensor> inputs) {
        for (String name : inputs.keySet()) {
            if (!inputNames.contains(name)) {
                throw ServingException.invalidArgument("unknown input '%s'; the signature's inputs are %s",
                        name, inputNames);
            }
        }
        for (TensorSpec spec : signature.inputs()) {
            Tensor t = inputs.get(spec.name());
            if (t == null) {
                throw ServingException.invalidArgument("missing input '%s'; the signature's inputs are %s",
                        spec.name(), inputNames);
            }
            if (t.dtype() != spec.dtype()) {
                throw ServingException.invalidArgument("input '%s' is %s, the model expects %s",
                        spec.name(), t.dtype(), spec.dtype());
            }
        }
    }

    /** The outputs to ask ORT for, in signature order. */
    private Set<String> requestedOutputs(Set<String> outputFilter) {
        if (outputFilter == null || outputFilter.isEmpty()) {
            return allOutputs;
        }
        for (String name : outputFilter) {
            if (!allOutputs.contains(name)) {
                throw ServingException.invalidArgument("unknown output '%s'; the signature's outputs are %s",
                        name, allOutputs);
            }
        }
        Set<String> requested = new LinkedHashSet<>();
        for (String name : allOutputs) {
            if (outputFilter.contains(name)) {
                requested.add(name);
            }
        }
        return requested;
    }

    private Tensor output(OrtSession.Result result, TensorSpec spec) throws OrtException {
        Optional<OnnxValue> value = result.get(spec.name());
        if (value.isEmpty() || !(value.get() instanceof OnnxTensor tensor)) {
            throw ServingException.internal("model '" + modelName + "': ONNX Runtime returned no tensor for output '"
                    + spec.name() + "'", null);
        }
        return OrtTensors.fromOrt(tensor, spec.dtype());
    }

    private static List<TensorSpec> inputSpecs(OrtSession session, Path file) throws OrtException {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : session.getInputInfo().values()) {
            Optional<TensorSpec> spec = tensorSpec(node);
            if (spec.isEmpty()) {
                throw ServingException.invalidArgument("ONNX model %s: input '%s' is %s; only tensors of BOOL, "
                        + "(U)INT8-64, FP16/32/64 or STRING are supported", file, node.getName(), node.getInfo());
            }
            if (!OrtTensors.canCreate(spec.get().dtype())) {
                throw ServingException.invalidArgument("ONNX model %s: input '%s' is %s, which ONNX Runtime's Java "
                        + "API cannot feed", file, node.getName(), spec.get().dtype());
            }
            specs.add(spec.get());
        }
        return specs;
    }

    private static List<TensorSpec> outputSpecs(OrtSession session, Path file) throws OrtException {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : session.getOutputInfo().values()) {
            Optional<TensorSpec> spec = tensorSpec(node);
            if (spec.isPresent()) {
                specs.add(spec.get());
            } else {
                LOG.log(System.Logger.Level.WARNING, "ONNX model {0}: output ''{1}'' ({2}) is not a supported tensor "
                        + "and is not served", file, node.getName(), node.getInfo());
            }
        }
        if (specs.isEmpty()) {
            throw ServingException.invalidArgument("ONNX model %s has no tensor outputs that can be served", file);
        }
        return specs;
    }

    private static Optional<TensorSpec> tensorSpec(NodeInfo node) {
        if (!(node.getInfo() instanceof TensorInfo info)) {
            return Optional.empty();
        }
        return dataType(info.onnxType).map(t -> {
            long[] shape = info.getShape();
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] < 0) {
                    shape[i] = -1; // ORT reports symbolic and unknown dims as -1 already; normalize anyway
                }
            }
            return new TensorSpec(node.getName(), t, shape);
        });
    }

    /** By constant, not by {@code OnnxTensorType.value}: the Java enum numbers types its own way. */
    private static Optional<DataType> dataType(TensorInfo.OnnxTensorType type) {
        return Optional.ofNullable(switch (type) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> DataType.FP32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> DataType.FP64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> DataType.FP16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> DataType.INT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> DataType.INT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> DataType.INT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> DataType.INT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> DataType.UINT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> DataType.UINT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> DataType.UINT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> DataType.UINT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> DataType.BOOL;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> DataType.BYTES;
            default -> null; // BFLOAT16, complex and float8 types have no DataType
        });
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException ignored) {
            // Already failing; the load error is the one worth reporting.
        }
    }
}
