package org.vigil.app.flink;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.changelog.fs.FsStateChangelogOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateChangelogOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.correlation.CorrelationJob;

/**
 * Runs the correlation job in a Flink MiniCluster inside this process, as the all-in-one setup
 * does. Checkpoints go to the data folder and are kept when the job is cancelled, and the next
 * start resumes from the newest one, so correlation state (open windows, open alerts) survives a
 * restart of Vigil.
 */
public final class CorrelationRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CorrelationRunner.class);
  public static final String JOB_NAME = "vigil-correlation";

  private final JobClient client;
  private final Optional<Path> restoredFrom;

  private CorrelationRunner(JobClient client, Optional<Path> restoredFrom) {
    this.client = client;
    this.restoredFrom = restoredFrom;
  }

  /**
   * Starts the job and returns once it is submitted.
   *
   * @param checkpointDir where checkpoints are written and looked for on start
   * @param webUiPort the Flink web UI port, or -1 for none
   */
  public static CorrelationRunner start(
      CorrelationJob job,
      Path checkpointDir,
      Duration checkpointInterval,
      int parallelism,
      int webUiPort)
      throws Exception {
    return start(job, checkpointDir, checkpointInterval, parallelism, webUiPort, null);
  }

  /**
   * Starts the job and returns once it is submitted.
   *
   * @param checkpointDir where checkpoints are written and looked for on start
   * @param webUiPort the Flink web UI port, or -1 for none
   * @param jobMetrics where the job's own counters (parse failures, alerts, rejected documents) are
   *     reported, or null for the Flink web UI only
   */
  public static CorrelationRunner start(
      CorrelationJob job,
      Path checkpointDir,
      Duration checkpointInterval,
      int parallelism,
      int webUiPort,
      MeterRegistry jobMetrics)
      throws Exception {
    Files.createDirectories(checkpointDir);
    Optional<Path> latest = latestCheckpoint(checkpointDir);
    Configuration conf = jobConfiguration(checkpointDir, checkpointInterval, parallelism, latest);
    if (jobMetrics != null) {
      MicrometerMetricReporterFactory.bind(jobMetrics);
      conf.set(
          ConfigOptions.key(
                  "metrics.reporter."
                      + MicrometerMetricReporterFactory.REPORTER_NAME
                      + ".factory.class")
              .stringType()
              .noDefaultValue(),
          MicrometerMetricReporterFactory.class.getName());
    }

    StreamExecutionEnvironment env;
    if (webUiPort >= 0) {
      conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
      conf.set(RestOptions.PORT, webUiPort);
      env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    } else {
      env = StreamExecutionEnvironment.createLocalEnvironment(conf);
    }
    return execute(job, env, latest);
  }

  /**
   * Submits the job, with the same checkpointing and resume-from-newest-checkpoint as {@link
   * #start}, to a Flink cluster that is already running, through its REST endpoint; returns once it
   * is submitted. The cluster's own settings (task managers, slots, restart strategy) apply. No job
   * jar is shipped, so the cluster must already have Vigil's classes on its classpath: a {@code
   * MiniCluster} in this JVM, as the fault-tolerance tests build one with task managers they can
   * stop, or a session cluster started with the job jar in its {@code lib} folder.
   *
   * @param restAddress the cluster's REST endpoint, e.g. {@code http://127.0.0.1:8081}
   * @param checkpointDir where checkpoints are written and looked for on start; the cluster's task
   *     managers and this process must both reach it
   */
  public static CorrelationRunner submit(
      CorrelationJob job,
      URI restAddress,
      Path checkpointDir,
      Duration checkpointInterval,
      int parallelism)
      throws Exception {
    Files.createDirectories(checkpointDir);
    Optional<Path> latest = latestCheckpoint(checkpointDir);
    Configuration conf = jobConfiguration(checkpointDir, checkpointInterval, parallelism, latest);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createRemoteEnvironment(
            restAddress.getHost(), restAddress.getPort(), conf);
    return execute(job, env, latest);
  }

  /**
   * The job's settings: checkpoints kept on cancellation, so the next start resumes from the newest
   * one in {@code checkpointDir} ({@code latest}).
   */
  private static Configuration jobConfiguration(
      Path checkpointDir, Duration checkpointInterval, int parallelism, Optional<Path> latest) {
    Configuration conf = new Configuration();
    conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toUri().toString());
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
    conf.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
    conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
    // Incremental checkpoints: each state change is appended to a log as it happens, and a
    // checkpoint uploads only the log since the last one. The heap backend alone writes all of the
    // rule stage's state (every event still inside a rule's window) at every checkpoint. The whole
    // state is still written, in the background, at Flink's materialisation interval (10 min),
    // which bounds the log a restore replays.
    conf.set(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG, true);
    conf.set(StateChangelogOptions.STATE_CHANGE_LOG_STORAGE, "filesystem");
    conf.set(
        FsStateChangelogOptions.BASE_PATH,
        checkpointDir.resolveSibling("changelog").toUri().toString());
    latest.ifPresent(
        path -> {
          conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path.toUri().toString());
          // The changelog backend cannot take the full first checkpoint that NO_CLAIM (Flink's
          // default) demands, so the job owns the checkpoint it resumes from, and Flink may delete
          // it once newer ones replace it.
          conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
          // A rule or operator removed since the checkpoint must not block the start.
          conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        });
    return conf;
  }

  private static CorrelationRunner execute(
      CorrelationJob job, StreamExecutionEnvironment env, Optional<Path> latest) throws Exception {
    job.build(env);
    JobClient client = env.executeAsync(JOB_NAME);
    latest.ifPresent(p -> LOG.info("Correlation job resumed from checkpoint {}", p));
    return new CorrelationRunner(client, latest);
  }

  /** The running job's id, by which the Flink REST API and a MiniCluster know it. */
  public JobID jobId() {
    return client.getJobID();
  }

  /** The checkpoint the job resumed from, if any. */
  public Optional<Path> restoredFrom() {
    return restoredFrom;
  }

  /** True while the job has not failed or finished. */
  public boolean isRunning() {
    try {
      return !client.getJobStatus().get(5, TimeUnit.SECONDS).isGloballyTerminalState();
    } catch (Exception e) {
      return false;
    }
  }

  /**
   * The newest completed checkpoint under {@code dir} ({@code <job-id>/chk-<n>/_metadata}), by
   * modification time of its metadata file.
   */
  static Optional<Path> latestCheckpoint(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.find(dir, 3, (p, a) -> isCheckpointMetadata(p))) {
      return files.max(Comparator.comparingLong(CorrelationRunner::modified)).map(Path::getParent);
    }
  }

  private static boolean isCheckpointMetadata(Path p) {
    return p.getFileName().toString().equals("_metadata")
        && p.getParent() != null
        && p.getParent().getFileName().toString().startsWith("chk-");
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return Long.MIN_VALUE;
    }
  }

  /** Cancels the job; its last checkpoint stays for the next start. */
  @Override
  public void close() throws Exception {
    try {
      client.cancel().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Cancelling the correlation job failed: {}", e.toString());
    }
  }
}
