package org.vigil.correlation.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class KeyTextSerializerTest {
  private static final List<String> KEYS =
      List.of(
          "vigil/auth-brute-force|source.ip=203.0.113.9",
          "",
          "x".repeat(127),
          "x".repeat(128),
          "y".repeat(20_000),
          "vigil/auth-sudo-not-in-sudoers|host.name=web-1,user.name=jürgen",
          "日本語のキー",
          "\u007f\u0080",
          // Lone surrogates, as a JSON escape can make them: UTF-8 encodes each as one '?'.
          "user.name=ab\ud800",
          "user.name=\udc00?",
          "ask?");

  private static byte[] write(org.apache.flink.api.common.typeutils.TypeSerializer<String> s)
      throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    for (String key : KEYS) {
      s.serialize(key, out);
    }
    return out.getCopyOfBuffer();
  }

  @Test
  void writesExactlyTheBytesOfFlinksStringSerializer() throws IOException {
    byte[] ours = write(KeyTextSerializer.INSTANCE);

    assertThat(ours).isEqualTo(write(StringSerializer.INSTANCE));
    DataInputDeserializer in = new DataInputDeserializer(ours);
    List<String> back = new ArrayList<>();
    for (int i = 0; i < KEYS.size(); i++) {
      back.add(KeyTextSerializer.INSTANCE.deserialize(in));
    }
    assertThat(back).isEqualTo(KEYS);
  }

  @Test
  void aStringSerializerSnapshotIsCompatibleAsIs() {
    TypeSerializerSnapshot<String> old = StringSerializer.INSTANCE.snapshotConfiguration();

    assertThat(
            KeyTextSerializer.INSTANCE
                .snapshotConfiguration()
                .resolveSchemaCompatibility(old)
                .isCompatibleAsIs())
        .isTrue();
    assertThat(
            KeyTextSerializer.INSTANCE
                .snapshotConfiguration()
                .resolveSchemaCompatibility(KeyTextSerializer.INSTANCE.snapshotConfiguration())
                .isCompatibleAsIs())
        .isTrue();
  }

  /** Counts per key in value state. */
  private static final class Count extends KeyedProcessFunction<String, String, String> {
    private transient ValueState<Long> count;

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext context) {
      count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Long.class));
    }

    @Override
    public void processElement(String key, Context ctx, Collector<String> out) throws Exception {
      long n = count.value() == null ? 1 : count.value() + 1;
      count.update(n);
      out.collect(key + "=" + n);
    }
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(
      TypeInformation<String> keyType) throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new Count()), k -> k, keyType);
  }

  @Test
  void stateKeyedWithStringSerializerRestoresUnderTheseKeys() throws Exception {
    OperatorSubtaskState old;
    try (KeyedOneInputStreamOperatorTestHarness<String, String, String> before =
        harness(Types.STRING)) {
      before.open();
      for (String key : KEYS) {
        before.processElement(new StreamRecord<>(key, 1));
      }
      old = before.snapshot(1, 2);
    }

    try (KeyedOneInputStreamOperatorTestHarness<String, String, String> after =
        harness(KeyTextTypeInfo.INSTANCE)) {
      after.initializeState(old);
      after.open();
      for (String key : KEYS) {
        after.processElement(new StreamRecord<>(key, 3));
      }
      List<String> counts = new ArrayList<>();
      for (String key : KEYS) {
        counts.add(key + "=2");
      }
      assertThat(after.extractOutputValues()).isEqualTo(counts);
    }
  }
}
