package org.vigil.correlation.rules;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.vigil.correlation.enrich.AssetCriticality;
import org.vigil.model.Alert;
import org.vigil.model.AlertStatus;

/**
 * Turns repeated findings of one rule for one group into one alert per suppression window: the
 * first finding opens it, later ones add their new evidence to its count and last-seen time. Every
 * change is emitted as the whole alert under the same deterministic id, so the sink's upserts
 * converge on one document, and a replay after recovery rewrites the same id.
 *
 * <p>The rule's metadata (name, version, severity, suppression) comes with each finding, from the
 * rule version that raised it; an alert open across a rule release takes the newer version's
 * metadata with its next finding.
 *
 * <p>Evidence is counted once per event id, which makes overlapping findings (each arrival
 * re-reports the window it completes) harmless.
 *
 * <p>The alert's risk score is the rule's severity weighed by the most critical asset among its
 * findings (see {@link AssetCriticality#riskScore}).
 */
public final class AlertSuppressor extends KeyedProcessFunction<String, Finding, Alert> {
  private static final long serialVersionUID = 1L;

  /** Evidence ids kept in the document; the count goes on beyond it. */
  static final int MAX_EVIDENCE_IDS = 100;

  private transient ValueState<OpenAlert> open;
  private transient MapState<String, Boolean> seen;
  private transient Counter alertsOpened;
  private transient Counter alertsUpdated;

  @Override
  public void open(OpenContext openContext) {
    open = getRuntimeContext().getState(new ValueStateDescriptor<>("open-alert", OpenAlert.class));
    seen =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("evidence-seen", Types.STRING, Types.BOOLEAN));
    alertsOpened = getRuntimeContext().getMetricGroup().counter("alertsOpened");
    alertsUpdated = getRuntimeContext().getMetricGroup().counter("alertsUpdated");
  }

  @Override
  public void processElement(Finding finding, Context ctx, Collector<Alert> out) throws Exception {
    OpenAlert alert = open.value();
    if (alert != null && finding.lastSeen >= alert.windowEnd) {
      // The window is over: the next alert starts where it ended. Forgetting the old evidence
      // keeps state bounded during an endless attack; a finding that straddles the boundary may
      // list a few events in both alerts.
      long previousEnd = alert.windowEnd;
      ctx.timerService().deleteEventTimeTimer(previousEnd);
      seen.clear();
      alert = newAlert(finding, Math.max(finding.firstSeen, previousEnd));
      ctx.timerService().registerEventTimeTimer(alert.windowEnd);
      alertsOpened.inc();
    } else if (alert == null) {
      alert = newAlert(finding, finding.firstSeen);
      ctx.timerService().registerEventTimeTimer(alert.windowEnd);
      alertsOpened.inc();
    }

    boolean changed = false;
    for (String id : finding.evidenceIds) {
      if (!seen.contains(id)) {
        seen.put(id, Boolean.TRUE);
        alert.count++;
        if (alert.evidence.size() < MAX_EVIDENCE_IDS) {
          alert.evidence.add(id);
        }
        changed = true;
      }
    }
    if (!changed) {
      return;
    }
    alert.firstSeen = Math.min(alert.firstSeen, finding.firstSeen);
    alert.lastSeen = Math.max(alert.lastSeen, finding.lastSeen);
    alert.evidenceCreated = finding.lastSeen;
    alert.evidenceReceived = finding.evidenceReceived;
    alert.detected = finding.detected;
    if (alert.organizationId == null) {
      alert.organizationId = finding.organizationId;
    }
    // The most critical asset the alert has touched ranks it: an attack that reaches the domain
    // controller after a dozen workstations is about the domain controller.
    AssetCriticality highest =
        AssetCriticality.higher(
            AssetCriticality.fromWireNameOrNull(alert.assetCriticality),
            AssetCriticality.fromWireNameOrNull(finding.assetCriticality));
    alert.assetCriticality = highest == null ? null : highest.wireName();
    open.update(alert);
    alertsUpdated.inc();
    out.collect(toAlert(finding, alert));
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) {
    open.clear();
    seen.clear();
  }

  private static OpenAlert newAlert(Finding finding, long windowStart) {
    OpenAlert alert = new OpenAlert();
    alert.windowStart = windowStart;
    alert.windowEnd = windowStart + finding.suppressionMillis;
    alert.group.putAll(finding.group);
    alert.id = Alert.idFor(finding.ruleset, finding.ruleId, finding.group, windowStart);
    return alert;
  }

  /** The alert as the rule version of its latest finding describes it. */
  static Alert toAlert(Finding rule, OpenAlert a) {
    String message =
        rule.ruleName
            + ": "
            + a.count
            + " events from "
            + Alert.groupKey(a.group).replace(",", ", ");
    return new Alert(
        a.id,
        rule.ruleId,
        rule.ruleName,
        rule.ruleVersion,
        rule.ruleset,
        rule.ruleDescription,
        rule.severity,
        rule.techniqueId,
        a.group,
        a.count,
        a.firstSeen,
        a.lastSeen,
        a.evidence,
        a.organizationId,
        AlertStatus.NEW,
        null,
        null,
        a.evidenceCreated,
        a.evidenceReceived,
        a.detected,
        message,
        AssetCriticality.riskScore(
            rule.severity, AssetCriticality.fromWireNameOrNull(a.assetCriticality)));
  }
}
