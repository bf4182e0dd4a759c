package org.vigil.correlation.enrich;

import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.model.Event;

/**
 * The enrichment step at the end of each source branch, before events are indexed and reach the
 * rules: the agency of the sender, the asset at stake and threat-intel matches (see {@link
 * AssetInventory} and {@link ThreatIntel}). Changed files are picked up on the processing path (see
 * {@link EnrichmentTables#refresh}).
 *
 * <p>Changes the event in place: the job runs with object reuse and no operator before this one
 * keeps its output.
 *
 * <p>Counters: {@code enrichmentReloads} (files reloaded), {@code enrichmentReloadFailures}
 * (changed files that could not be loaded, the previous version kept), {@code intelMatches}; gauge
 * {@code intelEntriesUnusable} (feed entries skipped as unreadable or unsupported, in the feeds now
 * loaded).
 */
public final class EventEnricher extends RichMapFunction<Event, Event>
    implements EnrichmentTables.Listener {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(EventEnricher.class);

  private final EnrichmentTables tables;
  private transient Counter reloads;
  private transient Counter reloadFailures;
  private transient Counter intelMatches;

  public EventEnricher(EnrichmentTables tables) {
    this.tables = Objects.requireNonNull(tables, "tables");
  }

  @Override
  public void open(OpenContext openContext) {
    reloads = getRuntimeContext().getMetricGroup().counter("enrichmentReloads");
    reloadFailures = getRuntimeContext().getMetricGroup().counter("enrichmentReloadFailures");
    intelMatches = getRuntimeContext().getMetricGroup().counter("intelMatches");
    getRuntimeContext()
        .getMetricGroup()
        .gauge("intelEntriesUnusable", (Gauge<Integer>) tables::unusableEntries);
    LOG.info("Enrichment: {}", tables.summary());
  }

  @Override
  public Event map(Event event) {
    long now = System.currentTimeMillis();
    tables.refresh(now, this);
    if (tables.apply(event, now)) {
      intelMatches.inc();
    }
    return event;
  }

  @Override
  public void reloaded(String what) {
    reloads.inc();
    LOG.info("Reloaded {}", what);
  }

  @Override
  public void failed(String what, String problem) {
    reloadFailures.inc();
    LOG.warn("Keeping the previous {}: {}", what, problem);
  }
}
