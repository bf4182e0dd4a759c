package org.vigil.correlation.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.vigil.correlation.rules.RoutedEvent;
import org.vigil.model.Event;

class EventSerializerTest {
  private final EventSerializer serializer = EventSerializer.INSTANCE;

  /** An event with every kind of value JSON parsing, the decoders and the normalisers produce. */
  private static Event everyKindOfValue() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("name", "Security");
    nested.put("record_id", 77L);
    nested.put("flags", new ArrayList<>(List.of(true, false)));
    nested.put("missing", null);
    Event e = new Event("evt-1", 1_764_201_600_123L);
    e.put("message", "Failed password for root from 203.0.113.9 port 52144 ssh2 — ünïcödé ✓");
    e.put("source.port", 52_144L);
    e.put("process.pid", 4_321);
    e.put("event.risk_score", 47.5d);
    e.put("network.ratio", 0.25f);
    e.put("event.success", Boolean.FALSE);
    e.put("tags", new ArrayList<>(List.of("parse_failure", "threat_intel_match")));
    e.put("related.ip", new LinkedHashSet<>(List.of("203.0.113.9", "10.0.0.5")));
    e.put("winlog", nested);
    e.put("netflow.octets_big", new BigInteger("18446744073709551615"));
    e.put("metric.exact", new BigDecimal("12345678901234567890.125"));
    e.put("vigil.seen", Instant.parse("2026-11-27T03:00:00Z"));
    e.put("empty", "");
    return e;
  }

  private byte[] write(Event e) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(e, out);
    return out.getCopyOfBuffer();
  }

  private Event read(byte[] bytes) throws IOException {
    DataInputDeserializer in = new DataInputDeserializer(bytes);
    Event e = serializer.deserialize(in);
    assertThat(in.available()).as("bytes left after the event").isZero();
    return e;
  }

  @Test
  void everyKindOfValueComesBackEqualAndOfItsOwnType() throws IOException {
    Event original = everyKindOfValue();

    Event back = read(write(original));

    assertThat(back.getId()).isEqualTo("evt-1");
    assertThat(back.getTimestamp()).isEqualTo(1_764_201_600_123L);
    assertThat(back.getFields()).isEqualTo(original.getFields());
    assertThat(back.getFields().keySet()).containsExactlyElementsOf(original.getFields().keySet());
    for (Map.Entry<String, Object> field : original.getFields().entrySet()) {
      Object value = back.get(field.getKey());
      if (field.getValue() instanceof List) {
        assertThat(value).as(field.getKey()).isInstanceOf(List.class);
      } else if (field.getValue() instanceof Set) {
        assertThat(value).as(field.getKey()).isInstanceOf(Set.class);
      } else if (field.getValue() instanceof Map) {
        assertThat(value).as(field.getKey()).isInstanceOf(Map.class);
      } else {
        assertThat(value).as(field.getKey()).isInstanceOf(field.getValue().getClass());
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> winlog = (Map<String, Object>) back.get("winlog");
    assertThat(winlog).containsEntry("missing", null).containsEntry("record_id", 77L);
  }

  @Test
  void aFieldNameReadAgainIsTheSameStringSoHeldEventsShareTheirNames() throws IOException {
    byte[] bytes = write(everyKindOfValue());

    Event first = read(bytes);
    Event second = read(bytes);

    Iterator<String> names = second.getFields().keySet().iterator();
    for (String name : first.getFields().keySet()) {
      assertThat(names.next()).isSameAs(name);
    }
    assertThat(second.get("message"))
        .isEqualTo(first.get("message"))
        .isNotSameAs(first.get("message"));
  }

  @Test
  void aShortValueReadAgainIsTheSameStringButIdsAndLongTextsAreNot() throws IOException {
    byte[] bytes = write(everyKindOfValue());

    Event first = read(bytes);
    Event second = read(bytes);

    assertThat(second.get("empty")).isSameAs(first.get("empty"));
    assertThat(((List<?>) second.get("tags")).get(1))
        .isEqualTo("threat_intel_match")
        .isSameAs(((List<?>) first.get("tags")).get(1));
    assertThat(((Map<?, ?>) second.get("winlog")).get("name"))
        .isSameAs(((Map<?, ?>) first.get("winlog")).get("name"));
    assertThat(second.getId()).isEqualTo(first.getId()).isNotSameAs(first.getId());
  }

  @Test
  void eventsOfOtherShapesReadInTurnComeBackAsTheyWere() throws IOException {
    Event wide = everyKindOfValue();
    Event narrow = new Event("evt-3", 3L).put("source.ip", "203.0.113.9").put("empty", "x");
    Event sameNamesOtherOrder = new Event("evt-4", 4L).put("empty", "y").put("source.ip", "::1");
    byte[] wideBytes = write(wide);
    byte[] narrowBytes = write(narrow);
    byte[] otherOrderBytes = write(sameNamesOtherOrder);

    for (int round = 0; round < 2; round++) {
      assertThat(read(wideBytes)).isEqualTo(wide);
      assertThat(read(narrowBytes)).isEqualTo(narrow);
      assertThat(read(narrowBytes)).isEqualTo(narrow);
      Event back = read(otherOrderBytes);
      assertThat(back).isEqualTo(sameNamesOtherOrder);
      assertThat(List.copyOf(back.getFields().keySet())).containsExactly("empty", "source.ip");
    }
  }

  @Test
  void manyNamesLongNamesAndLongTextsComeBackWhateverTheyShareInTheNameCache() throws IOException {
    Event e = new Event("evt-2", 1L);
    for (int i = 0; i < 3_000; i++) {
      e.put("field." + i, i % 2 == 0 ? "value " + i : (long) i);
    }
    e.put("n".repeat(65), "a name longer than the cached ones");
    e.put("ä".repeat(40), "a name of 80 UTF-8 bytes");
    e.put("message", "x".repeat(100_000));
    e.put("short", "y".repeat(300));

    assertThat(read(write(e))).isEqualTo(e);
    assertThat(read(write(e))).isEqualTo(e);
  }

  @Test
  void anEventWithoutIdOrFieldsComesBack() throws IOException {
    Event back = read(write(new Event(null, -5L)));

    assertThat(back.getId()).isNull();
    assertThat(back.getTimestamp()).isEqualTo(-5L);
    assertThat(back.getFields()).isEmpty();
  }

  @Test
  void theCopyIsDeepSoStateDoesNotShareListsWithTheNextOperator() {
    Event original = everyKindOfValue();

    Event copy = serializer.copy(original);
    @SuppressWarnings("unchecked")
    List<Object> tags = (List<Object>) copy.get("tags");
    tags.add("changed");
    @SuppressWarnings("unchecked")
    Map<String, Object> winlog = (Map<String, Object>) copy.get("winlog");
    winlog.put("name", "System");
    copy.put("message", "changed");

    assertThat(original.get("tags")).isEqualTo(List.of("parse_failure", "threat_intel_match"));
    @SuppressWarnings("unchecked")
    Map<String, Object> originalWinlog = (Map<String, Object>) original.get("winlog");
    assertThat(originalWinlog).containsEntry("name", "Security");
    assertThat(original.text("message")).startsWith("Failed password");
    assertThat(copy.getFields()).containsKeys(original.getFields().keySet().toArray(new String[0]));
  }

  @Test
  void copyingSerializedBytesGivesTheSameBytes() throws IOException {
    byte[] bytes = write(everyKindOfValue());
    DataOutputSerializer out = new DataOutputSerializer(256);

    serializer.copy(new DataInputDeserializer(bytes), out);

    assertThat(out.getCopyOfBuffer()).isEqualTo(bytes);
  }

  @Test
  void aValueThatCannotBeSerializedIsRefusedWithItsFieldName() {
    Event e = new Event("evt-2", 0L);
    e.put("vigil.thread", new Object());

    assertThatThrownBy(() -> write(e))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("vigil.thread")
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void bytesThatAreNoEventGiveAnIoErrorNotAnotherException() throws IOException {
    byte[] bytes = write(everyKindOfValue());
    // The first field's value tag follows the id, the timestamp, the field count and its name.
    byte[] corrupt = bytes.clone();
    int tagAt = 1 + "evt-1".length() + 8 + 4 + 1 + "message".length();
    corrupt[tagAt] = 99;

    assertThatThrownBy(() -> read(corrupt))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("tag 99");
  }

  @Test
  void theSnapshotRestoresTheSameSerializerAndIsCompatibleAsIs() throws Exception {
    TypeSerializerSnapshot<Event> snapshot = serializer.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);

    TypeSerializerSnapshot<Event> restored =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

    assertThat(restored.restoreSerializer()).isSameAs(serializer);
    assertThat(InstantiationUtil.clone(serializer)).isSameAs(serializer); // shipped in the job
    TypeSerializerSchemaCompatibility<Event> compatibility =
        serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
    assertThat(compatibility.isCompatibleAsIs()).isTrue();
  }

  @Test
  void aSnapshotWrittenBeforeFormatTwoRestoresFormatOneAndMigrates() throws Exception {
    // What the build before format 2 wrote: the snapshot class, SimpleTypeSerializerSnapshot's
    // version 3, and nothing after it.
    DataOutputSerializer out = new DataOutputSerializer(64);
    out.writeUTF(EventSerializer.Snapshot.class.getName());
    out.writeInt(3);

    TypeSerializerSnapshot<Event> old =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

    assertThat(old.restoreSerializer()).isSameAs(EventSerializer.FORMAT_1);
    assertThat(
            serializer
                .snapshotConfiguration()
                .resolveSchemaCompatibility(old)
                .isCompatibleAfterMigration())
        .isTrue();
    assertThat(InstantiationUtil.clone(EventSerializer.FORMAT_1))
        .isSameAs(EventSerializer.FORMAT_1);
  }

  @Test
  void aStreamGetsTheSameBytesAsABuffer() throws IOException {
    java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
    org.apache.flink.core.memory.DataOutputViewStreamWrapper view =
        new org.apache.flink.core.memory.DataOutputViewStreamWrapper(stream);
    serializer.serialize(everyKindOfValue(), view);
    serializer.serialize(new Event("second", 1L), view);

    DataOutputSerializer buffer = new DataOutputSerializer(256);
    serializer.serialize(everyKindOfValue(), buffer);
    serializer.serialize(new Event("second", 1L), buffer);
    assertThat(stream.toByteArray()).isEqualTo(buffer.getCopyOfBuffer());
  }

  @Test
  void formatOneStillReadsWhatItWrote() throws IOException {
    Event original = everyKindOfValue();
    DataOutputSerializer out = new DataOutputSerializer(256);
    EventSerializer.FORMAT_1.serialize(original, out);

    Event back =
        EventSerializer.FORMAT_1.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

    assertThat(back.getFields()).isEqualTo(original.getFields());
    assertThat(EventSerializer.FORMAT_1).isNotEqualTo(serializer);
  }

  @Test
  void onceRegisteredFlinkUsesItForEventsAndForTheEventOfARoutedEvent() throws IOException {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    EventTypes.register(env);
    EventTypes.register(env); // a second job built on the same environment

    assertThat(TypeInformation.of(Event.class)).isSameAs(EventTypeInfo.INSTANCE);
    TypeInformation<RoutedEvent> extracted = TypeInformation.of(RoutedEvent.class);
    assertThat(extracted).isInstanceOf(PojoTypeInfo.class);
    PojoTypeInfo<RoutedEvent> pojo = (PojoTypeInfo<RoutedEvent>) extracted;
    assertThat(pojo.getTypeAt(pojo.getFieldIndex("event"))).isSameAs(EventTypeInfo.INSTANCE);
    assertThat(RoutedEvent.TYPE).isEqualTo(extracted);
    TypeSerializer<RoutedEvent> routed =
        RoutedEvent.TYPE.createSerializer(env.getConfig().getSerializerConfig());
    RoutedEvent r = new RoutedEvent("vigil", "auth-brute-force", 3, "source.ip=203.0.113.9", null);
    r.event = everyKindOfValue();
    DataOutputSerializer out = new DataOutputSerializer(256);
    routed.serialize(r, out);
    RoutedEvent back = routed.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(back.key).isEqualTo(r.key);
    assertThat(back.packVersion).isEqualTo(3);
    assertThat(back.event).isEqualTo(r.event);
  }
}
