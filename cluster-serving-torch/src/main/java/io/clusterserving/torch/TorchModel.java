package io.clusterserving.torch;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtEngine;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.LoadContext;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.model.Signature;
import io.clusterserving.core.model.TensorSpec;
import io.clusterserving.core.tensor.Tensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One TorchScript module (a {@code torch.jit.save} archive) loaded into libtorch through DJL, served as
 * the predict signature {@code serving_default} described by {@link TorchModelSettings}.
 *
 * <p>{@code forward} is called with the inputs in signature order and may return a tensor, or a tuple or
 * list of tensors (nested ones are flattened in order), or a dict of string to tensor (served under its
 * keys). libtorch errors while running (wrong shapes, wrong dtypes, wrong arity) are the caller's inputs
 * being rejected, so they surface as INVALID_ARGUMENT with libtorch's own message.
 *
 * <p>Thread-safe: one module is shared by all callers. It is run through the JIT method call directly
 * ({@code PtSymbolBlock.forward(IValue...)}), not through a DJL {@code Predictor} — Predictors are not
 * thread-safe and would add nothing — and a TorchScript module's {@code forward} may run concurrently
 * (its graph executor locks what it compiles). Each call gets its own NDManager, closed in {@code finally},
 * so every native tensor of a request is freed when it ends.
 */
public final class TorchModel implements LoadedModel {
    private final String modelName;
    private final Path file;
    private final Model model;
    private final PtSymbolBlock module;
    private final TorchModelSettings settings;
    private final Signature signature;

    private TorchModel(String modelName, Path file, Model model, PtSymbolBlock module, TorchModelSettings settings) {
        this.modelName = modelName;
        this.file = file;
        this.model = model;
        this.module = module;
        this.settings = settings;
        this.signature = settings.signature();
    }

    /**
     * Loads {@code file} into libtorch (started by the caller, see {@link TorchRuntime}) in eval mode.
     *
     * @throws ServingException INVALID_ARGUMENT naming the file when libtorch cannot read it
     */
    static TorchModel load(Path file, LoadContext context, TorchModelSettings settings) {
        Model model = Model.newInstance(context.modelName(), Device.cpu(), PtEngine.ENGINE_NAME);
        try {
            model.load(file);
            if (!(model.getBlock() instanceof PtSymbolBlock module)) {
                throw new IllegalStateException("DJL returned no TorchScript module");
            }
            JniUtils.enableInferenceMode(module); // module.eval(): dropout off, batch norm uses running stats
            return new TorchModel(context.modelName(), file, model, module, settings);
        } catch (Exception | LinkageError e) {
            model.close();
            throw new ServingException(StatusCode.INVALID_ARGUMENT,
                    "cannot load TorchScript model " + file + ": " + libtorchMessage(e), e);
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
        checkOutputFilter(outputFilter);
        List<TensorSpec> specs = signature.inputs();
        IValue[] args = new IValue[specs.size()];
        PtNDManager scope = (PtNDManager) model.getNDManager().newSubManager();
        try {
            for (int i = 0; i < args.length; i++) {
                String name = specs.get(i).name();
                args[i] = IValue.from(TorchTensors.toTorch(scope, name, inputs.get(name)));
            }
            // Thread-local in libtorch, so set on every call: pool threads may serve several models.
            JniUtils.setGraphExecutorOptimize(settings.graphOptimizer());
            try (IValue result = run(args)) {
                return outputs(result, scope, outputFilter);
            }
        } finally {
            for (IValue arg : args) {
                if (arg != null) {
                    arg.close();
                }
            }
            scope.close();
        }
    }

    @Override
    public void close() {
        model.close();
    }

    private IValue run(IValue[] args) {
        try {
            return module.forward(args);
        } catch (EngineException e) {
            throw new ServingException(StatusCode.INVALID_ARGUMENT,
                    "model '" + modelName + "': " + libtorchMessage(e), e);
        }
    }

    private Map<String, Tensor> outputs(IValue result, PtNDManager scope, Set<String> outputFilter) {
        NDList arrays;
        try {
            arrays = result.toNDList(scope);
        } catch (UnsupportedOperationException e) {
            throw ServingException.internal("model '" + modelName + "' (" + file.getFileName() + "): forward returned "
                    + result.getType() + "; expected a tensor, or a tuple, list or string-keyed dict of tensors", e);
        }
        boolean dict = result.isMap();
        if (!dict && arrays.size() < signature.outputs().size()) {
            throw ServingException.internal("model '" + modelName + "': forward returned " + arrays.size()
                    + " tensor(s) but the signature declares " + signature.outputs().size() + " outputs "
                    + signature.outputs().stream().map(TensorSpec::name).toList()
                    + "; check output_names in model.yaml", null);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < arrays.size(); i++) {
            NDArray array = arrays.get(i);
            String name = dict ? array.getName() : settings.outputName(i);
            if (outputFilter == null || outputFilter.isEmpty() || outputFilter.contains(name)) {
                out.put(name, TorchTensors.fromTorch(name, (PtNDArray) array));
            }
        }
        return out;
    }

    private void checkInputs(Map<String, Tensor> inputs) {
        List<String> expected = signature.inputs().stream().map(TensorSpec::name).toList();
        for (String name : inputs.keySet()) {
            if (signature.input(name).isEmpty()) {
                throw ServingException.invalidArgument("unknown input '%s'; the signature's inputs are %s", name,
                        expected);
            }
        }
        for (TensorSpec spec : signature.inputs()) {
            Tensor t = inputs.get(spec.name());
            if (t == null) {
                throw ServingException.invalidArgument("missing input '%s'; the signature's inputs are %s",
                        spec.name(), expected);
            }
            if (t.dtype() != spec.dtype()) {
                throw ServingException.invalidArgument("input '%s' is %s, the model expects %s (input_dtypes in "
                        + "model.yaml)", spec.name(), t.dtype(), spec.dtype());
            }
        }
    }

    private void checkOutputFilter(Set<String> outputFilter) {
        if (outputFilter == null) {
            return;
        }
        for (String name : outputFilter) {
            if (signature.output(name).isEmpty() && !name.matches("output\\d+")) {
                throw ServingException.invalidArgument("unknown output '%s'; the signature's outputs are %s", name,
                        signature.outputs().stream().map(TensorSpec::name).toList());
            }
        }
    }

    /**
     * libtorch's message without the noise: for errors raised inside TorchScript code the last line
     * ("RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x4 and 3x2)") without its prefix; C++
     * backtraces cut off.
     */
    static String libtorchMessage(Throwable t) {
        String message = t.getMessage();
        for (Throwable c = t.getCause(); (message == null || message.isBlank()) && c != null; c = c.getCause()) {
            message = c.getMessage();
        }
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        int backtrace = message.indexOf("\nException raised from");
        if (backtrace >= 0) {
            message = message.substring(0, backtrace);
        }
        if (message.contains("Traceback of TorchScript")) {
            String[] lines = message.strip().split("\n");
            message = lines[lines.length - 1].strip();
            int colon = message.indexOf(": ");
            if (colon > 0 && message.substring(0, colon).matches("[A-Za-z.]*Error")) {
                message = message.substring(colon + 2);
            }
        }
        return message.strip();
    }
}
