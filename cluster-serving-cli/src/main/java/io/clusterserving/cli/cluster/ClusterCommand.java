package io.clusterserving.cli.cluster;

import io.clusterserving.cli.cluster.bench.ClusterBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cluster-serving cluster}: runs and controls the Cluster Serving Flink job. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Cluster Serving: run and control the Flink job that scores queued requests.",
                "Exit codes: 0 ok, 1 the command failed (Flink or Redis unreachable, job failed), 2 bad command line or config."},
        subcommands = {ClusterStartCommand.class, ClusterStopCommand.class, ClusterStatusCommand.class,
                PublishModelCommand.class,
                WatchModelsCommand.class, ClusterBenchCommand.class})
public final class ClusterCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
