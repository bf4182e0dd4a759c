package org.vigil.correlation.sink;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

/**
 * Writes buffered requests into checkpoints. The layout is explicit (not Java serialization) so a
 * checkpoint stays readable when the record class changes; bump {@link #getVersion()} with it.
 *
 * <pre>
 * utf index | utf id | byte kind | boolean stamp | int len, bytes document | int len (-1 = none), bytes partial
 * </pre>
 */
public final class DocumentRequestSerializer
    extends AsyncSinkWriterStateSerializer<DocumentRequest> {

  @Override
  protected void serializeRequestToStream(DocumentRequest request, DataOutputStream out)
      throws IOException {
    out.writeUTF(request.index());
    out.writeUTF(request.id());
    out.writeByte(request.kind().ordinal());
    out.writeBoolean(request.stampIndexed());
    out.writeInt(request.document().length);
    out.write(request.document());
    if (request.partialDocument() == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(request.partialDocument().length);
      out.write(request.partialDocument());
    }
  }

  @Override
  protected DocumentRequest deserializeRequestFromStream(long requestSize, DataInputStream in)
      throws IOException {
    String index = in.readUTF();
    String id = in.readUTF();
    int kind = in.readByte();
    DocumentRequest.Kind[] kinds = DocumentRequest.Kind.values();
    if (kind < 0 || kind >= kinds.length) {
      throw new IOException("unknown document request kind " + kind + " in sink state");
    }
    boolean stamp = in.readBoolean();
    byte[] document = readBytes(in);
    byte[] partial = readBytes(in);
    if (document == null) {
      throw new IOException("document request without a document in sink state");
    }
    return new DocumentRequest(index, id, kinds[kind], document, partial, stamp);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  @Override
  public int getVersion() {
    return 1;
  }
}
