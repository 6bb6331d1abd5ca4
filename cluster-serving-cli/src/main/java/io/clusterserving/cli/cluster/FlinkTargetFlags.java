package io.clusterserving.cli.cluster;

import io.clusterserving.flink.config.ClusterServingConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --config} / {@code --flink-master}: which job config and which Flink cluster a command talks to. */
final class FlinkTargetFlags {

    @Option(names = "--config", paramLabel = "FILE",
            description = "The job's config.yaml (its jobName, and without --flink-master its webUiPort).")
    Path config;

    @Option(names = "--flink-master", paramLabel = "HOST:PORT",
            description = "Flink's REST address (default: localhost:<webUiPort of the config, 8081>).")
    String flinkMaster;

    /** The loaded config, or null without {@code --config}; a bad file is a bad command line. */
    ClusterServingConfig config(CommandLine cmd) {
        return config == null ? null : JobConfigFile.load(cmd, config);
    }

    /** Flink's REST address from the flags and {@code cfg} (null without a config). */
    String address(CommandLine cmd, ClusterServingConfig cfg) {
        try {
            return FlinkRestAddress.of(flinkMaster, cfg);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, e.getMessage(), e);
        }
    }
}
