package io.clusterserving.cli.cluster;

import io.clusterserving.flink.config.ClusterServingConfig;
import io.clusterserving.flink.job.RunningJobs;
import io.clusterserving.queue.redis.RedisQueueNames;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code cluster stop}: cancels the running job of that name through Flink's REST API. */
@Command(name = "stop", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cancels the running Cluster Serving job (embedded or on a Flink cluster).",
                "Unfinished Redis entries stay pending and are served by the next start."})
public final class ClusterStopCommand implements Callable<Integer> {

    @Option(names = "--job-name", paramLabel = "NAME", description = "The job to stop (default: the config's jobName, "
            + "else " + RedisQueueNames.DEFAULT_JOB_NAME + ").")
    String jobName;

    @CommandLine.Mixin
    FlinkTargetFlags target;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ClusterServingConfig cfg = target.config(spec.commandLine());
        String name = jobName != null ? jobName : cfg != null ? cfg.jobName() : RedisQueueNames.DEFAULT_JOB_NAME;
        String address = target.address(spec.commandLine(), cfg);
        PrintWriter out = spec.commandLine().getOut();
        try (RunningJobs jobs = RunningJobs.connect(address)) {
            Optional<RunningJobs.JobSummary> job = jobs.findRunning(name);
            if (job.isEmpty()) {
                spec.commandLine().getErr().println("stop: no running job named '" + name + "' on Flink at " + address);
                spec.commandLine().getErr().flush();
                return 1;
            }
            jobs.cancel(job.get().id());
            out.println("cancelled job " + job.get().id() + " ('" + name + "') on Flink at " + address);
            out.flush();
            return 0;
        }
    }
}
