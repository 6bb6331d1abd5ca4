package io.clusterserving.flink.sql.session;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.model.TensorSpec;

import java.util.Arrays;

/** The shape one row's n values take for a signature input: one batch row, the free dimension filled in. */
public final class TensorShapes {
    private TensorShapes() {
    }

    /**
     * [1, n] for a (?, n) input, [n] for a (?) input (n values are then n rows), [1, d1, .., dk] for a
     * higher-rank input whose trailing dimensions hold n (one of them may be free), [1, n] when the rank is unknown.
     */
    public static long[] forRow(TensorSpec spec, int n) {
        long[] declared = spec.shape();
        if (declared == null) {
            return new long[] {1, n};
        }
        if (declared.length == 0) {
            if (n != 1) {
                throw ServingException.invalidArgument("input '%s' is a scalar, got %d values", spec.name(), n);
            }
            return new long[0];
        }
        if (declared.length == 1) {
            if (declared[0] >= 0 && declared[0] != n) {
                throw ServingException.invalidArgument("input '%s' takes %d values, got %d", spec.name(), declared[0], n);
            }
            return new long[] {n};
        }
        long[] shape = declared.clone();
        shape[0] = 1;
        long known = 1;
        int free = -1;
        for (int i = 1; i < shape.length; i++) {
            if (shape[i] < 0) {
                if (free >= 0) {
                    free = -2;
                    break;
                }
                free = i;
            } else {
                known *= shape[i];
            }
        }
        if (free == -2) {
            return shape.length == 2 ? new long[] {1, n} : failShape(spec, n);
        }
        if (free > 0) {
            if (known == 0 || n % known != 0) {
                return failShape(spec, n);
            }
            shape[free] = n / known;
            return shape;
        }
        if (known != n) {
            return failShape(spec, n);
        }
        return shape;
    }

    private static long[] failShape(TensorSpec spec, int n) {
        throw ServingException.invalidArgument("input '%s' has shape %s; %d values do not fill one row of it",
                spec.name(), Arrays.toString(spec.shape()), n);
    }
}
