package org.vigil.correlation.netflow;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.vigil.collectors.netflow.FieldSpec;
import org.vigil.collectors.netflow.FieldType;
import org.vigil.collectors.netflow.Template;

/**
 * Writes a {@link Template} field by field. Kryo cannot rebuild the immutable list inside a
 * template, and an explicit format keeps checkpoints readable when the record gains methods. The
 * field type is written by name so that reordering the enum does not corrupt restored state.
 */
public final class TemplateSerializer extends TypeSerializerSingleton<Template> {
  private static final long serialVersionUID = 1L;

  public static final TemplateSerializer INSTANCE = new TemplateSerializer();

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public Template createInstance() {
    return Template.of(0, false, 0, List.of());
  }

  @Override
  public Template copy(Template from) {
    return from;
  }

  @Override
  public Template copy(Template from, Template reuse) {
    return from;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(Template t, DataOutputView out) throws IOException {
    out.writeInt(t.templateId());
    out.writeBoolean(t.options());
    out.writeInt(t.scopeFieldCount());
    out.writeInt(t.minRecordLength());
    out.writeInt(t.fields().size());
    for (FieldSpec f : t.fields()) {
      out.writeLong(f.enterprise());
      out.writeInt(f.elementId());
      out.writeInt(f.length());
      out.writeUTF(f.type().name());
      out.writeUTF(f.key());
    }
  }

  @Override
  public Template deserialize(DataInputView in) throws IOException {
    int templateId = in.readInt();
    boolean options = in.readBoolean();
    int scopeFieldCount = in.readInt();
    int minRecordLength = in.readInt();
    int count = in.readInt();
    if (count < 0 || count > 0xFFFF) {
      throw new IOException("template " + templateId + " in state has " + count + " fields");
    }
    List<FieldSpec> fields = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long enterprise = in.readLong();
      int elementId = in.readInt();
      int length = in.readInt();
      String type = in.readUTF();
      String key = in.readUTF();
      try {
        fields.add(new FieldSpec(enterprise, elementId, length, FieldType.valueOf(type), key));
      } catch (IllegalArgumentException e) {
        throw new IOException(
            "template " + templateId + " in state has unknown field type " + type);
      }
    }
    return new Template(templateId, options, scopeFieldCount, fields, minRecordLength);
  }

  @Override
  public Template deserialize(Template reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public TypeSerializerSnapshot<Template> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Read back by reflection when state is restored; needs the public no-argument constructor. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Template> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
