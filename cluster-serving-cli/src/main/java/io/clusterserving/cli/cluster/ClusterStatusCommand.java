package io.clusterserving.cli.cluster;

import io.clusterserving.flink.config.ClusterServingConfig;
import io.clusterserving.flink.job.RunningJobs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cluster status}: the jobs of the Flink cluster (embedded or remote) with their state. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lists the jobs of the Flink cluster and their state.",
                "Exit code 1 when Flink is unreachable or the job named by --job-name is not running."})
public final class ClusterStatusCommand implements Callable<Integer> {

    @Option(names = "--job-name", paramLabel = "NAME", description = "Only this job.")
    String jobName;

    @CommandLine.Mixin
    FlinkTargetFlags target;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ClusterServingConfig cfg = target.config(spec.commandLine());
        String address = target.address(spec.commandLine(), cfg);
        PrintWriter out = spec.commandLine().getOut();
        try (RunningJobs jobs = RunningJobs.connect(address)) {
            List<RunningJobs.JobSummary> list = jobs.list().stream()
                    .filter(j -> jobName == null || j.name().equals(jobName)).toList();
            out.println("Flink at " + address + ": " + list.size() + (list.size() == 1 ? " job" : " jobs"));
            for (RunningJobs.JobSummary j : list) {
                out.printf("%s  %-12s %s%n", j.id(), j.status(), j.name());
            }
            out.flush();
            boolean running = list.stream().anyMatch(j -> !j.status().isGloballyTerminalState());
            return jobName == null || running ? 0 : 1;
        }
    }
}
