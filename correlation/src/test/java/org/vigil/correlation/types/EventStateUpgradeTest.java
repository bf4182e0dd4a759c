package org.vigil.correlation.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.MapTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.vigil.model.Event;

/**
 * A checkpoint written before {@link EventSerializer} existed, when Flink serialized events as
 * POJOs with their field values through Kryo, still restores: the events held in state come back
 * and are written in the new format from then on.
 */
class EventStateUpgradeTest {
  /** The type information Flink extracted for an event before the serializer was registered. */
  private static final TypeInformation<Event> AS_POJO =
      Types.POJO(
          Event.class,
          Map.of(
              "id", Types.STRING,
              "timestamp", Types.LONG,
              "fields", new MapTypeInfo<>(Types.STRING, new GenericTypeInfo<>(Object.class))));

  /** Holds each key's events in list state, as the rule stage does, and emits the ids held. */
  private static final class Hold extends KeyedProcessFunction<String, Event, String> {
    private final TypeInformation<Event> type;
    private transient ListState<Event> facts;

    Hold(TypeInformation<Event> type) {
      this.type = type;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext context) {
      facts = getRuntimeContext().getListState(new ListStateDescriptor<>("facts", type));
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<String> out) throws Exception {
      facts.add(e);
      List<String> held = new ArrayList<>();
      for (Event f : facts.get()) {
        held.add(f.getId() + ":" + f.text("source.ip") + ":" + f.get("tags"));
      }
      out.collect(String.join(",", held));
    }
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, Event, String> harness(
      TypeInformation<Event> type) throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new Hold(type)), Event::getSourceIp, Types.STRING);
  }

  private static Event event(String id) {
    return new Event(id, 1_767_225_600_000L)
        .put("message", "su: pam_unix(su:auth): Authentifizierungsfehler für jürgen") // not ASCII
        .put("source.ip", "203.0.113.9")
        .put("tags", new ArrayList<>(List.of("a", "b")))
        .put("source.port", 52_144L);
  }

  @Test
  void eventsHeldByAPojoCheckpointAreRestoredAndKept() throws Exception {
    upgradesFrom(AS_POJO);
  }

  @Test
  void eventsHeldInFormatOneAreRestoredAndKept() throws Exception {
    upgradesFrom(EventTypeInfo.writtenBy(EventSerializer.FORMAT_1));
  }

  private static void upgradesFrom(TypeInformation<Event> type) throws Exception {
    OperatorSubtaskState old;
    try (KeyedOneInputStreamOperatorTestHarness<String, Event, String> before = harness(type)) {
      before.open();
      before.processElement(new StreamRecord<>(event("e1"), 1));
      before.processElement(new StreamRecord<>(event("e2"), 2));
      old = before.snapshot(1, 3);
    }

    OperatorSubtaskState upgraded;
    try (KeyedOneInputStreamOperatorTestHarness<String, Event, String> after =
        harness(EventTypeInfo.INSTANCE)) {
      after.initializeState(old);
      after.open();
      after.processElement(new StreamRecord<>(event("e3"), 4));
      assertThat(after.extractOutputValues())
          .containsExactly("e1:203.0.113.9:[a, b],e2:203.0.113.9:[a, b],e3:203.0.113.9:[a, b]");
      upgraded = after.snapshot(2, 5);
    }

    // And the checkpoint written after the upgrade restores in its turn.
    try (KeyedOneInputStreamOperatorTestHarness<String, Event, String> again =
        harness(EventTypeInfo.INSTANCE)) {
      again.initializeState(upgraded);
      again.open();
      again.processElement(new StreamRecord<>(event("e4"), 6));
      assertThat(again.extractOutputValues().get(0))
          .startsWith("e1:")
          .endsWith("e4:203.0.113.9:[a, b]");
    }
  }
}
