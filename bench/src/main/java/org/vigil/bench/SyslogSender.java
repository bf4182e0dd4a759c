package org.vigil.bench;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Sends syslog messages to a collector over UDP (one datagram per message, RFC 5426) or TCP with
 * newline framing or octet counting (RFC 6587 §3.4.2 and §3.4.1), optionally paced to a rate.
 *
 * <p>Over TCP messages are buffered when sending as fast as possible and written at once when
 * paced; {@link #flush()} pushes out what is buffered, e.g. before taking a send time.
 */
public final class SyslogSender implements AutoCloseable {
  /** The largest payload of one UDP datagram over IPv4. */
  public static final int MAX_DATAGRAM = 65_507;

  /** How messages are delimited on a TCP stream. */
  public enum Framing {
    /** Each message ends with LF (RFC 6587 §3.4.2), what most senders do. */
    NEWLINE,
    /** Each message is preceded by its length in bytes and a space (RFC 6587 §3.4.1). */
    OCTET_COUNTING
  }

  private final String description;
  private final DatagramChannel udp;
  private final Socket tcp;
  private final OutputStream out;
  private final Framing framing;
  private final TokenBucket pacer;
  private long sent;

  private SyslogSender(
      String description,
      DatagramChannel udp,
      Socket tcp,
      OutputStream out,
      Framing framing,
      TokenBucket pacer) {
    this.description = description;
    this.udp = udp;
    this.tcp = tcp;
    this.out = out;
    this.framing = framing;
    this.pacer = pacer;
  }

  /**
   * Opens a UDP sender.
   *
   * @param ratePerSecond messages per second, or 0 for as fast as possible
   * @throws IllegalArgumentException when the host does not resolve or the rate is negative
   */
  public static SyslogSender udp(HostPort target, double ratePerSecond) throws IOException {
    TokenBucket pacer = pacer(ratePerSecond);
    InetSocketAddress address = target.resolve();
    DatagramChannel channel = DatagramChannel.open();
    try {
      channel.connect(address);
    } catch (IOException e) {
      channel.close();
      throw new IOException("cannot send to udp " + target + ": " + e.getMessage(), e);
    }
    return new SyslogSender("udp " + target, channel, null, null, null, pacer);
  }

  /**
   * Connects a TCP sender.
   *
   * @param ratePerSecond messages per second, or 0 for as fast as possible
   * @throws IOException naming the target when nothing accepts the connection
   */
  public static SyslogSender tcp(HostPort target, Framing framing, double ratePerSecond)
      throws IOException {
    TokenBucket pacer = pacer(ratePerSecond);
    InetSocketAddress address = target.resolve();
    Socket socket = new Socket();
    try {
      socket.connect(address, (int) Duration.ofSeconds(5).toMillis());
      socket.setTcpNoDelay(pacer != null);
    } catch (IOException e) {
      socket.close();
      throw new IOException("cannot connect to tcp " + target + ": " + e.getMessage(), e);
    }
    return new SyslogSender(
        "tcp " + target,
        null,
        socket,
        new BufferedOutputStream(socket.getOutputStream(), 64 * 1024),
        framing == null ? Framing.NEWLINE : framing,
        pacer);
  }

  private static TokenBucket pacer(double ratePerSecond) {
    if (ratePerSecond < 0 || Double.isNaN(ratePerSecond)) {
      throw new IllegalArgumentException("rate must be 0 (as fast as possible) or more");
    }
    return ratePerSecond == 0 ? null : new TokenBucket(ratePerSecond);
  }

  /**
   * Sends one message, waiting for the pacer first.
   *
   * @throws IllegalArgumentException when the message cannot fit in a UDP datagram
   * @throws IOException when the collector refuses or drops the connection
   */
  public void send(String message) throws IOException, InterruptedException {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    if (udp != null && bytes.length > MAX_DATAGRAM) {
      throw new IllegalArgumentException(
          "a message of " + bytes.length + " bytes does not fit in one UDP datagram; use --tcp");
    }
    if (pacer != null) {
      pacer.acquire();
    }
    try {
      if (udp != null) {
        udp.write(ByteBuffer.wrap(bytes));
      } else {
        if (framing == Framing.OCTET_COUNTING) {
          out.write((bytes.length + " ").getBytes(StandardCharsets.US_ASCII));
          out.write(bytes);
        } else {
          out.write(bytes);
          out.write('\n');
        }
        if (pacer != null) {
          out.flush();
        }
      }
    } catch (PortUnreachableException e) {
      throw new IOException("nothing listens on " + description + " (port unreachable)", e);
    } catch (IOException e) {
      throw new IOException("sending to " + description + " failed: " + e.getMessage(), e);
    }
    sent++;
  }

  /** Writes out what TCP has buffered; nothing to do for UDP. */
  public void flush() throws IOException {
    if (out != null) {
      out.flush();
    }
  }

  /**
   * Sends every line of a file, rewritten by {@code rewriter}; blank lines are skipped. Bytes that
   * are not UTF-8 are replaced rather than failing the replay.
   *
   * @throws IllegalArgumentException when the file does not exist or is not readable
   */
  public SendSummary sendFile(Path file, SyslogLineRewriter rewriter)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException("cannot read file " + file);
    }
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                Files.newInputStream(file),
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)))) {
      return sendLines(reader, rewriter);
    }
  }

  /** As {@link #sendFile}, for lines from any reader, e.g. a bundled resource. */
  public SendSummary sendLines(BufferedReader reader, SyslogLineRewriter rewriter)
      throws IOException, InterruptedException {
    long before = sent;
    long start = System.nanoTime();
    String line;
    while ((line = reader.readLine()) != null) {
      Optional<String> message = rewriter.rewrite(line);
      if (message.isPresent()) {
        send(message.get());
      }
    }
    flush();
    return new SendSummary(sent - before, Duration.ofNanos(System.nanoTime() - start), description);
  }

  /** Messages sent so far. */
  public long sent() {
    return sent;
  }

  @Override
  public void close() throws IOException {
    if (udp != null) {
      udp.close();
      return;
    }
    try {
      out.flush();
    } finally {
      tcp.close();
    }
  }

  @Override
  public String toString() {
    return description;
  }

  /**
   * What one run sent.
   *
   * @param sent messages sent
   * @param elapsed from the first read to the last write
   * @param target where they went, e.g. {@code udp 127.0.0.1:5514}
   */
  public record SendSummary(long sent, Duration elapsed, String target) {
    public double perSecond() {
      double seconds = elapsed.toNanos() / 1e9;
      return seconds <= 0 ? 0 : sent / seconds;
    }

    /** One line for a terminal. */
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "sent %d lines to %s in %.2f s (%.0f lines/s)",
          sent,
          target,
          elapsed.toNanos() / 1e9,
          perSecond());
    }
  }
}
