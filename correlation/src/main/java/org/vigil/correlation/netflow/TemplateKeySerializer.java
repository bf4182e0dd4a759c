package org.vigil.correlation.netflow;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.vigil.collectors.netflow.TemplateKey;

/**
 * Writes a {@link TemplateKey} as its three numbers. An explicit format (rather than Kryo) keeps
 * checkpoints readable across versions of the collectors module and map-state keys byte-stable.
 */
public final class TemplateKeySerializer extends TypeSerializerSingleton<TemplateKey> {
  private static final long serialVersionUID = 1L;

  public static final TemplateKeySerializer INSTANCE = new TemplateKeySerializer();

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public TemplateKey createInstance() {
    return new TemplateKey(0, 0, 0);
  }

  @Override
  public TemplateKey copy(TemplateKey from) {
    return from;
  }

  @Override
  public TemplateKey copy(TemplateKey from, TemplateKey reuse) {
    return from;
  }

  @Override
  public int getLength() {
    return 16;
  }

  @Override
  public void serialize(TemplateKey key, DataOutputView out) throws IOException {
    out.writeInt(key.version());
    out.writeLong(key.domainId());
    out.writeInt(key.templateId());
  }

  @Override
  public TemplateKey deserialize(DataInputView in) throws IOException {
    return new TemplateKey(in.readInt(), in.readLong(), in.readInt());
  }

  @Override
  public TemplateKey deserialize(TemplateKey reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    out.write(in, 16);
  }

  @Override
  public TypeSerializerSnapshot<TemplateKey> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Read back by reflection when state is restored; needs the public no-argument constructor. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<TemplateKey> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
