package org.vigil.correlation.rules;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.correlation.source.DeadLetter;
import org.vigil.correlation.source.RawRecord;
import org.vigil.rules.engine.RuleCompilationException;
import org.vigil.rules.engine.RuleRelease;

/**
 * Lets through only the rule releases that decode and compile, as their canonical JSON, before they
 * are broadcast to the rule stage. A release that fails (published by hand, or by an older tool) is
 * counted in {@code rulesRejected}, logged at ERROR with its ruleset, version and first compile
 * errors, and dead-lettered; the packs in use stay as they are.
 *
 * <p>It runs with parallelism 1 on the single-partition rules topic, so each release is judged (and
 * counted) once; the compile lands in the per-JVM cache of {@link RuleRelease#compile()}, so the
 * rule stage's subtasks in the same JVM then swap packs without compiling again.
 */
public final class RuleReleaseCheck extends ProcessFunction<RawRecord, String> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RuleReleaseCheck.class);

  /** Compile errors quoted in the log and the dead letter; the rest are counted. */
  static final int QUOTED_PROBLEMS = 5;

  /** Releases that were not used, with the reason. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("rejected-rule-releases") {};

  private transient Counter deployed;
  private transient Counter rejected;

  @Override
  public void open(OpenContext openContext) {
    deployed = getRuntimeContext().getMetricGroup().counter("rulesDeployed");
    rejected = getRuntimeContext().getMetricGroup().counter("rulesRejected");
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<String> out) {
    if (raw.value == null || raw.value.length == 0) {
      // A tombstone: compaction's way to forget a key. Removing a ruleset is not supported yet,
      // so the running packs stay.
      LOG.warn("Ignoring an empty record at {}-{}@{}", raw.topic, raw.partition, raw.offset);
      return;
    }
    RuleRelease release;
    try {
      release = RuleRelease.fromJson(raw.value);
    } catch (IllegalArgumentException e) {
      reject(raw, ctx, "rule release at offset " + raw.offset + " rejected: " + e.getMessage());
      return;
    }
    try {
      int rules = release.compile().rules().size();
      deployed.inc();
      LOG.info("Rule release {} accepted: {} rules", release.describe(), rules);
      out.collect(new String(release.toJson(), StandardCharsets.UTF_8));
    } catch (RuleCompilationException e) {
      reject(
          raw,
          ctx,
          "rule release "
              + release.describe()
              + " rejected, the running rules stay: "
              + summary(e.problems()));
    }
  }

  private void reject(RawRecord raw, Context ctx, String reason) {
    rejected.inc();
    LOG.error(reason);
    ctx.output(DEAD_LETTERS, new DeadLetter(raw, reason, System.currentTimeMillis()));
  }

  static String summary(List<String> problems) {
    List<String> quoted = problems.subList(0, Math.min(QUOTED_PROBLEMS, problems.size()));
    String text = String.join("; ", quoted);
    int more = problems.size() - quoted.size();
    return more > 0 ? text + "; and " + more + " more" : text;
  }
}
