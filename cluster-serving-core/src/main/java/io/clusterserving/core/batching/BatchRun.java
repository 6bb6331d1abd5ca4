package io.clusterserving.core.batching;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.core.model.LoadedModel;
import io.clusterserving.core.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The merge and split rules of one batch, shared by the {@link Batcher} and by callers that hand the
 * service a whole batch at once: the requests' inputs (one {@link BatchKey}, validated, agreeing on
 * dimension 0) are concatenated along dimension 0, padded with the last row up to {@code padTo}, run as
 * one model call, and the outputs are sliced back per request. If a batch of several requests fails with
 * INVALID_ARGUMENT, its requests are run again one by one, so only the request the runtime rejects fails
 * and its batch-mates still get answers.
 */
public final class BatchRun {
    private static final Logger log = LoggerFactory.getLogger(BatchRun.class);

    /** One request's share of a batch. */
    public interface Part {
        Map<String, Tensor> inputs();

        /** Dimension 0 of every input. */
        long rows();

        /** This request's outputs (its rows of the batch's outputs); must not throw. */
        void complete(Map<String, Tensor> outputs);

        /** Must not throw. */
        void fail(ServingException error);
    }

    private BatchRun() {
    }

    /**
     * Runs {@code parts} as one model call and completes or fails every part; never throws.
     *
     * @param description the version, for messages ("model 'm' version 1")
     * @param rows         the parts' rows together
     * @param allowedSizes TF's allowed_batch_sizes, ascending; empty for no padding
     */
    public static void run(String description, LoadedModel model, String signatureName, Set<String> outputFilter,
                           List<? extends Part> parts, long rows, int[] allowedSizes) {
        try {
            runTogether(description, model, signatureName, outputFilter, parts, rows,
                    paddedSize(rows, allowedSizes));
        } catch (Throwable e) {
            ServingException error = ServingException.from(e);
            if (parts.size() > 1 && error.code() == StatusCode.INVALID_ARGUMENT) {
                log.debug("batch of {} requests for {} failed ({}); running them one by one",
                        parts.size(), description, error.getMessage());
                for (Part part : parts) {
                    try {
                        runTogether(description, model, signatureName, outputFilter, List.of(part), part.rows(),
                                paddedSize(part.rows(), allowedSizes));
                    } catch (Throwable single) {
                        part.fail(ServingException.from(single));
                    }
                }
            } else {
                for (Part part : parts) {
                    part.fail(error);
                }
            }
        }
    }

    /** The smallest allowed size (sorted ascending) holding {@code rows}; {@code rows} when none does. */
    public static long paddedSize(long rows, int[] allowedSizes) {
        if (rows == 0) {
            return 0;
        }
        for (int size : allowedSizes) {
            if (size >= rows) {
                return size;
            }
        }
        return rows;
    }

    /** Runs parts as one batch and completes them; throws (completing nothing) when the run fails. */
    private static void runTogether(String description, LoadedModel model, String signatureName,
                                    Set<String> outputFilter, List<? extends Part> parts, long rows, long padTo) {
        if (parts.size() == 1 && padTo == rows) {
            Part only = parts.get(0);
            only.complete(model.predict(signatureName, only.inputs(), outputFilter));
            return;
        }
        Map<String, Tensor> merged = new LinkedHashMap<>();
        List<Tensor> pieces = new ArrayList<>(parts.size());
        for (String name : parts.get(0).inputs().keySet()) {
            pieces.clear();
            for (int i = 0; i < parts.size(); i++) {
                Tensor piece = parts.get(i).inputs().get(name);
                if (piece == null) {
                    throw ServingException.invalidArgument("input '%s' is missing from a batched request", name);
                }
                pieces.add(piece);
            }
            merged.put(name, Tensor.concatRows(pieces, padTo));
        }
        Map<String, Tensor> outputs = model.predict(signatureName, merged, outputFilter);
        for (Map.Entry<String, Tensor> out : outputs.entrySet()) {
            Tensor t = out.getValue();
            if (t.rank() == 0 || t.dim(0) != padTo) {
                throw ServingException.internal(String.format(
                        "%s: output '%s' of a batch of %d rows has shape %s; cannot split it per request",
                        description, out.getKey(), padTo, Arrays.toString(t.shape())), null);
            }
        }
        List<Map<String, Tensor>> split = new ArrayList<>(parts.size());
        long offset = 0;
        for (int i = 0; i < parts.size(); i++) {
            long partRows = parts.get(i).rows();
            Map<String, Tensor> mine = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> out : outputs.entrySet()) {
                mine.put(out.getKey(), out.getValue().sliceRows(offset, offset + partRows));
            }
            split.add(mine);
            offset += partRows;
        }
        for (int i = 0; i < parts.size(); i++) {
            parts.get(i).complete(split.get(i));
        }
    }
}
