package org.vigil.correlation.rules;

import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.vigil.model.Event;
import org.vigil.rules.engine.RuleDefinition;
import org.vigil.rules.engine.RulePack;

/**
 * Sends each event to every deployed rule that accepts it, keyed by ruleset, rule and group, and
 * stamped with the ruleset's release version. The event goes out with only the fields the ruleset's
 * rules can read ({@link RulePack#project}): the rule stage holds it for their windows. Rule
 * releases arrive on the broadcast side (already checked by {@link RuleReleaseCheck}) and replace a
 * ruleset's pack between two events.
 */
public final class RuleRouter extends BroadcastProcessFunction<Event, String, RoutedEvent>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;

  private transient RulePacks packs;
  private transient Counter releasesIgnored;

  /**
   * Compiles the packs in broadcast state as the subtask starts rather than on its first event,
   * which waited for the compile with every event behind it (see {@link RuleEvaluator}).
   */
  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    packs =
        RulePacks.restore(
            context.getOperatorStateStore().getBroadcastState(RulePacks.RELEASES).entries());
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) {
    // The releases are the operator's broadcast state, which Flink snapshots itself.
  }

  @Override
  public void open(OpenContext openContext) {
    releasesIgnored = getRuntimeContext().getMetricGroup().counter("ruleReleasesIgnored");
  }

  @Override
  public void processElement(Event event, ReadOnlyContext ctx, Collector<RoutedEvent> out)
      throws Exception {
    for (Map.Entry<String, RulePacks.Active> entry : packs.byRuleset().entrySet()) {
      RulePack pack = entry.getValue().pack();
      int version = entry.getValue().version();
      Event projected = null;
      for (RuleDefinition rule : pack.rulesAccepting(event)) {
        String groupKey = rule.groupKeyOf(event);
        if (groupKey != null) {
          if (projected == null) {
            projected = pack.project(event);
          }
          out.collect(new RoutedEvent(entry.getKey(), rule.id(), version, groupKey, projected));
        }
      }
    }
  }

  @Override
  public void processBroadcastElement(String releaseJson, Context ctx, Collector<RoutedEvent> out)
      throws Exception {
    RulePacks next = RuleSwap.apply(packs, releaseJson, ctx.getBroadcastState(RulePacks.RELEASES));
    if (next == packs) {
      releasesIgnored.inc();
    }
    packs = next;
  }
}
