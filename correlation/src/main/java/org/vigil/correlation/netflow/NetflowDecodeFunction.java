package org.vigil.correlation.netflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.vigil.collectors.netflow.FlowRecord;
import org.vigil.collectors.netflow.NetflowDecodeException;
import org.vigil.collectors.netflow.NetflowDecoder;
import org.vigil.collectors.netflow.NetflowMessage;
import org.vigil.collectors.netflow.PendingSet;
import org.vigil.collectors.netflow.Template;
import org.vigil.collectors.netflow.TemplateKey;
import org.vigil.correlation.source.DeadLetter;
import org.vigil.correlation.source.RawRecord;
import org.vigil.model.Event;
import org.vigil.model.Ids;

/**
 * Decodes the raw NetFlow v5/v9 and IPFIX datagrams of one exporter (keyed by {@link
 * NetflowExporterKeySelector}) into flow events, keeping what decoding needs between datagrams in
 * keyed state, so that it is checkpointed, survives restarts and does not care which collector
 * instance received which datagram:
 *
 * <ul>
 *   <li>templates, in {@code MapState} with a TTL refreshed whenever the exporter sends them again;
 *   <li>data sets that came before their template, held (bounded in count and time) and decoded
 *       when it arrives; what overflows or times out is counted and dead-lettered with the reason;
 *   <li>the next expected sequence number, so gaps are counted as lost flows (v5, IPFIX) or lost
 *       export packets (v9);
 *   <li>the exporter's sampling interval from its options data, applied to {@code network.bytes}
 *       and {@code network.packets} when the settings say so.
 * </ul>
 *
 * <p>A datagram that cannot be decoded is counted and dead-lettered; nothing but a failing state
 * backend escapes the operator.
 *
 * <p>Event ids are {@link Ids#event} of the datagram's Kafka position and an index of template id
 * and record ordinal within that template in the datagram, not the position among all records: so a
 * replay after recovery, when a template that was missing the first time is known, computes the
 * same ids.
 */
public final class NetflowDecodeFunction extends KeyedProcessFunction<String, RawRecord, Event> {
  private static final long serialVersionUID = 1L;

  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("netflow-dead-letters") {};

  private final NetflowDecodeSettings settings;
  private final Duration maxClockSkew;

  private transient NetflowDecoder decoder;
  private transient FlowEventBuilder builder;
  private transient MapStateTemplateStore templates;
  private transient ListState<HeldSet> held;
  private transient ValueState<Integer> heldCount;
  private transient ValueState<Long> expectedSequence;
  private transient ValueState<Long> samplingInterval;

  private transient Counter packets;
  private transient Counter flows;
  private transient Counter optionRecords;
  private transient Counter malformed;
  private transient Counter warnings;
  private transient Counter templatesLearned;
  private transient Counter setsHeld;
  private transient Counter setsDecodedLate;
  private transient Counter setsOverflowed;
  private transient Counter setsTimedOut;
  private transient Counter sequenceGaps;
  private transient Counter lostFlows;
  private transient Counter lostPackets;
  private transient Counter latePackets;
  private transient Counter sequenceResets;

