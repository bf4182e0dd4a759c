package org.vigil.correlation.netflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.correlation.netflow.NetflowCaptures.packet;
import static org.vigil.correlation.netflow.NetflowCaptures.raw;
import static org.vigil.correlation.netflow.NetflowCaptures.withSequence;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.correlation.source.DeadLetter;
import org.vigil.correlation.source.RawRecord;
import org.vigil.model.Event;

/**
 * The decode operator with its keyed state and timers, fed real exporter captures: templates and
 * data in either order, held sets that overflow or time out, sequence gaps, sampling, malformed
 * datagrams and a restore from a snapshot taken between a template and its data.
 */
class NetflowDecodeFunctionTest {
  private static final String EXPORTER = "192.0.2.10";

  /** The captures are from 2015 to 2020; the tests are not about clock skew. */
  private static final Duration TRUST_ANY_CLOCK = Duration.ofDays(365L * 100);

  private final List<KeyedOneInputStreamOperatorTestHarness<String, RawRecord, Event>> open =
      new ArrayList<>();
  private InterceptingOperatorMetricGroup metrics;

  @AfterEach
  void closeHarnesses() throws Exception {
    for (var h : open) {
      h.close();
    }
  }

  @Test
  void decodesV9DataAfterItsTemplateIntoFlowEvents() throws Exception {
    var h = harness(NetflowDecodeSettings.defaults());

    feed(h, record("netflow9_test_cisco_asa_1_tpl.dat", 1));
    assertThat(events(h)).isEmpty();
    feed(h, record("netflow9_test_cisco_asa_1_data.dat", 2));

    List<Event> events = events(h);
    assertThat(events).hasSize(14);
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.get("event.dataset")).isEqualTo("netflow.flow");
              assertThat(e.get("event.kind")).isEqualTo("event");
              assertThat(e.get("observer.ip")).isEqualTo(EXPORTER);
              assertThat(e.get("source.ip")).isNotNull();
              assertThat(e.get("destination.ip")).isNotNull();
              assertThat(e.get("network.community_id")).asString().startsWith("1:");
            });
    long exportMillis =
        (ByteBuffer.wrap(packet("netflow9_test_cisco_asa_1_data.dat")).getInt(8) & 0xFFFF_FFFFL)
            * 1000;
    assertThat(events)
        .allSatisfy(
            e -> {
              Object end = e.get("event.end");
              long expected =
                  end == null ? exportMillis : Instant.parse((String) end).toEpochMilli();
              assertThat(e.getTimestamp()).isEqualTo(expected);
            });
    assertThat(events.stream().map(Event::getId).distinct()).hasSize(14);
    assertThat(deadLetters(h)).isEmpty();
    assertThat(count("netflowPackets")).isEqualTo(2);
    assertThat(count("netflowFlows")).isEqualTo(14);
    assertThat(count("netflowTemplatesLearned")).isPositive();
    assertThat(count("netflowSequenceGaps")).isZero();
  }

  @Test
  void givesEveryRecordTheSameIdWhenTheSameDatagramIsReplayed() throws Exception {
    var h = harness(NetflowDecodeSettings.defaults());
    feed(h, record("netflow9_test_cisco_asa_1_tpl.dat", 1));
    feed(h, record("netflow9_test_cisco_asa_1_data.dat", 2));
    List<String> ids = ids(events(h));
    h.getOutput().clear();

    feed(h, record("netflow9_test_cisco_asa_1_data.dat", 2));

    assertThat(ids(events(h))).isEqualTo(ids);
  }

  @Test
  void holdsDataBeforeItsTemplateAndDecodesItWhenTheTemplateArrives() throws Exception {
    var h = harness(NetflowDecodeSettings.defaults());

    // Four data sets: three of templates 257 and 258, one of template 280 that the exporter's
    // template datagram does not define.
    feed(h, record("ipfix_test_netscaler_data.dat", 1));
    assertThat(events(h)).isEmpty();
    assertThat(count("netflowSetsHeld")).isEqualTo(4);
    assertThat(h.numProcessingTimeTimers()).isEqualTo(1);

    feed(h, record("ipfix_test_netscaler_tpl.dat", 2));

    List<Event> events = events(h);
    assertThat(events).hasSize(3);
    assertThat(events).allSatisfy(e -> assertThat(e.get("source.ip")).isNotNull());
    assertThat(count("netflowSetsDecodedLate")).isEqualTo(3);
    assertThat(deadLetters(h)).isEmpty();

    // The set of template 280 is still held, and times out.
    h.setProcessingTime(Duration.ofMinutes(11).toMillis());
    List<DeadLetter> dead = deadLetters(h);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).reason).contains("template 280 of IPFIX domain 0");
    assertThat(count("netflowSetsTimedOut")).isEqualTo(1);
    assertThat(h.numProcessingTimeTimers()).isZero();
  }

  @Test
  void idsOfHeldRecordsEqualThoseOfTheTemplateFirstOrder() throws Exception {
    var late = harness(NetflowDecodeSettings.defaults());
    feed(late, record("ipfix_test_netscaler_data.dat", 7));
    feed(late, record("ipfix_test_netscaler_tpl.dat", 8));
    var inOrder = harness(NetflowDecodeSettings.defaults());
    feed(inOrder, record("ipfix_test_netscaler_tpl.dat", 8));
    feed(inOrder, record("ipfix_test_netscaler_data.dat", 7));

    assertThat(ids(events(late)))
        .hasSize(3)
        .containsExactlyInAnyOrderElementsOf(ids(events(inOrder)));
  }

  @Test
  void deadLettersSetsBeyondTheBoundOfHeldSets() throws Exception {
    var h = harness(NetflowDecodeSettings.defaults().withPending(4, Duration.ofMinutes(10)));

    feed(h, record("ipfix_test_netscaler_data.dat", 1)); // four sets: the bound
    feed(h, record("ipfix_test_netscaler_data.dat", 2));

    List<DeadLetter> dead = deadLetters(h);
    assertThat(dead).hasSize(4);
    assertThat(dead).allSatisfy(d -> assertThat(d.offset).isEqualTo(2));
    assertThat(dead.get(0).reason).contains("unknown").contains("4 sets").contains("already wait");
    assertThat(count("netflowSetsOverflowed")).isEqualTo(4);
    assertThat(count("netflowSetsHeld")).isEqualTo(4);

    feed(h, record("ipfix_test_netscaler_tpl.dat", 3));
    assertThat(events(h)).hasSize(3);
  }

  @Test
  void deadLettersHeldSetsWhoseTemplateDoesNotArriveInTime() throws Exception {
    var h = harness(NetflowDecodeSettings.defaults().withPending(1000, Duration.ofMinutes(10)));
    h.setProcessingTime(1_000);
    feed(h, record("ipfix_test_netscaler_data.dat", 1));

    h.setProcessingTime(1_000 + Duration.ofMinutes(10).toMillis() - 1);
    assertThat(deadLetters(h)).isEmpty();
    h.setProcessingTime(1_000 + Duration.ofMinutes(10).toMillis() + 1_000);

    List<DeadLetter> dead = deadLetters(h);
    assertThat(dead).hasSize(4);
    assertThat(dead)
        .allSatisfy(
            d -> {
              assertThat(d.reason).contains("not received within PT10M");
              assertThat(d.offset).isEqualTo(1);
              assertThat(d.value).isNotEmpty();
            });
    assertThat(count("netflowSetsTimedOut")).isEqualTo(4);
    assertThat(h.numProcessingTimeTimers()).isZero();

    feed(h, record("ipfix_test_netscaler_tpl.dat", 2));
    assertThat(events(h)).isEmpty();
  }

  @Test
  void countsAV9SequenceGapAsLostExportPackets() throws Exception {
    var h = harness(NetflowDecodeSettings.defaults());
    feed(h, record("netflow9_test_cisco_asa_1_tpl.dat", 1)); // sequence 661
    byte[] data = withSequence(packet("netflow9_test_cisco_asa_1_data.dat"), 670);

    feed(h, raw(data, EXPORTER, 2, 0));

    assertThat(events(h)).hasSize(14);
    assertThat(count("netflowSequenceGaps")).isEqualTo(1);
    assertThat(count("netflowLostPackets")).isEqualTo(8);
    assertThat(count("netflowLostFlows")).isZero();
  }

  @Test
  void countsAV5SequenceGapAsLostFlowsAndALatePacketAsNoLoss() throws Exception {
    var h = harness(NetflowDecodeSettings.defaults());
    byte[] v5 = packet("netflow5.dat"); // sequence 0, 2 flows
    feed(h, raw(v5, EXPORTER, 1, 0));
    feed(h, raw(withSequence(v5, 12), EXPORTER, 2, 0));
    feed(h, raw(withSequence(v5, 5), EXPORTER, 3, 0));
    feed(h, raw(withSequence(v5, 14), EXPORTER, 4, 0));

    assertThat(count("netflowLostFlows")).isEqualTo(10);
    assertThat(count("netflowLatePackets")).isEqualTo(1);
    assertThat(count("netflowSequenceGaps")).isEqualTo(1);
    assertThat(events(h)).hasSize(8);
  }

  @Test
  void exportersAreCountedApart() throws Exception {
    var h = harness(NetflowDecodeSettings.defaults());
    byte[] v5 = packet("netflow5.dat");
    feed(h, raw(v5, "192.0.2.1", 1, 0));
    feed(h, raw(withSequence(v5, 50), "192.0.2.2", 2, 0));

    assertThat(count("netflowSequenceGaps")).isZero();
  }

  @Test
  void appliesTheSamplingIntervalToNetworkCountsAndKeepsTheExportedOnes() throws Exception {
    byte[] sampled = packet("netflow5.dat");
    sampled[22] = 0x40; // mode 1 (deterministic), interval 100
    sampled[23] = 100;

    var applied = harness(NetflowDecodeSettings.defaults());
    feed(applied, raw(sampled, EXPORTER, 1, 0));
    Event flow = events(applied).get(0);
    long exported = (Long) flow.get("netflow.octetDeltaCount");
    assertThat(flow.get("network.bytes")).isEqualTo(exported * 100);
    assertThat(flow.get("network.packets"))
        .isEqualTo((Long) flow.get("netflow.packetDeltaCount") * 100);
    assertThat(flow.get("netflow.samplingApplied")).isEqualTo(100L);

    var notApplied = harness(NetflowDecodeSettings.defaults().withApplySampling(false));
    feed(notApplied, raw(sampled, EXPORTER, 1, 0));
    Event raw = events(notApplied).get(0);
    assertThat(raw.get("network.bytes")).isEqualTo(exported);
    assertThat(raw.get("netflow.samplingApplied")).isNull();
  }

  @Test
  void keepsTheSamplingIntervalOfOptionsDataForLaterFlows() throws Exception {
    var h = harness(NetflowDecodeSettings.defaults());
    feed(h, raw(SampledV9Exporter.templatesAndSampling(1, 64), EXPORTER, 1, 0));
    h.getOutput().clear();

    feed(h, raw(SampledV9Exporter.flow(2, 1500, 3), EXPORTER, 2, 0));

    List<Event> flows = events(h);
    assertThat(flows).hasSize(1);
    Event flow = flows.get(0);
    assertThat(flow.get("netflow.octetDeltaCount")).isEqualTo(1500L);
    assertThat(flow.get("network.bytes")).isEqualTo(1500L * 64);
    assertThat(flow.get("network.packets")).isEqualTo(3L * 64);
    assertThat(flow.get("netflow.samplingApplied")).isEqualTo(64L);
    assertThat(flow.get("source.ip")).isEqualTo("10.1.2.3");
  }

  @Test
  void deadLettersMalformedDatagramsWithTheReasonAndGoesOn() throws Exception {
    var h = harness(NetflowDecodeSettings.defaults());
    byte[] data = packet("netflow9_test_cisco_asa_1_data.dat");
    byte[] truncated = java.util.Arrays.copyOf(data, 40);
    byte[] unknownVersion = data.clone();
    unknownVersion[1] = 7;
    RawRecord noEnvelope = raw(data, EXPORTER, 3, 0);
    noEnvelope.envelope = null;
    noEnvelope.envelopeError = "missing envelope header vigil.peer.address";

    feed(h, raw(truncated, EXPORTER, 1, 0));
    feed(h, raw(unknownVersion, EXPORTER, 2, 0));
    feed(h, noEnvelope);
    feed(h, raw(new byte[0], EXPORTER, 4, 0));
    feed(h, record("netflow5_test_invalid01.dat", 5));
    feed(h, record("netflow5_test_invalid02.dat", 6));
    feed(h, record("netflow9_test_invalid01.dat", 7));
    feed(h, record("netflow5.dat", 8));

    List<DeadLetter> dead = deadLetters(h);
    assertThat(dead).extracting(d -> d.offset).contains(1L, 2L, 3L, 4L);
    assertThat(dead.get(0).reason).startsWith("NetFlow/IPFIX datagram not decodable: ");
    assertThat(dead.get(1).reason).contains("unsupported export version 7");
    assertThat(dead.get(2).reason).isEqualTo("missing envelope header vigil.peer.address");
    assertThat(dead).allSatisfy(d -> assertThat(d.value).isNotNull());
    assertThat(count("netflowMalformed")).isEqualTo(dead.size());
    assertThat(events(h)).extracting(e -> e.get("netflow.version")).contains(5L);
  }

  @Test
  void dataDecodesAfterARestoreFromASnapshotTakenBetweenTemplateAndData() throws Exception {
    var before = harness(NetflowDecodeSettings.defaults());
    feed(before, record("netflow9_test_cisco_asa_1_tpl.dat", 1));
    before.setProcessingTime(5_000);
    feed(before, record("ipfix_test_netscaler_data.dat", 2)); // held, another exporter key
    OperatorSubtaskState snapshot = before.snapshot(1L, 5_000);
    before.close();
    open.remove(before);

    var after = harness(NetflowDecodeSettings.defaults(), snapshot);
    feed(after, record("netflow9_test_cisco_asa_1_data.dat", 3));
    assertThat(events(after)).hasSize(14);
    assertThat(count("netflowSequenceGaps")).isZero(); // the expected sequence was restored too

    after.getOutput().clear();
    feed(after, record("ipfix_test_netscaler_tpl.dat", 4));
    assertThat(events(after)).hasSize(3);
    assertThat(deadLetters(after)).isEmpty();
  }

  @Test
  void heldSetsStillTimeOutAfterARestoreWithALongerTimeout() throws Exception {
    var before = harness(NetflowDecodeSettings.defaults().withPending(1000, Duration.ofMinutes(1)));
    feed(before, record("ipfix_test_netscaler_data.dat", 1));
    OperatorSubtaskState snapshot = before.snapshot(1L, 0);
    before.close();
    open.remove(before);

    var after =
        harness(
            NetflowDecodeSettings.defaults().withPending(1000, Duration.ofMinutes(5)), snapshot);
    after.setProcessingTime(Duration.ofMinutes(1).toMillis() + 1_000);
    assertThat(deadLetters(after)).isEmpty();
    assertThat(after.numProcessingTimeTimers()).isEqualTo(1);
    after.setProcessingTime(Duration.ofMinutes(5).toMillis() + 1_000);

    assertThat(deadLetters(after)).hasSize(4);
    assertThat(after.numProcessingTimeTimers()).isZero();
  }

  @Test
  void forgetsTemplatesThatWereNotResentWithinTheirTtl() throws Exception {
    var h = harness(NetflowDecodeSettings.defaults().withTemplateTtl(Duration.ofHours(1)));
    h.setStateTtlProcessingTime(0);
    feed(h, record("netflow9_test_cisco_asa_1_tpl.dat", 1));

    h.setStateTtlProcessingTime(Duration.ofHours(1).toMillis() + 1);
    feed(h, record("netflow9_test_cisco_asa_1_data.dat", 2));

    assertThat(events(h)).isEmpty();
    assertThat(count("netflowSetsHeld")).isEqualTo(1);
  }

  private static void feed(
      KeyedOneInputStreamOperatorTestHarness<String, RawRecord, Event> h, RawRecord raw)
      throws Exception {
    h.processElement(new StreamRecord<>(raw));
  }

  private RawRecord record(String capture, long offset) {
    // Captures of different exporters share the address in these tests; their keys still differ
    // by version and domain, except where a test wants them to meet.
    return raw(capture, EXPORTER, offset, 0);
  }

  private KeyedOneInputStreamOperatorTestHarness<String, RawRecord, Event> harness(
      NetflowDecodeSettings settings) throws Exception {
    return harness(settings, null);
  }

  private KeyedOneInputStreamOperatorTestHarness<String, RawRecord, Event> harness(
      NetflowDecodeSettings settings, OperatorSubtaskState restore) throws Exception {
    InterceptingOperatorMetricGroup operatorMetrics = new InterceptingOperatorMetricGroup();
    metrics = operatorMetrics;
    MockEnvironment environment =
        new MockEnvironmentBuilder()
            .setMetricGroup(
                new UnregisteredMetricGroups.UnregisteredTaskMetricGroup() {
                  @Override
                  public InternalOperatorMetricGroup getOrAddOperator(
                      OperatorID id, String name, Map<String, String> additionalVariables) {
                    return operatorMetrics;
                  }
                })
            .build();
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new NetflowDecodeFunction(settings, TRUST_ANY_CLOCK)),
            new NetflowExporterKeySelector(),
            Types.STRING,
            environment);
    open.add(h);
    if (restore != null) {
      h.initializeState(restore);
    }
    h.open();
    return h;
  }

  private long count(String name) {
    return ((Counter) metrics.get(name)).getCount();
  }

  private static List<Event> events(
      KeyedOneInputStreamOperatorTestHarness<String, RawRecord, Event> h) {
    List<Event> out = new ArrayList<>();
    for (Object o : h.getOutput()) {
      if (o instanceof StreamRecord<?> r && r.getValue() instanceof Event e) {
        out.add(e);
      }
    }
    return out;
  }

  private static List<DeadLetter> deadLetters(
      KeyedOneInputStreamOperatorTestHarness<String, RawRecord, Event> h) {
    var side = h.getSideOutput(NetflowDecodeFunction.DEAD_LETTERS);
    if (side == null) {
      return List.of();
    }
    return side.stream().map(StreamRecord::getValue).collect(Collectors.toList());
  }

  private static List<String> ids(List<Event> events) {
    return events.stream().map(Event::getId).toList();
  }
}
