package org.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.zip.DeflaterOutputStream;

/**
 * An ACK-aware Lumberjack v2 client, as Filebeat behaves: it sends a window of JSON events in one
 * compressed frame and counts it delivered only when the server acknowledges its last sequence
 * number; keep-alive ACKs (a lower sequence) are read past. Sends from a chosen local address, so a
 * test can place the client in an agency's network on the loopback.
 */
final class LumberjackTestClient implements AutoCloseable {
  private final Socket socket;
  private final DataOutputStream out;
  private final DataInputStream in;

  LumberjackTestClient(InetAddress localAddress, int port, Duration ackTimeout) throws IOException {
    socket = new Socket();
    socket.bind(new InetSocketAddress(localAddress, 0));
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
    socket.setSoTimeout((int) ackTimeout.toMillis());
    out = new DataOutputStream(socket.getOutputStream());
    in = new DataInputStream(socket.getInputStream());
  }

  /**
   * Sends one window and waits for its ACK.
   *
   * @throws IOException if the server closes the connection or no final ACK comes in time: the
   *     window is then not delivered and must be sent again
   */
  void sendWindow(List<String> jsonEvents) throws IOException {
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    DataOutputStream f = new DataOutputStream(frames);
    for (int i = 0; i < jsonEvents.size(); i++) {
      byte[] json = jsonEvents.get(i).getBytes(UTF_8);
      f.writeByte('2');
      f.writeByte('J');
      f.writeInt(i + 1);
      f.writeInt(json.length);
      f.write(json);
    }
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(compressed)) {
      frames.writeTo(z);
    }
    out.writeByte('2');
    out.writeByte('W');
    out.writeInt(jsonEvents.size());
    out.writeByte('2');
    out.writeByte('C');
    out.writeInt(compressed.size());
    compressed.writeTo(out);
    out.flush();
    long last = jsonEvents.size();
    while (true) {
      int version = in.readUnsignedByte();
      int type = in.readUnsignedByte();
      long sequence = in.readInt() & 0xFFFFFFFFL;
      if (version != '2' || type != 'A') {
        throw new IOException("not an ACK: " + (char) version + (char) type);
      }
      if (sequence == last) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
