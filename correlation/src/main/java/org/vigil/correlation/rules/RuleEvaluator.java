package org.vigil.correlation.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.vigil.model.Event;
import org.vigil.rules.engine.Detection;
import org.vigil.rules.engine.RuleDefinition;
import org.vigil.rules.engine.RulePack;

/**
 * Runs one rule over the events of one group (the key). The events a rule may still need live in
 * Flink state, so a restore from a checkpoint loses no correlation context; the Drools session is
 * rebuilt from them on every evaluation and never holds the only copy.
 *
 * <p>Evaluation happens as each event arrives, so an alert leaves as soon as its evidence is
 * complete rather than when the watermark passes. Windows still follow event time: the engine's
 * pseudo clock moves with the events' own timestamps, and state expires by event-time timers, so
 * idle keys cost nothing once the watermark has moved past their window.
 */
public final class RuleEvaluator extends KeyedProcessFunction<String, RoutedEvent, Finding> {
  private static final long serialVersionUID = 1L;

  private static final Comparator<Event> BY_TIME =
      Comparator.comparingLong(Event::getTimestamp).thenComparing(Event::getId);

  private final int maxFactsPerGroup;

  private transient RulePack pack;
  private transient ListState<Event> facts;
  private transient ValueState<Long> cleanupAt;
  private transient Counter lateEvents;
  private transient Counter droppedFacts;
  private transient Counter findings;

  /**
   * @param maxFactsPerGroup bound on the events held for one rule and group; beyond it the oldest
   *     are dropped and counted, so one noisy source cannot exhaust memory
   */
  public RuleEvaluator(int maxFactsPerGroup) {
    this.maxFactsPerGroup = maxFactsPerGroup;
  }

  @Override
  public void open(OpenContext openContext) {
    pack = RulePack.builtIn();
    facts = getRuntimeContext().getListState(new ListStateDescriptor<>("facts", Event.class));
    cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Long.class));
    lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
    droppedFacts = getRuntimeContext().getMetricGroup().counter("droppedFacts");
    findings = getRuntimeContext().getMetricGroup().counter("findings");
  }

  @Override
  public void processElement(RoutedEvent routed, Context ctx, Collector<Finding> out)
      throws Exception {
    RuleDefinition rule = pack.rule(routed.ruleId);
    if (rule == null) {
      return; // the rule was removed since the event was routed
    }
    // Held in state across calls, so not the instance Flink may reuse for the next record.
    Event event = new Event(routed.event.getId(), routed.event.getTimestamp());
    event.setFields(routed.event.getFields());
    if (event.getTimestamp() < ctx.timerService().currentWatermark()) {
      lateEvents.inc();
    }

    List<Event> current = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Event e : facts.get()) {
      current.add(e);
      ids.add(e.getId());
    }
    if (!ids.add(event.getId())) {
      return; // a replay of an event this group already holds
    }
    current.add(event);
    current.sort(BY_TIME);

    long now = System.currentTimeMillis();
    for (Detection d : pack.evaluate(rule.id(), current)) {
      // Earlier arrivals already reported detections that do not involve this event.
      if (d.evidenceIds().contains(event.getId())) {
        out.collect(toFinding(routed.key, d, event, now));
        findings.inc();
      }
    }

    // Forget by the watermark, not by the newest event: it lags by the out-of-orderness bound,
    // so an event that arrives late but within that bound still finds its window's facts.
    long watermark = ctx.timerService().currentWatermark();
    long window = rule.window().toMillis();
    long horizon = watermark == Long.MIN_VALUE ? Long.MIN_VALUE : watermark - window;
    facts.update(retain(current, horizon));
    scheduleCleanup(ctx, current.get(current.size() - 1).getTimestamp() + window);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Finding> out) throws Exception {
    cleanupAt.clear();
    RuleDefinition rule = pack.rule(RoutedEvent.ruleIdOf(ctx.getCurrentKey()));
    List<Event> kept = new ArrayList<>();
    if (rule != null) {
      // A fact whose window ends at or before the watermark can meet no future event.
      long window = rule.window().toMillis();
      for (Event e : facts.get()) {
        if (e.getTimestamp() + window > timestamp) {
          kept.add(e);
        }
      }
    }
    if (kept.isEmpty()) {
      facts.clear();
      return;
    }
    kept.sort(BY_TIME);
    facts.update(kept);
    scheduleCleanup(ctx, kept.get(kept.size() - 1).getTimestamp() + rule.window().toMillis());
  }

  /** Keeps the facts a future event could still share a window with, at most the bound. */
  private List<Event> retain(List<Event> sorted, long horizon) {
    int from = 0;
    while (from < sorted.size() && sorted.get(from).getTimestamp() < horizon) {
      from++;
    }
    if (sorted.size() - from > maxFactsPerGroup) {
      int drop = sorted.size() - from - maxFactsPerGroup;
      droppedFacts.inc(drop);
      from += drop;
    }
    return new ArrayList<>(sorted.subList(from, sorted.size()));
  }

  private void scheduleCleanup(Context ctx, long at) throws Exception {
    Long scheduled = cleanupAt.value();
    if (scheduled != null && scheduled >= at) {
      return;
    }
    if (scheduled != null) {
      ctx.timerService().deleteEventTimeTimer(scheduled);
    }
    ctx.timerService().registerEventTimeTimer(at);
    cleanupAt.update(at);
  }

  private static Finding toFinding(String key, Detection d, Event trigger, long now) {
    Finding f = new Finding();
    f.key = key;
    f.ruleId = d.ruleId();
    f.group.putAll(d.group());
    f.evidenceIds.addAll(d.evidenceIds());
    f.firstSeen = d.firstSeen();
    f.lastSeen = d.lastSeen();
    f.evidenceReceived = receivedAt(trigger, now);
    f.detected = now;
    f.organizationId = trigger.getOrganizationId();
    f.assetCriticality = trigger.text("vigil.asset.criticality");
    return f;
  }

  private static long receivedAt(Event e, long fallback) {
    String ingested = e.text("event.ingested");
    if (ingested == null) {
      return fallback;
    }
    try {
      return Instant.parse(ingested).toEpochMilli();
    } catch (RuntimeException malformed) {
      return fallback;
    }
  }
}
