package org.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
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

  LumberjackTestClient(InetAddress localAddress, int port) throws IOException {
    socket = new Socket();
    socket.bind(new InetSocketAddress(localAddress, 0));
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
    out = new DataOutputStream(socket.getOutputStream());
    in = new DataInputStream(socket.getInputStream());
  }

  /**
   * Sends one window and waits for its ACK.
   *
   * @param within how long to wait for the ACK of the window's last event, keep-alives or not
   * @return the keep-alive ACKs that came before it
   * @throws IOException if the server closes the connection or no final ACK comes in time: the
   *     window is then not delivered and must be sent again
   */
  int sendWindow(List<String> jsonEvents, Duration within) throws IOException {
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
    long deadline = System.nanoTime() + within.toNanos();
    int keepAlives = 0;
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException(
            "no ACK for the window within " + within + " (" + keepAlives + " keep-alives)");
      }
      socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
      int version = in.readUnsignedByte();
      int type = in.readUnsignedByte();
      long sequence = in.readInt() & 0xFFFFFFFFL;
      if (version != '2' || type != 'A') {
        throw new IOException("not an ACK: " + (char) version + (char) type);
      }
      if (sequence == last) {
        return keepAlives;
      }
      keepAlives++;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
