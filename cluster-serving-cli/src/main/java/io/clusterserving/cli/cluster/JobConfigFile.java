package io.clusterserving.cli.cluster;

import io.clusterserving.core.error.ServingException;
import io.clusterserving.core.error.StatusCode;
import io.clusterserving.flink.config.ClusterServingConfig;
import picocli.CommandLine;

import java.nio.file.Path;

/** Loads the job's config.yaml; a bad file (unknown key, bad value) is a bad command line (exit 2). */
public final class JobConfigFile {
    private JobConfigFile() {
    }

    public static ClusterServingConfig load(CommandLine cmd, Path file) {
        try {
            return ClusterServingConfig.load(file);
        } catch (ServingException e) {
            if (e.code() == StatusCode.INVALID_ARGUMENT) {
                throw new CommandLine.ParameterException(cmd, e.getMessage(), e);
            }
            throw e;
        }
    }
}
