package io.clusterserving.core.model;

import io.clusterserving.core.error.ServingException;

/**
 * Which model a request is for: a name, and at most one of a version number or a version label;
 * neither means the latest available version. {@code signatureName} null or empty means
 * {@code serving_default}.
 */
public record ModelSpec(String name, Long version, String label, String signatureName) {
    public ModelSpec {
        if (name == null || name.isEmpty()) {
            throw ServingException.invalidArgument("model name is missing");
        }
        if (version != null && label != null) {
            throw ServingException.invalidArgument("give a model version or a version label, not both");
        }
        if (signatureName != null && signatureName.isEmpty()) {
            signatureName = null;
        }
    }

    public static ModelSpec latest(String name) {
        return new ModelSpec(name, null, null, null);
    }

    public static ModelSpec version(String name, long version) {
        return new ModelSpec(name, version, null, null);
    }

    public ModelSpec withSignature(String signature) {
        return new ModelSpec(name, version, label, signature);
    }

    /** "m", "m version 3" or "m label 'stable'", for error messages. */
    public String describe() {
        if (version != null) {
            return "model '" + name + "' version " + version;
        }
        if (label != null) {
            return "model '" + name + "' label '" + label + "'";
        }
        return "model '" + name + "'";
    }
}