  /**
   * @param settings state bounds and sampling
   * @param maxClockSkew how far an exporter's time may be from the receive time and still be used
   */
  public NetflowDecodeFunction(NetflowDecodeSettings settings, Duration maxClockSkew) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.maxClockSkew = Objects.requireNonNull(maxClockSkew, "maxClockSkew");
  }

  @Override
  public void open(OpenContext openContext) {
    decoder = new NetflowDecoder();
    builder = new FlowEventBuilder(settings.applySampling(), maxClockSkew);
    // Exporters that go away leave keys behind: everything but the held sets (cleared by their
    // timers) expires with the templates.
    StateTtlConfig ttl =
        StateTtlConfig.newBuilder(settings.templateTtl())
            .updateTtlOnCreateAndWrite()
            .neverReturnExpired()
            .build();
    MapStateDescriptor<TemplateKey, Template> templatesDescriptor =
        new MapStateDescriptor<>(
            "netflow-templates", TemplateKeySerializer.INSTANCE, TemplateSerializer.INSTANCE);
    templatesDescriptor.enableTimeToLive(ttl);
    ValueStateDescriptor<Long> sequenceDescriptor =
        new ValueStateDescriptor<>("netflow-expected-sequence", Types.LONG);
    sequenceDescriptor.enableTimeToLive(ttl);
    ValueStateDescriptor<Long> samplingDescriptor =
        new ValueStateDescriptor<>("netflow-sampling-interval", Types.LONG);
    samplingDescriptor.enableTimeToLive(ttl);

    templates = new MapStateTemplateStore(getRuntimeContext().getMapState(templatesDescriptor));
    held =
        getRuntimeContext()
            .getListState(
                new ListStateDescriptor<>("netflow-held-sets", HeldSetSerializer.INSTANCE));
    heldCount =
        getRuntimeContext().getState(new ValueStateDescriptor<>("netflow-held-count", Types.INT));
    expectedSequence = getRuntimeContext().getState(sequenceDescriptor);
    samplingInterval = getRuntimeContext().getState(samplingDescriptor);

    MetricGroup m = getRuntimeContext().getMetricGroup();
    packets = m.counter("netflowPackets");
    flows = m.counter("netflowFlows");
    optionRecords = m.counter("netflowOptionRecords");
    malformed = m.counter("netflowMalformed");
    warnings = m.counter("netflowDecodeWarnings");
    templatesLearned = m.counter("netflowTemplatesLearned");
    setsHeld = m.counter("netflowSetsHeld");
    setsDecodedLate = m.counter("netflowSetsDecodedLate");
    setsOverflowed = m.counter("netflowSetsOverflowed");
    setsTimedOut = m.counter("netflowSetsTimedOut");
    sequenceGaps = m.counter("netflowSequenceGaps");
    lostFlows = m.counter("netflowLostFlows");
    lostPackets = m.counter("netflowLostPackets");
    latePackets = m.counter("netflowLatePackets");
    sequenceResets = m.counter("netflowSequenceResets");
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<Event> out) throws Exception {
    if (raw.envelope == null || raw.value == null) {
      String reason = raw.envelopeError != null ? raw.envelopeError : "record without payload";
      reject(raw, reason, ctx);
      return;
    }
    NetflowMessage message;
    try {
      message = decoder.decode(raw.value, templates);
    } catch (NetflowDecodeException e) {
      reject(raw, "NetFlow/IPFIX datagram not decodable: " + e.getMessage(), ctx);
      return;
    } catch (MapStateTemplateStore.TemplateStateException e) {
      throw e;
    } catch (RuntimeException e) {
      // The decoder promises NetflowDecodeException only; a fault in it must not stop the job.
      reject(raw, "NetFlow/IPFIX decoder failed: " + e, ctx);
      return;
    }
    packets.inc();
    warnings.inc(message.warnings().size());
    templatesLearned.inc(message.templatesLearned().size());
    checkSequence(message);
    if (message.samplingInterval() > 0) {
      samplingInterval.update(message.samplingInterval());
    }
    long sampling = currentSampling();
    String exporter = raw.envelope.peerAddress();
    long receivedAt = raw.envelope.receivedAtMillis();

    Map<Integer, Integer> ordinals = new HashMap<>();
    // Sets of this datagram that came before their template in the same datagram are decoded
    // first, so that ordinals per template follow the order of the sets in the datagram.
    for (PendingSet set : message.pending()) {
      Optional<List<FlowRecord>> decoded =
          message.templatesLearned().isEmpty()
              ? Optional.empty()
              : decodeHeldSet(set, raw.topic, raw.partition, raw.offset, ctx);
      if (decoded == null) {
        continue;
      }
      if (decoded.isPresent()) {
        emit(
            decoded.get(),
            raw.topic,
            raw.partition,
            raw.offset,
            ordinals,
            exporter,
            set.exportTimeMillis(),
            receivedAt,
            sampling,
            out);
      } else {
        hold(
            new HeldSet(
                set,
                raw.topic,
                raw.partition,
                raw.offset,
                ctx.timerService().currentProcessingTime(),
                exporter,
                receivedAt),
            ctx);
      }
    }
    emit(
        message.records(),
        raw.topic,
        raw.partition,
        raw.offset,
        ordinals,
        exporter,
        message.exportTimeMillis(),
        receivedAt,
        sampling,
        out);
    if (!message.templatesLearned().isEmpty()) {
      releaseHeld(ctx, out);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Event> out) throws Exception {
    Iterable<HeldSet> all = held.get();
    if (all == null) {
      return;
    }
    long timeout = settings.pendingTimeout().toMillis();
    List<HeldSet> keep = new ArrayList<>();
    long nextDue = Long.MAX_VALUE;
    for (HeldSet h : all) {
      long due = h.heldAtMillis() + timeout;
      if (due <= timestamp) {
        setsTimedOut.inc();
        deadLetter(
            h,
            "template " + describe(h.set()) + " not received within " + settings.pendingTimeout(),
            ctx);
      } else {
        keep.add(h);
        nextDue = Math.min(nextDue, due);
      }
    }
    replaceHeld(keep);
    if (!keep.isEmpty()) {
      // Normally a timer for it exists already; not when the job was restored with a longer
      // timeout than the one the timers were set with.
      ctx.timerService().registerProcessingTimeTimer(roundUpToSecond(nextDue));
    }
  }

  /** Rounded up to the second so that the sets of a burst share one timer. */
  private static long roundUpToSecond(long millis) {
    return (millis + 999) / 1000 * 1000;
  }

  private void checkSequence(NetflowMessage message) throws Exception {
    SequenceCheck check =
        SequenceCheck.of(
            expectedSequence.value(), message.sequenceNumber(), settings.maxSequenceGap());
    switch (check.outcome()) {
      case GAP -> {
        sequenceGaps.inc();
        if (message.version() == 9) {
          lostPackets.inc(check.lost());
        } else {
          lostFlows.inc(check.lost());
        }
      }
      case LATE -> latePackets.inc();
      case RESET -> sequenceResets.inc();
      default -> {}
    }
    if (!check.advances()) {
      return;
    }
    if (message.version() == 10 && !message.pending().isEmpty()) {
      // IPFIX counts data records, and a held set's records cannot be counted without its
      // template: rather than a false gap, the next datagram starts a new expectation.
      expectedSequence.clear();
    } else {
      expectedSequence.update(message.expectedNextSequence());
    }
  }

  private long currentSampling() throws Exception {
    Long s = samplingInterval.value();
    return s == null ? 0 : s;
  }

  /**
   * Decodes a set whose template may now be known: empty when it still is not, null when it could
   * not be decoded (then it has been dead-lettered).
   */
  private Optional<List<FlowRecord>> decodeHeldSet(
      PendingSet set, String topic, int partition, long offset, Context ctx) {
    try {
      return decoder.decodePending(set, templates);
    } catch (NetflowDecodeException e) {
      malformed.inc();
      ctx.output(
          DEAD_LETTERS,
          new DeadLetter(
              new RawRecord(topic, partition, offset, set.body(), null),
              "data set of template "
                  + describe(set)
                  + " not decodable: "
                  + e.getMessage()
                  + " (value: the set body; the datagram is at the Kafka position)",
              System.currentTimeMillis()));
      return null;
    } catch (MapStateTemplateStore.TemplateStateException e) {
      throw e;
    } catch (RuntimeException e) {
      malformed.inc();
      ctx.output(
          DEAD_LETTERS,
          new DeadLetter(
              new RawRecord(topic, partition, offset, set.body(), null),
              "NetFlow/IPFIX decoder failed on a set of template " + describe(set) + ": " + e,
              System.currentTimeMillis()));
      return null;
    }
  }

  private void hold(HeldSet set, Context ctx) throws Exception {
    Integer count = heldCount.value();
    int n = count == null ? 0 : count;
    if (n >= settings.maxPendingSets()) {
      setsOverflowed.inc();
      deadLetter(
          set,
          "template "
              + describe(set.set())
              + " unknown and "
              + n
              + " sets of this exporter already wait for templates",
          ctx);
      return;
    }
    held.add(set);
    heldCount.update(n + 1);
    setsHeld.inc();
    ctx.timerService()
        .registerProcessingTimeTimer(
            roundUpToSecond(set.heldAtMillis() + settings.pendingTimeout().toMillis()));
  }

  /** Decodes every held set whose template is now known, in the order they were held. */
  private void releaseHeld(Context ctx, Collector<Event> out) throws Exception {
    Integer count = heldCount.value();
    if (count == null || count == 0) {
      return;
    }
    long sampling = currentSampling();
    List<HeldSet> keep = new ArrayList<>();
    // Ordinals per datagram and template: the held sets of one datagram are decoded together.
    Map<String, Map<Integer, Integer>> ordinals = new HashMap<>();
    for (HeldSet h : held.get()) {
      Optional<List<FlowRecord>> decoded =
          decodeHeldSet(h.set(), h.topic(), h.partition(), h.offset(), ctx);
      if (decoded == null) {
        continue;
      }
      if (decoded.isEmpty()) {
        keep.add(h);
        continue;
      }
      setsDecodedLate.inc();
      Map<Integer, Integer> perDatagram =
          ordinals.computeIfAbsent(
              h.topic() + '/' + h.partition() + '/' + h.offset(), k -> new HashMap<>());
      emit(
          decoded.get(),
          h.topic(),
          h.partition(),
          h.offset(),
          perDatagram,
          h.exporterAddress(),
          h.set().exportTimeMillis(),
          h.receivedAtMillis(),
          sampling,
          out);
    }
    replaceHeld(keep);
  }

  private void replaceHeld(List<HeldSet> keep) throws Exception {
    if (keep.isEmpty()) {
      held.clear();
      heldCount.clear();
    } else {
      held.update(keep);
      heldCount.update(keep.size());
    }
  }

  private void emit(
      List<FlowRecord> records,
      String topic,
      int partition,
      long offset,
      Map<Integer, Integer> ordinals,
      String exporter,
      long exportTimeMillis,
      long receivedAtMillis,
      long sampling,
      Collector<Event> out) {
    for (FlowRecord record : records) {
      int templateId = record.templateId() & 0xFFFF;
      int ordinal = ordinals.merge(templateId, 1, Integer::sum) - 1;
      String id = Ids.event(topic, partition, offset, (templateId << 16) | (ordinal & 0xFFFF));
      out.collect(
          builder.build(record, id, exporter, exportTimeMillis, receivedAtMillis, sampling));
      if (record.options()) {
        optionRecords.inc();
      } else {
        flows.inc();
      }
    }
  }

  private void reject(RawRecord raw, String reason, Context ctx) {
    malformed.inc();
    ctx.output(DEAD_LETTERS, new DeadLetter(raw, reason, System.currentTimeMillis()));
  }

  private void deadLetter(HeldSet h, String reason, Context ctx) {
    ctx.output(
        DEAD_LETTERS,
        new DeadLetter(
            new RawRecord(h.topic(), h.partition(), h.offset(), h.set().body(), null),
            reason + " (value: the set body; the datagram is at the Kafka position)",
            System.currentTimeMillis()));
  }

  private static String describe(PendingSet set) {
    String version = set.version() == 10 ? "IPFIX" : "v" + set.version();
    return set.templateId() + " of " + version + " domain " + set.domainId();
  }
}
