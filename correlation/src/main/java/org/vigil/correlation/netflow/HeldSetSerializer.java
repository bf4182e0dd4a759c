package org.vigil.correlation.netflow;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.vigil.collectors.netflow.PendingSet;

/**
 * Writes a {@link HeldSet} and its {@link PendingSet} field by field; see {@link
 * TemplateSerializer}.
 */
public final class HeldSetSerializer extends TypeSerializerSingleton<HeldSet> {
  private static final long serialVersionUID = 1L;

  public static final HeldSetSerializer INSTANCE = new HeldSetSerializer();

  /** A UDP payload cannot be larger; a bigger length in state means corrupt state. */
  private static final int MAX_BODY = 0xFFFF;

  @Override
  public boolean isImmutableType() {
    // The body array is never written to after the decoder copied it out of the packet.
    return true;
  }

  @Override
  public HeldSet createInstance() {
    return new HeldSet(new PendingSet(0, 0, 0, 0, 0, 0, new byte[0]), "", 0, 0, 0, "", 0);
  }

  @Override
  public HeldSet copy(HeldSet from) {
    return from;
  }

  @Override
  public HeldSet copy(HeldSet from, HeldSet reuse) {
    return from;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(HeldSet h, DataOutputView out) throws IOException {
    PendingSet p = h.set();
    out.writeInt(p.version());
    out.writeLong(p.domainId());
    out.writeInt(p.templateId());
    out.writeLong(p.exportTimeMillis());
    out.writeLong(p.sysUptimeMillis());
    out.writeLong(p.sequenceNumber());
    out.writeInt(p.body().length);
    out.write(p.body());
    out.writeUTF(h.topic());
    out.writeInt(h.partition());
    out.writeLong(h.offset());
    out.writeLong(h.heldAtMillis());
    out.writeUTF(h.exporterAddress());
    out.writeLong(h.receivedAtMillis());
  }

  @Override
  public HeldSet deserialize(DataInputView in) throws IOException {
    int version = in.readInt();
    long domainId = in.readLong();
    int templateId = in.readInt();
    long exportTime = in.readLong();
    long uptime = in.readLong();
    long sequence = in.readLong();
    int length = in.readInt();
    if (length < 0 || length > MAX_BODY) {
      throw new IOException("held set in state has a body of " + length + " bytes");
    }
    byte[] body = new byte[length];
    in.readFully(body);
    PendingSet set =
        new PendingSet(version, domainId, templateId, exportTime, uptime, sequence, body);
    return new HeldSet(
        set, in.readUTF(), in.readInt(), in.readLong(), in.readLong(), in.readUTF(), in.readLong());
  }

  @Override
  public HeldSet deserialize(HeldSet reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public TypeSerializerSnapshot<HeldSet> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Read back by reflection when state is restored; needs the public no-argument constructor. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<HeldSet> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
